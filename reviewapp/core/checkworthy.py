"""Check-worthiness: which sentences of a draft assert something a fact-checker could verify.

Offline and deterministic: word patterns, no model. Each sentence of the canonical text
(`core.sentences.split_sentences`) gets the reasons that fire on it; each reason carries a
weight, the weights combine as independent evidence (1 - product of (1 - weight)), and opinion
markers and questions multiply the result down. A sentence at or above the threshold is a
suggestion.

How the numbers were chosen, honestly: the weights were first set by reading the output on
corpus articles outside the labelled sets; measured blind on the first labelled set
(`benchmarks/checkworthy/labels.tsv`) at threshold 0.5 they gave precision 0.80, recall 0.88.
Its errors were then read and the word lists, the opinion damping and the threshold (0.4:
recall first, since a missed claim costs an editor more than a suggestion dismissed with one
key) adjusted, so that set became a development set. The second set (`heldout.tsv`) was
labelled before the detector ever ran on it: its figures are the blind ones.

A text that is not English gets `Assessment.english is False` and no suggestions: the patterns
are English, and on another language they would suggest nonsense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewapp.core import claimwords as w
from reviewapp.core.sentences import Sentence, sentence_hash, split_sentences
from reviewapp.core.states import DomainState

DEFAULT_THRESHOLD = 0.4


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


_ORDER = {r: i for i, r in enumerate(Reason)}
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
DAMPING: dict[Reason, float] = {Reason.OPINION: 0.35, Reason.QUESTION: 0.3}
MILD_OPINION_DAMPING = 0.7  # only first/second person or praise words (`MILD_OPINION_WORDS`)
SHORT_DAMPING = 0.4  # fewer than SHORT_WORDS words: a label, a stamp or a fragment
SHORT_WORDS = 4


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_FIGURE_CHAR = re.compile(r"[\d$£€¥%]")
_CAUSE_TREND_STEM = re.compile(r"\b(?:" + "|".join(w.CAUSE_TREND_STEMS) + ")")
_PAST_ED = re.compile(r"\b[a-z]{4,}ed\b")  # a word of six letters or more in -ed
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


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
    found, count, mild = _reasons(text, names)
    if mild and Reason.OPINION not in found:
        found.add(Reason.OPINION)
    else:
        mild = False
    fired = sorted(found, key=_ORDER.__getitem__)
    keep = 1.0
    for r in fired:
        keep *= 1.0 - WEIGHTS.get(r, 0.0)
    score = 1.0 - keep
    for r in fired:
        score *= MILD_OPINION_DAMPING if mild and r is Reason.OPINION else DAMPING.get(r, 1.0)
    if count < SHORT_WORDS:
        score *= SHORT_DAMPING
    return round(score, 4), tuple(fired)


def _reasons(text: str, names: frozenset[str]) -> tuple[set[Reason], int, bool]:
    """The reasons that fire on TEXT, how many words it has, and whether it has a mild opinion
    marker."""
    lower = text.lower().replace("’", "'")
    words = _TOKEN.findall(lower)
    fired: set[Reason] = set()
    mild = acting = False
    for i, word in enumerate(words):
        found = _WORD_REASONS.get(word)
        if found:
            fired.update(found)
        if word in w.MILD_OPINION_WORDS:
            mild = True
        elif word in w.AUXILIARIES:
            acting = True
        for rest, reason in _PHRASES.get(word, ()):
            if reason not in fired and tuple(words[i + 1 : i + 1 + len(rest)]) == rest:
                fired.add(reason)
    if _FIGURE_CHAR.search(text) or any(m in text for m in w.CAPITAL_MONTHS):
        fired.add(Reason.FIGURE)
    if Reason.CAUSE_OR_TREND not in fired and _CAUSE_TREND_STEM.search(lower):
        fired.add(Reason.CAUSE_OR_TREND)
    if Reason.EVENT not in fired and _PAST_ED.search(lower):
        fired.add(Reason.EVENT)
    if "!" in text:
        fired.add(Reason.OPINION)
    if (acting or Reason.EVENT in fired or Reason.ATTRIBUTION in fired) and _has_name(text, names):
        fired.add(Reason.NAMED_ACTOR)
    if text.rstrip("\"'”’)] ").endswith("?"):
        fired.add(Reason.QUESTION)
    return fired, len(words), mild


def _vocabulary() -> tuple[
    dict[str, frozenset[Reason]], dict[str, tuple[tuple[tuple[str, ...], Reason], ...]]
]:
    """Word -> the reasons it fires; first word of a phrase -> (the rest of it, its reason)."""
    lists: tuple[tuple[Reason, frozenset[str], frozenset[str]], ...] = (
        (Reason.FIGURE, w.FIGURE_WORDS, w.FIGURE_PHRASES),
        (Reason.ATTRIBUTION, w.ATTRIBUTION_WORDS, w.ATTRIBUTION_PHRASES),
        (Reason.COMPARISON, w.COMPARISON_WORDS, w.COMPARISON_PHRASES),
        (Reason.CAUSE_OR_TREND, w.CAUSE_TREND_WORDS, w.CAUSE_TREND_PHRASES),
        (Reason.HEDGE, w.HEDGE_WORDS, w.HEDGE_PHRASES),
        (Reason.EVENT, w.EVENT_WORDS, frozenset()),
        (Reason.OPINION, w.OPINION_WORDS, w.OPINION_PHRASES),
    )
    single: dict[str, set[Reason]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], Reason]]] = {}
    for reason, words, multi in lists:
        for word in words:
            single.setdefault(word, set()).add(reason)
        for phrase in sorted(multi):
            first, *rest = phrase.split()
            phrases.setdefault(first, []).append((tuple(rest), reason))
    return (
        {k: frozenset(v) for k, v in single.items()},
        {k: tuple(v) for k, v in phrases.items()},
    )


_WORD_REASONS, _PHRASES = _vocabulary()


def _has_name(text: str, names: frozenset[str]) -> bool:
    """Whether a capitalised word other than an opener or a pronoun names someone."""
    words = _WORD.findall(text)
    for i, word in enumerate(words):
        if not word[0].isupper() or word.lower().strip(".'’") in w.NOT_NAMES:
            continue
        # The first word is capitalised anyway: a name only when the next one is too ("Home
        # Depot reported"), it is an acronym ("NASA announced") or the text uses it inside
        # sentences too ("Andrew doesn't remember").
        if (
            i == 0
            and not (word.isupper() and len(word) > 1)
            and len(words) > 1
            and not words[1][0].isupper()
            and word not in names
        ):
            continue
        return True
    return False


# English function words, and those of the languages most often mistaken for it in Latin
# script (German, Dutch, French, Spanish, Portuguese, Italian, Indonesian), without the words the
# two lists share ("a", "as", "in", "die", "is"). English prose has 25-45 % of the first and
# almost none of the second; those languages the other way round. A list of scores or workouts
# has few of either, so it is judged by which list it has more of.
ENGLISH_MIN_SHARE = 0.05
ENGLISH_SAMPLE = 20_000  # characters: a few thousand words tell the language
# Letters outside the Latin script (Cyrillic, CJK, Hangul, Arabic...).
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")


def is_english(text: str) -> bool:
    """Whether TEXT reads as English: Latin script, and more English function words than those
    of other languages (a text of a few words is taken as English unless its script says not)."""
    sample = text[:ENGLISH_SAMPLE]
    letters = sum(c.isalpha() for c in sample)
    if letters and len(_NON_LATIN.findall(sample)) > 0.3 * letters:
        return False
    words = [x.lower() for x in _WORD.findall(sample)]
    english = sum(x in w.ENGLISH_STOPWORDS for x in words)
    other = sum(x in w.OTHER_STOPWORDS for x in words)
    if english + other < 5:
        return True  # too few function words to tell (a heading, a table of figures)
    return english >= ENGLISH_MIN_SHARE * len(words) and english > 2 * other
