"""AI involvement, editorial responsibility and review scope: the gate's refusals, what the store
keeps, the signed Markdown's front matter read back, the bundle's round trip."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from reviewapp.core.errors import BadInput, ReviewLocked
from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.core.model import AiInvolvement, EditorialResponsibility, ReviewScope
from reviewapp.core.sourcetypes import SOURCE_TYPES, suggested_source_type
from reviewapp.core.states import AiAssisted, AiRole
from reviewapp.export import render
from reviewapp.export.accountability import accountability_from_front_matter
from reviewapp.export.bundle import read_bundle, render_bundle, review_from_bundle
from reviewapp.export.frontmatter import front_matter_fields
from reviewapp.export.markdown import SignoffBlock, render_markdown
from reviewapp.store import ReviewStore
from tests.conftest import examine_suggestions, file_digest, make_draft, record_accountability

DISCLOSURE = "This article was written with AI assistance."
PARAS = ["Amazon has committed $4 billion to the startup.", DISCLOSURE]


@pytest.fixture
def store(db_path):
    with ReviewStore(db_path) as s:
        yield s


@pytest.fixture
def review_id(store) -> int:
    review_id = store.add_article(make_draft(PARAS, title="Amazon and Anthropic"))
    store.set_review(review_id, reviewer="Ada Editor", verdict="publish")
    examine_suggestions(store, review_id)  # the other rule of the gate
    return review_id


def rules(store, review_id) -> list[GateRule]:
    return [p.kind for p in gate_problems(store.load_review(review_id))]


# ---------------------------------------------------------------------- the gate
def test_the_gate_refuses_while_ai_involvement_is_unknown_and_nobody_is_responsible(
    store, review_id
):
    problems = gate_problems(store.load_review(review_id))
    assert [p.kind for p in problems] == [GateRule.AI_INVOLVEMENT, GateRule.RESPONSIBILITY]
    assert str(problems[0]).startswith("whether AI helped write the draft is not recorded")
    assert str(problems[1]) == (
        "nobody is named as holding editorial responsibility for the publication"
    )


def test_unknown_passes_the_gate_only_with_a_reason(store, review_id):
    holder = EditorialResponsibility("The Daily Example")
    store.set_accountability(review_id, ai=AiInvolvement("unknown"), responsibility=holder)
    assert rules(store, review_id) == [GateRule.AI_INVOLVEMENT]
    store.set_accountability(review_id, ai=AiInvolvement("unknown", unknown_reason="   "))
    assert rules(store, review_id) == [GateRule.AI_INVOLVEMENT]
    store.set_accountability(
        review_id, ai=AiInvolvement("unknown", unknown_reason="The freelancer cannot be reached")
    )
    assert rules(store, review_id) == []


@pytest.mark.parametrize("assisted", ["yes", "no"])
def test_a_plain_answer_and_a_named_holder_pass_the_gate(store, review_id, assisted):
    store.set_accountability(
        review_id,
        ai=AiInvolvement(assisted),
        responsibility=EditorialResponsibility("The Daily Example"),
    )
    assert rules(store, review_id) == []


def test_a_blank_holder_is_nobody(store, review_id):
    store.set_accountability(
        review_id, ai=AiInvolvement("no"), responsibility=EditorialResponsibility("  ", "Editor")
    )
    assert rules(store, review_id) == [GateRule.RESPONSIBILITY]


# ---------------------------------------------------------------------- the store
def test_a_new_review_starts_with_the_librarys_defaults_and_an_unticked_scope(store):
    defaults = EditorialResponsibility("The Daily Example", "Managing editor", "desk@example.org")
    store.set_organisation_defaults(defaults)
    review_id = store.add_article(make_draft(PARAS))
    data = store.load_review(review_id)
    assert data.responsibility == defaults
    assert data.scope == ReviewScope()
    assert data.ai == AiInvolvement()
    assert data.accountability_recorded


def test_a_change_is_kept_logged_and_refused_on_a_signed_off_review(store, review_id):
    store.set_accountability(review_id, scope=ReviewScope(claims_checked=True))
    assert store.load_review(review_id).scope == ReviewScope(claims_checked=True)
    assert store.events(review_id)[-1]["action"] == "accountability"
    store.set_status(review_id, "signed-off")
    with pytest.raises(ReviewLocked, match="signed off"):
        store.set_accountability(review_id, scope=ReviewScope())


@pytest.mark.parametrize(
    "ai, message",
    [
        (AiInvolvement("yes", tools="Claude\n3"), "AI tools holds a line break"),
        (AiInvolvement("yes", source_type="deepfake"), "unknown digital source type"),
        (AiInvolvement("yes", role_other="fact boxes"), "needs the role 'other'"),
        (
            AiInvolvement("yes", disclosure=DISCLOSURE, disclosure_start=0, disclosure_end=10),
            "not at the place it is pinned",
        ),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(store, review_id, db_path, ai, message):
    store.close()
    before = file_digest(db_path)
    with ReviewStore(db_path) as again, pytest.raises(BadInput, match=message):
        again.set_accountability(review_id, ai=ai)
    assert file_digest(db_path) == before


def test_a_pinned_disclosure_follows_its_text_when_the_draft_moves_it():
    ai = AiInvolvement("yes", disclosure="AI helped.", disclosure_start=0, disclosure_end=10)
    assert ai.disclosure_span("AI helped. More.") == (0, 10)
    assert ai.disclosure_span("New lead. AI helped.") == (10, 20)
    assert ai.disclosure_span("AI helped. AI helped.") == (0, 10)
    assert ai.disclosure_span("Gone.") is None


# ---------------------------------------------------------------------- source types
def test_every_source_type_has_an_iptc_uri_and_plain_words():
    for kind in SOURCE_TYPES:
        assert kind.uri == f"http://cv.iptc.org/newscodes/digitalsourcetype/{kind.code}"
        assert kind.label and kind.iptc_name and kind.explanation
    labels = {t.code: t.label for t in SOURCE_TYPES}
    assert labels["trainedAlgorithmicMedia"] == "Created by AI"
    assert labels["compositeWithTrainedAlgorithmicMedia"] == "AI-assisted edit of human work"


def test_the_roles_suggest_the_most_ai_source_type_among_them():
    yes = AiAssisted.YES
    assert suggested_source_type(yes, [AiRole.HEADLINES]) == "compositeSynthetic"
    assert suggested_source_type(yes, [AiRole.HEADLINES, AiRole.REWROTE]) == (
        "compositeWithTrainedAlgorithmicMedia"
    )
    assert suggested_source_type(yes, [AiRole.REWROTE, AiRole.DRAFTED]) == (
        "trainedAlgorithmicMedia"
    )
    assert suggested_source_type(yes, [AiRole.OTHER]) == ""
    assert suggested_source_type(AiAssisted.NO, []) == "digitalCreation"
    assert suggested_source_type(AiAssisted.UNKNOWN, [AiRole.DRAFTED]) == ""


# ---------------------------------------------------------------------- exports
def full_record(store, review_id) -> None:
    text = store.load_review(review_id).revision.text
    start = text.index(DISCLOSURE)
    store.set_accountability(
        review_id,
        ai=AiInvolvement(
            "yes",
            tools='Claude 3.5 Sonnet "writer edition"',
            roles=(AiRole.OTHER, AiRole.DRAFTED),
            role_other="suggested the pull quote",
            source_type="trainedAlgorithmicMedia",
            disclosure=DISCLOSURE,
            disclosure_start=start,
            disclosure_end=start + len(DISCLOSURE),
        ),
        responsibility=EditorialResponsibility(
            "The Daily Example: News # Desk", "Managing editor", "desk@example.org"
        ),
        scope=ReviewScope(claims_checked=True, corrections_requested=True),
    )


def test_the_signed_markdown_front_matter_reads_back_to_the_same_record(store, review_id):
    full_record(store, review_id)
    data = store.load_review(review_id)
    block = SignoffBlock("Ada Editor", "ada@example.org", "2026-11-27T19:03:10Z", "SHA256:x")
    markdown = render_markdown(data, block).encode("utf-8")
    fields = front_matter_fields(markdown)
    assert fields["ai_source_type_uri"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )
    back = accountability_from_front_matter(fields)
    assert (back.ai, back.responsibility, back.scope, back.recorded) == (
        data.ai,
        data.responsibility,
        data.scope,
        True,
    )


def test_the_markdown_has_a_readable_section_in_plain_words(store, review_id):
    full_record(store, review_id)
    text = render_markdown(store.load_review(review_id))
    section = text.split("## AI involvement and editorial responsibility\n\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert "- **AI assisted:** Yes, AI helped write it" in section
    assert "Drafted the text; Other: suggested the pull quote" in section
    assert "Created by AI (IPTC digital source type [trainedAlgorithmicMedia](" in section
    assert f"- **The writer's disclosure:** “{DISCLOSURE}”" in section
    assert "- **Editorial responsibility:** The Daily Example: News # Desk (Managing editor)" in (
        section
    )
    assert "- Every factual claim was checked against sources: **yes**" in section
    assert "- The sources were checked for reliability: **no**" in section


def test_the_bundle_round_trips_the_record(store, review_id):
    full_record(store, review_id)
    data = store.load_review(review_id)
    bundle = read_bundle(render_bundle(data))
    assert bundle["version"] >= 3  # version 3 added the record
    back = review_from_bundle(bundle).data
    assert (back.ai, back.responsibility, back.scope, back.accountability_recorded) == (
        data.ai,
        data.responsibility,
        data.scope,
        True,
    )


def test_a_version_2_bundle_reads_as_not_recorded(store, review_id):
    full_record(store, review_id)
    bundle = json.loads(render_bundle(store.load_review(review_id)))
    bundle["version"] = 2
    del bundle["review"]["accountability"]
    back = review_from_bundle(read_bundle(json.dumps(bundle).encode())).data
    assert not back.accountability_recorded
    assert back.ai == AiInvolvement() and back.responsibility == EditorialResponsibility()
    assert "Not recorded: this review was made before" in render_markdown(back)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a["ai_involvement"].update(disclosure_start=0), "not where it says"),
        (lambda a: a["ai_involvement"].update(assisted="maybe"), "unknown ai assisted"),
        (lambda a: a["editorial_responsibility"].update(holder="A\nB"), "line break"),
        (lambda a: a["review_scope"].update(claims_checked="yes"), "wrong type"),
        (lambda a: a.pop("review_scope"), "has no 'review_scope'"),
    ],
)
def test_a_bundle_with_a_broken_record_is_refused(store, review_id, change, message):
    full_record(store, review_id)
    bundle = json.loads(render_bundle(store.load_review(review_id)))
    change(bundle["review"]["accountability"])
    with pytest.raises(BadInput, match=message):
        read_bundle(json.dumps(bundle).encode())


def test_a_signed_record_from_before_schema_5_renders_as_it_was_signed(store):
    review_id = store.add_article(make_draft(PARAS, title="Old"))
    record_accountability(store, review_id)
    data = replace(store.load_review(review_id), accountability_recorded=False)
    block = SignoffBlock("Ada Editor", "", "2026-11-27T19:03:10Z", "SHA256:x")
    signed = render_markdown(data, block)
    assert "AI involvement" not in signed and "ai_assisted" not in signed
    assert "Not recorded" in render_markdown(data)  # unsigned, it says so


def test_w3c_states_the_record_in_words_and_as_data_and_marks_the_disclosure(store, review_id):
    full_record(store, review_id)
    data = store.load_review(review_id)
    items = json.loads(render(data, "w3c"))["first"]["items"]
    by_end = {item["id"].rsplit(":", 1)[1]: item for item in items}
    record = by_end["accountability"]
    assert record["motivation"] == "describing"
    assert "AI assisted: Yes, AI helped write it." in record["body"]["value"]
    assert (
        "Editorial responsibility: The Daily Example: News # Desk (Managing editor)"
        in (record["body"]["value"])
    )
    assert record["reviewapp:ai"]["source_type_uri"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )
    assert record["reviewapp:editorialResponsibility"]["contact"] == "desk@example.org"
    assert record["reviewapp:reviewScope"]["claims_checked"] is True
    disclosure = by_end["disclosure"]
    assert disclosure["motivation"] == "identifying"
    quote, position = disclosure["target"]["selector"]
    assert quote["exact"] == DISCLOSURE
    assert data.revision.text[position["start"] : position["end"]] == DISCLOSURE


def test_claimreview_names_the_digital_source_type_of_the_reviewed_article(store, review_id):
    store.add_claim_by_quote(review_id, "committed $4 billion", status="false")
    full_record(store, review_id)
    (item,) = json.loads(render(store.load_review(review_id), "claimreview"))
    appearance = item["itemReviewed"]["appearance"]
    assert (
        appearance["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"
    )
    store.set_accountability(review_id, ai=AiInvolvement("yes", source_type="humanEdits"))
    (item,) = json.loads(render(store.load_review(review_id), "claimreview"))
    assert "digitalSourceType" not in item["itemReviewed"]["appearance"]  # schema.org has none


def test_a_new_revision_moves_the_pinned_disclosure_with_its_words(store, review_id):
    from reviewapp.workflows.revisions import import_revision

    full_record(store, review_id)
    moved = make_draft(["A new first paragraph.", *PARAS], title="Amazon and Anthropic")
    import_revision(store, review_id, moved)
    data = store.load_review(review_id)
    ai = data.ai
    assert data.revision.text[ai.disclosure_start : ai.disclosure_end] == DISCLOSURE
    # Still editable: the record holds together on the new text.
    store.set_accountability(review_id, ai=replace(ai, tools="Claude 4"))
    gone = make_draft(["Only a first paragraph now."], title="Amazon and Anthropic")
    import_revision(store, review_id, gone)
    ai = store.load_review(review_id).ai
    assert (ai.disclosure, ai.disclosure_start, ai.disclosure_end) == (DISCLOSURE, None, None)
