"""Check-worthiness: which sentences of a draft assert something a fact-checker could verify.

Offline and deterministic: word patterns, no model. Each sentence of the canonical text
(`core.sentences.split_sentences`) gets the reasons that fire on it; each reason carries a
weight, the weights combine as independent evidence (1 - product of (1 - weight)), and opinion
markers and questions multiply the result down. A sentence at or above the threshold is a
`Suggestion`. Weights and the default threshold were set by reading the output on corpus
articles outside the evaluation set; `benchmarks/bench_checkworthy.py` measures them on the
hand-labelled set (`benchmarks/checkworthy/RULE.md`).

A text that is not English gets `Assessment.english is False` and no suggestions: the patterns
are English, and on another language they would suggest nonsense.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reviewapp.core.sentences import Sentence, sentence_hash, split_sentences
from reviewapp.core.states import DomainState

DEFAULT_THRESHOLD = 0.5


class Reason(DomainState):
    """Why a sentence was scored as it was; the values are the stored spellings."""

    FIGURE = "figure"
    ATTRIBUTION = "attribution"
    COMPARISON = "comparison"
    CAUSE_OR_TREND = "cause-or-trend"
    NAMED_ACTOR = "named-actor"
    HEDGE = "hedged-claim"
    EVENT = "past-event"
    OPINION = "opinion"  # lowers the score
    QUESTION = "question"  # lowers the score


LOWERING = frozenset({Reason.OPINION, Reason.QUESTION})

REASON_LABELS: dict[Reason, str] = {
    Reason.FIGURE: "a figure (number, money, percentage, date, quantity or ordinal)",
    Reason.ATTRIBUTION: "attributed to someone (said, according to, reportedly)",
    Reason.COMPARISON: "a comparison or superlative (more than, the largest, first, record)",
    Reason.CAUSE_OR_TREND: "a cause or a trend (led to, because of, rose, doubled)",
    Reason.NAMED_ACTOR: "a named person or organisation doing or saying something",
    Reason.HEDGE: "a hedged claim (is believed to, is expected to, allegedly)",
    Reason.EVENT: "reports a past event",
    Reason.OPINION: "opinion markers (I think, should, must): scored lower",
    Reason.QUESTION: "a question: scored lower",
}

# How much each reason says that a sentence is check-worthy (combined as independent evidence).
WEIGHTS: dict[Reason, float] = {
    Reason.FIGURE: 0.7,
    Reason.ATTRIBUTION: 0.55,
    Reason.COMPARISON: 0.35,
    Reason.CAUSE_OR_TREND: 0.4,
    Reason.NAMED_ACTOR: 0.4,
    Reason.HEDGE: 0.45,
    Reason.EVENT: 0.5,
}
# What an opinion marker or a question leaves of the score.
DAMPING: dict[Reason, float] = {Reason.OPINION: 0.55, Reason.QUESTION: 0.3}
SHORT_DAMPING = 0.5  # fewer than SHORT_WORDS words: a label, a stamp or a fragment
SHORT_WORDS = 4


def _words(*alternatives: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the phrases as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?"
    r"|trillions?|dozens?|half|quarter|a third|two-thirds|double|triple|twice"
)
_FIGURE = re.compile(
    r"\d|[$£€¥%]|\b(?:"
    + _NUMBER_WORDS
    + r"|percent|per cent|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|dollars?|euros?|pounds?|yuan|rupees?"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|aug|sept?|oct|nov|dec"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight"
    r"|last (?:week|month|year|season)|this (?:week|month|year)|next (?:week|month|year)"
    r"|(?:kilo|centi|milli)?met(?:er|re)s?|miles?|km|kg|tons?|tonnes?|acres?|hectares?"
    r"|hours?|minutes?|days|weeks|months|years|decades?|centur(?:y|ies)|seasons"
    r")\b",
    re.IGNORECASE,
)
# "May" and "march" are words too: a month only with a capital, next to a number or "in".
_FALSE_MONTH = re.compile(r"\b(?:may|march|second)\b")

_ATTRIBUTION = _words(
    r"said",
    r"says",
    r"say",
    r"told",
    r"tells",
    r"according to",
    r"reported(?:ly)?",
    r"reports",
    r"announced",
    r"announces",
    r"stated",
    r"wrote",
    r"writes",
    r"added",
    r"claimed",
    r"claims",
    r"confirmed",
    r"denied",
    r"admitted",
    r"estimated",
    r"argued",
    r"warned",
    r"testified",
    r"insisted",
    r"acknowledged",
    r"revealed",
    r"sources?",
    r"study",
    r"survey",
    r"research(?:ers)?",
    r"in a statement",
    r"spokes(?:wo)?m[ae]n",
    r"spokesperson",
    r"officials?",
    r"recounted",
    r"commented",
    r"noted",
    r"cited",
    r"ordered",
    r"explained",
)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|older|younger|better"
    r"|worse) than\b|\b(?:most|least|largest|biggest|highest|lowest|greatest|smallest|best"
    r"|worst|longest|shortest|fastest|slowest|oldest|newest|youngest|richest|poorest|deadliest"
    r"|first|last|only|record|all-time|unprecedented|leading|top|nearly|almost|at least"
    r"|as many as|as much as|up to|outperform\w*|beat|topped)\b",
    re.IGNORECASE,
)
_CAUSE_TREND = _words(
    r"led to",
    r"lead to",
    r"leads to",
    r"caus\w+",
    r"because",
    r"due to",
    r"result(?:ed|s|ing)? in",
    r"as a result",
    r"driven by",
    r"thanks to",
    r"linked to",
    r"associated with",
    r"contributed to",
    r"attributed",
    r"blam\w+",
    r"(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|drop(?:ped|s|ping)?|climb(?:ed|s|ing)?"
    r"|increas\w+|decreas\w+|declin\w+|grow(?:s|n|ing)?|grew|doubl\w+|tripl\w+|halved"
    r"|surg\w+|plung\w+|soar\w+|jump(?:ed|s)?|slump\w*|gain(?:ed|s)?|lost|loss(?:es)?"
    r"|cut|cuts|boost\w*|spik\w+|rall\w+|slipp?\w*|shrank|shrunk|expand\w*|accelerat\w+)",
)
_HEDGE = _words(
    r"(?:is|are|was|were) (?:believed|said|thought|reported|expected|alleged|understood"
    r"|estimated|likely|unlikely|set|due|poised) to",
    r"reportedly",
    r"allegedly",
    r"apparently",
    r"purportedly",
    r"appears? to",
    r"seems? to",
    r"may have",
    r"might have",
    r"could have",
    r"is likely",
    r"are likely",
    r"possibly",
    r"presumably",
)
_OPINION = re.compile(
    r"\b(?:I|we) (?:think|believe|feel|hope|guess|suppose|love|hate|wish|want)\b"
    r"|\bin my (?:opinion|view)\b|\bshould\b|\bmust\b|\bought to\b|\b(?:we|you) need to\b"
    r"|\bhave to\b|\blet's\b|\bimo\b|\bperhaps\b|\bi'm\b|\bi am\b|\bmy\b|\byou'll\b|\byour\b"
    r"|\b(?:amazing|awesome|wonderful|terrible|horrible|great|fantastic|beautiful|lovely"
    r"|brilliant|incredibl[ey]|adorable|cool|fun|funny|worth|deserve[sd]?)\b|!",
    re.IGNORECASE,
)
# A past-tense action verb: common irregular ones, or a word in -ed ("was", "had" are not
# enough: "it was not possible to verify" reports nothing).
_EVENT = re.compile(
    r"\b(?:was|were|had|did|went|came|took|made|gave|got|found|left|won|lost|met|began|began"
    r"|ran|held|brought|bought|sold|paid|built|sent|spent|killed|died|arrested|charged"
    r"|convicted|sentenced|released|launched|signed|agreed|voted|passed|resigned|elected"
    r"|appointed|filed|sued|closed|opened|struck|shot|fired|hit|broke|became|saw|led|kept|told"
    r"|said)\b|\b[a-z]{3,}ed\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# Capitalised words that are not names: sentence openers and pronouns.
_NOT_NAMES = frozenset(
    "i a an the this that these those it its he she they we you his her their our my your"
    " in on at for from with by of to as and but or so yet if when while after before since"
    " because although though however meanwhile now then there here what who why how where"
    " which yes no not also still even just only one some many most all both each every"
    " mr mrs ms dr".split()
)


@dataclass(frozen=True, slots=True)
class Scored:
    """One sentence with its score in [0, 1] and the reasons that fired, in `Reason` order."""

    sentence: Sentence
    score: float
    reasons: tuple[Reason, ...]

    @property
    def text_hash(self) -> str:
        """The hash of the normalised sentence: what stays when the sentence moves."""
        return sentence_hash(self.sentence.text)

    @property
    def key(self) -> tuple[int, int, str]:
        """Start, end and hash: names this sentence in this revision's canonical text."""
        return (self.sentence.start, self.sentence.end, self.text_hash)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every sentence of a text scored, or `english is False` and none."""

    english: bool
    scored: tuple[Scored, ...]
    threshold: float = DEFAULT_THRESHOLD

    def suggestions(self, threshold: float | None = None) -> list[Scored]:
        """The sentences at or above THRESHOLD (the assessment's own by default), in order."""
        t = self.threshold if threshold is None else threshold
        return [s for s in self.scored if s.score >= t]


def assess(text: str, threshold: float = DEFAULT_THRESHOLD) -> Assessment:
    """Score every sentence of the canonical TEXT; none when the text is not English."""
    if not is_english(text):
        return Assessment(False, (), threshold)
    names = known_names(text)
    return Assessment(
        True,
        tuple(Scored(s, *score_sentence(s.text, names)) for s in split_sentences(text)),
        threshold,
    )


def known_names(text: str) -> frozenset[str]:
    """Capitalised words that TEXT uses inside a sentence too: names, even as first words."""
    return frozenset(m.group(1) for m in _INNER_CAPITALISED.finditer(text)) - {"I"}


_INNER_CAPITALISED = re.compile(r"[a-z,;:]\s+([A-Z][\w'’-]+)")


def score_sentence(
    text: str, names: frozenset[str] = frozenset()
) -> tuple[float, tuple[Reason, ...]]:
    """The score in [0, 1] of one sentence and the reasons that fired on it; NAMES are words
    known to be names (`known_names` of the whole text), which count even as the first word."""
    fired = sorted(_reasons(text, names), key=list(Reason).index)
    keep = 1.0
    for r in fired:
        keep *= 1.0 - WEIGHTS.get(r, 0.0)
    score = 1.0 - keep
    for r in fired:
        score *= DAMPING.get(r, 1.0)
    if len(_WORD.findall(text)) < SHORT_WORDS:
        score *= SHORT_DAMPING
    return round(score, 4), tuple(fired)


def _reasons(text: str, names: frozenset[str]) -> Iterable[Reason]:
    if _has_figure(text):
        yield Reason.FIGURE
    if _ATTRIBUTION.search(text):
        yield Reason.ATTRIBUTION
    if _COMPARISON.search(text):
        yield Reason.COMPARISON
    if _CAUSE_TREND.search(text):
        yield Reason.CAUSE_OR_TREND
    if _HEDGE.search(text):
        yield Reason.HEDGE
    named = _has_name(text, names)
    event = bool(_EVENT.search(text))
    if named and (event or _ATTRIBUTION.search(text)):
        yield Reason.NAMED_ACTOR
    if event:
        yield Reason.EVENT
    if _OPINION.search(text):
        yield Reason.OPINION
    if text.rstrip("\"'”’)] ").endswith("?"):
        yield Reason.QUESTION


def _has_figure(text: str) -> bool:
    for m in _FIGURE.finditer(text):
        word = m.group(0)
        if _FALSE_MONTH.fullmatch(word):
            continue  # "may", "march", "second" in lower case: a verb, a noun, an adverb
        return True
    return False


def _has_name(text: str, names: frozenset[str]) -> bool:
    """Whether a capitalised word other than an opener or a pronoun names someone."""
    words = _WORD.findall(text)
    for i, w in enumerate(words):
        if not w[0].isupper() or w.lower().strip(".'’") in _NOT_NAMES:
            continue
        if i == 0 and not (w.isupper() and len(w) > 1) and len(words) > 1:
            # The first word is capitalised anyway: a name only when the next one is too
            # ("Home Depot reported") or it is an acronym ("NASA announced").
            if not words[1][0].isupper() and w not in names:
                continue
        return True
    return False


# English function words, and those of the languages most often mistaken for it in Latin
# script (German, Dutch, French, Spanish, Portuguese, Italian, Indonesian), without the words the
# two lists share ("a", "as", "in", "die", "is"). English prose has 25-45 % of the first and
# almost none of the second; those languages the other way round. A list of scores or workouts
# has few of either, so it is judged by which list it has more of.
_ENGLISH_STOPWORDS = frozenset(
    "the of and to for it on was with he she they his her at by be this are from or have has"
    " had not but were which their its been will would who you we said there what when more"
    " can about also after into than out up so if all our your them these those my me".split()
)
_OTHER_STOPWORDS = frozenset(
    "der das und nicht mit von zu im ein eine auf für ist sich auch dem des wird sind"
    " het een niet zijn voor ook naar"
    " le les des et est une pour dans qui ne pas sur au du avec ce sont"
    " el la los las y es del al una con por para que se lo su como más"
    " de da do em um não os ao uma mais com são"
    " di che il per non sono della gli delle"
    " yang dan ini itu dengan untuk tidak dari dalam akan pada juga adalah".split()
)
ENGLISH_MIN_SHARE = 0.05
# Letters outside the Latin script (Cyrillic, CJK, Hangul, Arabic...).
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")


def is_english(text: str) -> bool:
    """Whether TEXT reads as English: Latin script, and more English function words than those
    of other languages (a text of a few words is taken as English unless its script says not)."""
    sample = text[:200_000]
    letters = sum(c.isalpha() for c in sample)
    if letters and len(_NON_LATIN.findall(sample)) > 0.3 * letters:
        return False
    words = [w.lower() for w in _WORD.findall(sample)]
    english = sum(w in _ENGLISH_STOPWORDS for w in words)
    other = sum(w in _OTHER_STOPWORDS for w in words)
    if english + other < 5:
        return True  # too few function words to tell (a heading, a table of figures)
    return english >= ENGLISH_MIN_SHARE * len(words) and english > 2 * other
