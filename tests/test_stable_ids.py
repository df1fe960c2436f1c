"""Stable ids: what `claim add` prints keeps naming the same claim, in every command, in every
library a bundle reaches, in the W3C export; and numbers stay for people."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from reviewapp.export import render
from reviewapp.store import ReviewStore
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db, undo_stable_ids
from tests.test_bundle_import_support import as_version_1, bundle_bytes, other_library, tampered
from tests.test_states import old_library

FOUR_BILLION = "has committed $4 billion"
EARLIER = "suspended global access to two specific model versions"
ADDED = re.compile(r"(claim|source|takeaway) (\d+) \(([cst]-[0-9a-z]{8})\)")
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def is_id(value: object, prefix: str) -> bool:
    """The documented shape: a kind letter, a hyphen, 8 lower-case Crockford base32 characters."""
    return (
        isinstance(value, str) and re.fullmatch(f"{prefix}-[{CROCKFORD}]{{8}}", value) is not None
    )


@pytest.fixture
def review(cli, sample_path) -> str:
    result = cli("import", sample_path)
    assert result.code == 0, result.err
    return result.out.strip()


def _added(result) -> tuple[int, str]:
    """(number, stable id) from what an add command printed."""
    assert result.code == 0, result.err
    match = ADDED.fullmatch(result.out.strip())
    assert match, result.out
    return int(match.group(2)), match.group(3)


def _show(cli, review_id: str) -> dict:
    return json.loads(cli("show", review_id, "--json").out)


def _claim(shown: dict, stable_id: str) -> dict:
    return next(c for c in shown["claims"] if c["id"] == stable_id)


# ---------------------------------------------------------------------- the script
def test_the_id_claim_add_prints_still_names_that_claim_after_an_earlier_one_is_added(cli, review):
    number, four_billion = _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    assert number == 1
    assert _added(cli("claim", "add", review, "--quote", EARLIER))[0] == 1  # it goes first
    # The kept number now names the other claim; the kept id still names the $4 bn one.
    assert cli("claim", "set", review, four_billion, "--status", "false").code == 0
    shown = _show(cli, review)
    four = _claim(shown, four_billion)
    assert (four["number"], four["quote"], four["status"]) == (2, FOUR_BILLION, "false")
    assert next(c for c in shown["claims"] if c["number"] == 1)["status"] == "unchecked"
    text = cli("show", review).out
    assert f"2. {four_billion}  (False)" in text


def test_add_commands_print_number_and_id_and_json_for_scripts(cli, review):
    claim = json.loads(cli("claim", "add", review, "--quote", FOUR_BILLION, "--json").out)
    assert claim["number"] == 1 and is_id(claim["id"], "c")
    source = json.loads(
        cli("source", "add", review, "--title", "Filing", "--claim", claim["id"], "--json").out
    )
    assert source["number"] == 1 and is_id(source["id"], "s")
    number, takeaway = _added(cli("takeaway", "add", review, "Check the figure"))
    assert number == 1 and is_id(takeaway, "t")
    shown = _show(cli, review)
    assert shown["claims"][0]["source_ids"] == [source["id"]]
    assert shown["sources"][0]["claim_ids"] == [claim["id"]]
    assert shown["takeaways"][0]["id"] == takeaway


# ---------------------------------------------------------------------- every command
def test_every_claim_and_source_command_takes_the_stable_id(cli, review):
    _, first = _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    _, second = _added(cli("claim", "add", review, "--quote", "99.9% reliability"))
    _, source = _added(
        cli("source", "add", review, "--url", "https://a.example/", "--claim", first)
    )
    assert cli("claim", "set", review, second, "--note", "ask the vendor").code == 0
    assert cli("source", "set", review, source, "--claim", second, "--unlink", first).code == 0
    assert cli("source", "set", review, source, "--credibility", "credible").code == 0
    shown = _show(cli, review)
    assert _claim(shown, second)["note"] == "ask the vendor"
    assert _claim(shown, second)["source_ids"] == [source]
    assert _claim(shown, first)["source_ids"] == []
    assert shown["sources"][0]["credibility"] == "credible"
    assert cli("source", "rm", review, source).code == 0
    assert cli("claim", "rm", review, first).code == 0
    shown = _show(cli, review)
    assert shown["sources"] == [] and [c["id"] for c in shown["claims"]] == [second]


def test_takeaway_rm_takes_the_stable_id(cli, review):
    _, first = _added(cli("takeaway", "add", review, "First"))
    _added(cli("takeaway", "add", review, "Second"))
    assert cli("takeaway", "rm", review, first).code == 0
    assert [t["text"] for t in _show(cli, review)["takeaways"]] == ["Second"]


def test_anchor_commands_take_the_stable_id(cli, review, tmp_path, sample_path):
    _, kept = _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    _, cut = _added(cli("claim", "add", review, "--quote", "99.9% reliability"))
    text = sample_path.read_text(encoding="utf-8")
    newer = tmp_path / "newer.txt"  # the writer cut the paragraph of the 99.9% claim
    paragraphs = [p for p in text.split("\n") if "99.9% reliability" not in p]
    newer.write_text(
        "\n".join(paragraphs).replace(FOUR_BILLION, "has committed $4 billion so far"),
        encoding="utf-8",
    )
    assert cli("import", newer, "--revision-of", review).code == 0
    states = {c["id"]: c["anchor_state"] for c in _show(cli, review)["claims"]}
    assert states[cut] not in ("anchored", "moved"), states  # its words are gone
    assert cli("anchor", "orphan", review, cut, "--note", "cut").code == 0
    assert _claim(_show(cli, review), cut)["anchor_state"] == "orphaned"
    result = cli("anchor", "reattach", review, cut, "--quote", "Bedrock platform")
    assert re.fullmatch(rf"claim \d \({cut}\)", result.out.strip()), result
    if states[kept] not in ("anchored", "moved"):
        assert cli("anchor", "confirm", review, kept).code == 0
    assert {c["anchor_state"] for c in _show(cli, review)["claims"]} <= {"anchored", "moved"}


def test_an_id_is_accepted_as_people_type_it(cli, review):
    _, stable = _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    typed = stable.upper().replace("0", "O").replace("1", "l")
    assert cli("claim", "set", review, typed, "--note", "typed by hand").code == 0
    assert _claim(_show(cli, review), stable)["note"] == "typed by hand"


@pytest.mark.parametrize(
    "command",
    [
        ("claim", "set", "{review}", "{claim}", "--status", "false"),
        ("claim", "rm", "{review}", "{claim}"),
        ("source", "add", "{review}", "--url", "https://x.example/", "--claim", "{claim}"),
        ("source", "set", "{review}", "{source}", "--note", "n"),
        ("source", "set", "{review}", "1", "--claim", "{claim}"),
        ("source", "rm", "{review}", "{source}"),
        ("takeaway", "rm", "{review}", "{takeaway}"),
        ("anchor", "confirm", "{review}", "{claim}"),
        ("anchor", "orphan", "{review}", "{claim}"),
    ],
)
def test_an_id_of_another_review_is_refused_in_one_line_and_nothing_changes(
    cli, review, sample_path, db_path, command
):
    other = cli("import", sample_path).out.strip()
    _, claim = _added(cli("claim", "add", other, "--quote", FOUR_BILLION))
    _, source = _added(cli("source", "add", other, "--title", "Theirs"))
    _, takeaway = _added(cli("takeaway", "add", other, "Theirs"))
    _added(cli("source", "add", review, "--title", "Mine"))  # source 1 of this review
    names = {"review": review, "claim": claim, "source": source, "takeaway": takeaway}
    before = file_digest(db_path)
    result = cli(*(part.format(**names) for part in command))
    assert result.code == 2 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert f"of review {other}, not of review {review}" in result.err
    assert file_digest(db_path) == before


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("s-7k3m9q2a", "s-7k3m9q2a is a source id; give a claim number or a claim id"),
        ("c-7k3m9q2a", "no claim has the id c-7k3m9q2a"),
        ("c-7k3m", "'c-7k3m' is neither a claim number nor a claim id"),
        ("three", "'three' is neither a claim number nor a claim id"),
        ("-2", "claim -2 is out of range"),
    ],
)
def test_a_reference_that_names_no_claim_is_refused(cli, review, db_path, ref, message):
    _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    before = file_digest(db_path)
    result = cli("claim", "set", review, ref, "--note", "x")
    assert result.code == 2 and message in result.err, result.err
    assert file_digest(db_path) == before


# ---------------------------------------------------------------------- the migration
def test_the_migration_gives_every_row_of_an_old_library_a_unique_id(tmp_path):
    path = tmp_path / "old.db"
    review_id = old_library(path)
    with raw_db(path) as conn:  # many more rows than a real review, for the uniqueness check
        conn.executemany(
            "INSERT INTO claims (review_id, revision_id, quote, created_at, updated_at, "
            "anchor_state) VALUES (1, 1, 'Paragraph 0', '', '', 'orphaned')",
            [()] * 3000,
        )
    with ReviewStore(path) as store:
        data = store.load_review(review_id)
        with raw_db(path) as conn:
            claim_ids = [r[0] for r in conn.execute("SELECT stable_id FROM claims")]
    assert len(claim_ids) == 3006 and len(set(claim_ids)) == 3006
    assert all(is_id(i, "c") for i in claim_ids)
    assert all(is_id(s.stable_id, "s") for s in data.sources)
    assert all(is_id(t.stable_id, "t") for t in data.takeaways)
    assert len({s.stable_id for s in data.sources}) == len(data.sources) == 6
    assert [t.created_at for t in data.takeaways] == ["2026-11-27T19:03:10Z"] * 3
    assert list(tmp_path.glob("old.db.v1-*.bak"))  # copied aside before migrating


def test_a_library_of_the_previous_schema_migrates_and_keeps_working(tmp_path):
    from reviewapp.store.migrations import MIGRATIONS, STABLE_ID_SCHEMA

    path = tmp_path / "before.db"
    with ReviewStore(path) as store:
        review_id = store.add_article(make_draft(["It has committed $4 billion to it."]))
        store.add_claim_by_quote(review_id, "$4 billion")
    with raw_db(path) as conn:  # the schema just before the stable ids came
        undo_stable_ids(conn)  # (and the attestations that came after them)
        conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(STABLE_ID_SCHEMA)}")
    with ReviewStore(path) as store:
        (claim,) = store.claims(review_id)
        added = store.add_claim_by_quote(review_id, "committed")
    assert is_id(claim.stable_id, "c") and added.stable_id != claim.stable_id
    with raw_db(path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE claims SET stable_id = ?", [claim.stable_id])  # UNIQUE


# ---------------------------------------------------------------------- exports and bundles
def _review_with_items(store: ReviewStore) -> int:
    review_id = store.add_article(
        make_draft(["Amazon has committed $4 billion to the startup.", "It has 99.9% uptime."])
    )
    claim = store.add_claim_by_quote(review_id, "committed $4 billion", status="false")
    store.add_claim_by_quote(review_id, "99.9% uptime")
    store.add_source(review_id, [claim.id], url="https://example.org/filing", title="Filing")
    store.add_source(review_id, [claim.id], title="A call with the press office")
    store.add_takeaway(review_id, "One figure is wrong.")
    return review_id


def _w3c_ids(content: bytes) -> list[str]:
    return [item["id"] for item in json.loads(content)["first"]["items"]]


def test_w3c_annotation_ids_are_the_stable_ids_and_do_not_move(store):
    review_id = _review_with_items(store)
    data = store.load_review(review_id)
    before = _w3c_ids(render(data, "w3c"))
    assert before == [
        f"urn:reviewapp:claim:{data.claims[0].stable_id}",
        f"urn:reviewapp:claim:{data.claims[1].stable_id}",
        f"urn:reviewapp:takeaway:{data.takeaways[0].stable_id}",
    ]
    store.add_claim_by_quote(review_id, "Amazon")  # earlier in the text: numbers move
    items = json.loads(render(store.load_review(review_id), "w3c"))["first"]["items"]
    by_id = {item["id"]: item for item in items}
    four_billion = by_id[before[0]]  # the same id, now labelled claim 2
    assert four_billion["label"] == "Claim 2"
    assert four_billion["target"]["selector"][0]["exact"] == "committed $4 billion"
    press_office = [b for b in four_billion["body"] if b.get("purpose") == "linking"][1]
    assert press_office["source"] == f"urn:reviewapp:source:{data.sources[1].stable_id}"


def test_a_bundle_imported_into_a_busy_library_keeps_ids_links_and_w3c_ids(store, cli, tmp_path):
    review_id = _review_with_items(store)
    bundle = tmp_path / "review.json"
    bundle.write_bytes(bundle_bytes(store, review_id))
    target = tmp_path / "busy.db"
    with other_library(target) as busy:  # rows with the same row ids as the bundle's
        busy_review = busy.list_reviews()[0].id
        for quote in ("Someone", "draft"):
            busy.add_claim_by_quote(busy_review, quote)
        busy.add_source(busy_review, url="https://busy.example/")
        busy.add_takeaway(busy_review, "Theirs")
    result = cli("import-bundle", bundle, db=target)
    assert result.code == 0 and result.err == "", result.err
    new_id = int(re.search(r"as review (\d+)", result.out).group(1))
    original = store.load_review(review_id)
    with ReviewStore(target) as b:
        copy = b.load_review(new_id)
        again = bundle_bytes(b, new_id)
    assert [c.id for c in copy.claims] != [c.id for c in original.claims]  # new row ids
    assert [c.stable_id for c in copy.claims] == [c.stable_id for c in original.claims]
    assert [s.stable_id for s in copy.sources] == [s.stable_id for s in original.sources]
    assert [t.stable_id for t in copy.takeaways] == [t.stable_id for t in original.takeaways]
    assert json.loads(again)["links"] == json.loads(bundle.read_bytes())["links"]
    assert _w3c_ids(render(copy, "w3c")) == _w3c_ids(render(original, "w3c"))
    # The id printed in library A addresses the same claim in library B.
    first = original.claims[0].stable_id
    assert cli("claim", "set", new_id, first, "--note", "seen in B", db=target).code == 0
    shown = json.loads(cli("show", new_id, "--json", db=target).out)
    assert _claim(shown, first)["quote"] == "committed $4 billion"
    assert _claim(shown, first)["note"] == "seen in B"


def test_an_id_already_used_here_is_replaced_and_the_import_says_so(store, cli, tmp_path):
    review_id = _review_with_items(store)
    original = store.load_review(review_id)
    clash = original.claims[0].stable_id
    bundle = tmp_path / "review.json"
    bundle.write_bytes(bundle_bytes(store, review_id))
    target = tmp_path / "b.db"
    with other_library(target) as b:
        theirs = b.add_claim_by_quote(b.list_reviews()[0].id, "Someone")
    with raw_db(target) as conn:  # the one-in-a-trillion draw, forced
        conn.execute("UPDATE claims SET stable_id = ? WHERE id = ?", [clash, theirs.id])
    result = cli("import-bundle", bundle, db=target)
    assert result.code == 0, result.err
    assert re.search(
        rf"claim {clash} is c-[0-9a-z]{{8}} here: this library already had", result.out + result.err
    )
    new_id = int(re.search(r"as review (\d+)", result.out).group(1))
    with ReviewStore(target) as b:
        copy = b.load_review(new_id)
        assert b.claim_by_id(theirs.id).stable_id == clash  # theirs keeps it
    renamed = copy.claims[0].stable_id
    assert renamed != clash and is_id(renamed, "c")
    assert [c.stable_id for c in copy.claims[1:]] == [c.stable_id for c in original.claims[1:]]
    # Links follow the claim under its new id.
    sources = {s.id: s for s in copy.sources}
    titles = [sources[s].title for s in copy.claims[0].source_ids]
    assert titles == ["Filing", "A call with the press office"]
    # Importing it again is recognised as the same review: skipped, nothing written.
    before = file_digest(target)
    again = cli("import-bundle", bundle, db=target)
    assert again.code == 0 and "skipped" in again.out
    assert file_digest(target) == before


def test_an_older_bundle_without_ids_imports_and_gets_new_ones(store, tmp_path):
    review_id = _review_with_items(store)
    old = tampered(bundle_bytes(store, review_id), as_version_1)
    assert json.loads(old)["version"] == 1
    from reviewapp.workflows.bundles import import_bundle

    with ReviewStore(tmp_path / "b.db") as b:
        new_id = import_bundle(b, old, "old.json").review_id
        copy = b.load_review(new_id)
    original = store.load_review(review_id)
    assert all(is_id(c.stable_id, "c") for c in copy.claims)
    assert all(is_id(t.stable_id, "t") for t in copy.takeaways)
    assert {c.stable_id for c in copy.claims}.isdisjoint(c.stable_id for c in original.claims)
    assert [len(c.source_ids) for c in copy.claims] == [2, 0]
    assert copy.takeaways[0].created_at  # no time in the bundle: the time of the import


def test_takeaways_have_times_in_show_json_bundles_and_w3c(cli, review, db_path):
    _added(cli("takeaway", "add", review, "Figures need checking"))
    (takeaway,) = _show(cli, review)["takeaways"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", takeaway["created_at"])
    assert takeaway["updated_at"] == takeaway["created_at"]
    with ReviewStore(db_path) as store:
        data = store.load_review(int(review))
        (entry,) = json.loads(bundle_bytes(store, int(review)))["takeaways"]
        (annotation,) = json.loads(render(data, "w3c"))["first"]["items"]
    assert (entry["created_at"], entry["updated_at"]) == (takeaway["created_at"],) * 2
    assert annotation["created"] == takeaway["created_at"]
    assert annotation["modified"] == takeaway["updated_at"]


def test_csv_carries_the_claim_id_beside_its_number(store):
    review_id = _review_with_items(store)
    data = store.load_review(review_id)
    lines = render(data, "csv").decode().splitlines()
    assert lines[0].startswith("number,id,quote,")
    assert lines[1].startswith(f"1,{data.claims[0].stable_id},")


def test_new_ids_have_the_documented_shape_and_typed_ids_read_back():
    from reviewapp.core.stableids import IdKind, new_stable_id, typed_stable_id

    ids = {new_stable_id(IdKind.CLAIM) for _ in range(2000)}
    assert len(ids) == 2000 and all(is_id(i, "c") for i in ids)
    assert typed_stable_id(" C-7K3M9Q2A ") == "c-7k3m9q2a"
    assert typed_stable_id("s-O1L2i3o4") == "s-01121304"
    assert typed_stable_id("c-7k3m9q2u") is None  # u is not in the alphabet
    assert typed_stable_id("x-7k3m9q2a") is None and typed_stable_id("c-7k3m9q2") is None


def test_search_hits_name_the_item_by_its_stable_id(cli, review):
    _, claim = _added(cli("claim", "add", review, "--quote", FOUR_BILLION, "--note", "zeppelin"))
    _, takeaway = _added(cli("takeaway", "add", review, "A zeppelin takeaway"))
    hits = json.loads(cli("search", "zeppelin", "--json").out)
    assert {(h["kind"], h["stable_id"]) for h in hits} == {("claim", claim), ("takeaway", takeaway)}


def test_undo_of_a_delete_brings_the_item_back_under_the_same_id(store):
    review_id = _review_with_items(store)
    data = store.load_review(review_id)
    claim, source, takeaway = data.claims[0], data.sources[0], data.takeaways[0]
    restored = store.restore_claim(store.delete_claim(claim.id))
    assert restored.stable_id == claim.stable_id
    assert store.restore_source(store.delete_source(source.id)).stable_id == source.stable_id
    back = store.restore_takeaway(store.delete_takeaway(takeaway.id))
    assert (back.stable_id, back.created_at) == (takeaway.stable_id, takeaway.created_at)


def test_a_link_stance_goes_with_a_claim_id_too(cli, review):
    _, claim = _added(cli("claim", "add", review, "--quote", FOUR_BILLION))
    result = cli("source", "add", review, "--title", "Filing", "--claim", f"{claim}:refutes")
    _, source = _added(result)
    assert cli("source", "set", review, source, "--claim", f"{claim.upper()}:context").code == 0
    assert _claim(_show(cli, review), claim)["links"] == [{"source": 1, "stance": "context"}]
