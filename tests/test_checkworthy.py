"""Check-worthiness suggestions (core/checkworthy.py): each reason fires on a sentence built for
it and stays quiet on a near miss, opinion and questions lower the score, the sample draft's
known claims are suggested, other languages get the English-only answer."""

from __future__ import annotations

import pytest

from reviewapp.core.checkworthy import (
    DEFAULT_THRESHOLD,
    Reason,
    assess,
    is_english,
    known_names,
    score_sentence,
)
from reviewapp.core.sentences import sentence_hash
from reviewapp.core.text import build_document
from reviewapp.ingest.plaintext import text_parts
from tests.conftest import SAMPLE

# (reason, a sentence built for it, a near miss on which it must stay quiet)
CASES = [
    (Reason.FIGURE, "The company hired 250 engineers.", "The company hired engineers."),
    (Reason.FIGURE, "Prices rose 4.5% in the spring.", "Prices rose in the spring."),
    (Reason.FIGURE, "The deal was worth $3 billion.", "The deal was worth the trouble."),
    (Reason.FIGURE, "The hearing is on March 3.", "The soldiers march on."),
    (Reason.FIGURE, "The hearing was postponed to Tuesday.", "The hearing was postponed again."),
    (Reason.FIGURE, "The rocket carries seven tons of fuel.", "The rocket carries fuel."),
    (Reason.FIGURE, "She finished third in the race.", "She finished the race."),
    (Reason.ATTRIBUTION, "The minister said the plan was ready.", "The plan was ready."),
    (Reason.ATTRIBUTION, "According to the filing, the plan failed.", "The plan failed."),
    (Reason.ATTRIBUTION, "The firm reportedly cut its staff.", "The firm cut its staff."),
    (Reason.ATTRIBUTION, "Sources say the talks collapsed.", "The talks collapsed."),
    (Reason.COMPARISON, "It is the largest dam in the region.", "It is a dam in the region."),
    (Reason.COMPARISON, "More than a hundred people came.", "A crowd of people came."),
    (Reason.COMPARISON, "Sales reached a record this spring.", "Sales reached the shops."),
    (Reason.CAUSE_OR_TREND, "The drought led to higher prices.", "The drought ended in May."),
    (Reason.CAUSE_OR_TREND, "Exports doubled after the reform.", "Exports resumed after it."),
    (Reason.CAUSE_OR_TREND, "Unemployment rose sharply.", "Unemployment is a worry."),
    (Reason.CAUSE_OR_TREND, "The fire was caused by a faulty cable.", "The fire was put out."),
    (Reason.NAMED_ACTOR, "Mayor Jane Ortiz signed the order.", "the mayor signed the order."),
    (Reason.NAMED_ACTOR, "The board of Acme announced a merger.", "The board liked a merger."),
    (Reason.HEDGE, "The suspect is believed to be abroad.", "The suspect is abroad."),
    (Reason.HEDGE, "The ship is said to carry arms.", "The ship can carry arms."),
    (Reason.HEDGE, "The vote was allegedly rigged.", "The vote was close."),
    (Reason.OPINION, "I think the council was wrong.", "The council was wrong."),
    (Reason.OPINION, "The city should build more housing.", "The city builds housing."),
    (Reason.QUESTION, "Did the council vote on Tuesday?", "The council voted on Tuesday."),
]


@pytest.mark.parametrize(("reason", "built", "near_miss"), CASES)
def test_each_reason_fires_on_its_sentence_and_not_on_a_near_miss(reason, built, near_miss):
    assert reason in score_sentence(built)[1], built
    assert reason not in score_sentence(near_miss)[1], near_miss


def test_a_name_first_in_its_sentence_counts_when_the_text_uses_it_inside_sentences():
    text = "Yesterday the court heard Andrew. Andrew denied the charges."
    names = known_names(text)
    assert Reason.NAMED_ACTOR in score_sentence("Andrew denied the charges.", names)[1]
    # Without that evidence a capitalised first word is only the start of a sentence.
    assert Reason.NAMED_ACTOR not in score_sentence("Teachers denied the charges.", names)[1]


@pytest.mark.parametrize(
    ("plain", "marked"),
    [
        ("The plant closed in 2019.", "I think the plant closed in 2019."),
        ("The minister said the plan was ready.", "The minister said the plan should be ready."),
        ("The plant closed in 2019.", "Did the plant close in 2019?"),
    ],
)
def test_opinion_markers_and_questions_lower_the_score(plain, marked):
    assert score_sentence(marked)[0] < score_sentence(plain)[0]


def test_scores_lie_between_0_and_1_and_a_plain_statement_with_nothing_checkable_is_not_suggested():
    for sentence in ["It is.", "We love it!", "Why?", *(c[1] for c in CASES)]:
        assert 0.0 <= score_sentence(sentence)[0] <= 1.0
    assert score_sentence("The weather is nice and the view is calm.")[0] < DEFAULT_THRESHOLD
    assert score_sentence("Wow, what a view!")[0] < DEFAULT_THRESHOLD


def sample_text() -> str:
    parts, _title = text_parts(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)
    return build_document(parts).text


@pytest.mark.parametrize(
    "claim",
    [
        "has committed $4 billion",
        "suspended global access to two specific model versions",
        "99.9% reliability",
    ],
)
def test_the_sample_drafts_known_claims_are_all_suggested(claim):
    text = sample_text()
    start = text.index(claim)
    covering = [s for s in assess(text).suggestions() if s.sentence.start <= start < s.sentence.end]
    assert covering, f"no suggestion covers {claim!r}"
    assert covering[0].reasons


def test_a_suggestion_names_its_sentence_by_offsets_and_a_hash_that_survives_a_move():
    first = "Intro words here. The mill closed in 1990 after a flood."
    moved = "A new opening paragraph.\n\nIntro words here. The mill closed in 1990 after a flood."
    a = next(s for s in assess(first).suggestions() if "mill" in s.sentence.text)
    b = next(s for s in assess(moved).suggestions() if "mill" in s.sentence.text)
    assert first[a.key[0] : a.key[1]] == "The mill closed in 1990 after a flood."
    assert moved[b.key[0] : b.key[1]] == a.sentence.text
    assert a.key[2] == b.key[2] == sentence_hash("the  mill closed in 1990 after a FLOOD.")
    assert a.key != b.key  # the offsets say where it is in this revision


def test_offsets_are_code_points_even_after_astral_characters():
    text = "🙂🙂 Fans cheered. The club signed 3 players in June."
    s = next(s for s in assess(text).suggestions() if "club" in s.sentence.text)
    assert text[s.sentence.start : s.sentence.end] == "The club signed 3 players in June."


@pytest.mark.parametrize(
    "text",
    [
        "Die Regierung hat am Dienstag einen neuen Plan vorgestellt, der die Steuern für "
        "Familien senken soll. Der Minister sagte, das sei nicht mit der Opposition abgestimmt.",
        "Le gouvernement a présenté mardi un nouveau plan pour les familles. Le ministre a dit "
        "que ce n'est pas une surprise et que le vote est pour la semaine prochaine.",
        "政府は火曜日に新しい計画を発表した。大臣は、家族の税金を下げると述べた。",
        "Правительство во вторник представило новый план. Министр сказал, что налоги снизят.",
    ],
)
def test_another_language_gets_the_english_only_answer_and_no_suggestions(text):
    result = assess(text)
    assert result.english is False
    assert result.suggestions() == [] and result.scored == ()


def test_english_text_including_a_table_of_figures_is_taken_as_english():
    assert is_english(sample_text())
    assert is_english("Palm Bay 70, Rockledge 44\n\nMelbourne 51, Viera 48")
    assert assess(sample_text()).english
