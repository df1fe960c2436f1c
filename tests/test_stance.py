"""A source can refute a claim: every claim-source link has a stance (supports, refutes,
context), stored, typed on the command line, carried by every export and the bundle, and held
against the claim's status by the sign-off gate."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewapp.cli.signing import gate_line
from reviewapp.core.errors import BadInput
from reviewapp.core.gate import GateProblem, GateRule, gate_problems
from reviewapp.core.states import ClaimStatus, Stance
from reviewapp.core.text import build_document
from reviewapp.export import render
from reviewapp.export.bundle import read_bundle, store_bundle
from reviewapp.store import ReviewStore
from reviewapp.store.migrations import LATEST, MIGRATIONS, STANCE_SCHEMA
from reviewapp.workflows.bundles import import_bundle
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db
from tests.test_signoff_fixtures import (
    EMAIL,
    PARAS,
    REVIEWER,
    SignedFiles,
    needs_ssh_keygen,
    ready_review,
    ssh_keygen_verify,
)

NOW = "2026-11-27T19:03:10Z"


@pytest.fixture
def review_id(store: ReviewStore) -> int:
    """ready_review: claim 1 ("$4 billion", false) refuted by source 1, the SEC filing; claim 2
    verified with no source needed; claim 3 an opinion. Plus source 2, context for claim 1."""
    review_id = ready_review(store)
    money = store.claim(review_id, 1)
    store.add_source(
        review_id,
        [money.id],
        {money.id: Stance.CONTEXT},
        url="https://example.org/history",
        title="Investment history",
    )
    return review_id


# ---------------------------------------------------------------------- migration
def _previous_schema_library(path: Path) -> int:
    """A library as the schema before stances kept it: two claims, two sources, three links.
    Returns that schema's number."""
    version = MIGRATIONS.index(STANCE_SCHEMA)
    doc = build_document([("paragraph", p) for p in PARAS])
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:version]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO articles (id, title, created_at) VALUES (1, 'Old', ?)", (NOW,))
    conn.execute(
        "INSERT INTO revisions (id, article_id, number, text, blocks, raw, content_hash, "
        "imported_at, importer) VALUES (1, 1, 1, ?, ?, ?, ?, ?, 'text')",
        (doc.text, json.dumps(doc.blocks_json()), doc.text.encode(), doc.content_hash, NOW),
    )
    conn.execute(
        "INSERT INTO reviews (id, article_id, revision_id, status, created_at, updated_at) "
        "VALUES (1, 1, 1, 'in-review', ?, ?)",
        (NOW, NOW),
    )
    for claim_id, quote in ((1, "has committed $4 billion"), (2, "99.9% reliability")):
        start = doc.text.index(quote)
        conn.execute(
            'INSERT INTO claims (id, review_id, revision_id, quote, start, "end", status, '
            "created_at, updated_at) VALUES (?, 1, 1, ?, ?, ?, 'false', ?, ?)",
            (claim_id, quote, start, start + len(quote), NOW, NOW),
        )
    for source_id in (1, 2):
        conn.execute(
            "INSERT INTO sources (id, review_id, url, created_at, updated_at) "
            "VALUES (?, 1, ?, ?, ?)",
            (source_id, f"https://example.org/{source_id}", NOW, NOW),
        )
    conn.executemany(
        "INSERT INTO claim_sources (claim_id, source_id) VALUES (?, ?)", [(1, 1), (1, 2), (2, 2)]
    )
    conn.commit()
    conn.close()
    return version


def test_links_of_a_library_from_before_stances_open_as_supports(tmp_path):
    path = tmp_path / "old.db"
    version = _previous_schema_library(path)
    with ReviewStore(path) as store:
        assert store.schema_version == LATEST
        claims = store.claims(1)
        sources = store.sources(1)
    assert [(c.source_ids, [c.stance_of(s) for s in c.source_ids]) for c in claims] == [
        ([1, 2], [Stance.SUPPORTS, Stance.SUPPORTS]),
        ([2], [Stance.SUPPORTS]),
    ]
    assert [s.claim_stances for s in sources] == [
        {1: Stance.SUPPORTS},
        {1: Stance.SUPPORTS, 2: Stance.SUPPORTS},
    ]
    assert all(c.stance_override == "" for c in claims)
    with raw_db(path) as conn:
        assert conn.execute("SELECT DISTINCT stance FROM claim_sources").fetchall() == [
            ("supports",)
        ]
        with pytest.raises(sqlite3.IntegrityError):  # the column takes only the three stances
            conn.execute("UPDATE claim_sources SET stance = 'maybe'")
    assert list(tmp_path.glob(f"old.db.v{version}-*.bak"))  # copied aside before migrating


# ---------------------------------------------------------------------- store
def test_linking_again_changes_the_stance_and_undo_paths_keep_it(store: ReviewStore, review_id):
    money, filing = store.claim(review_id, 1), store.sources(review_id)[0]
    assert money.stance_of(filing.id) is Stance.REFUTES
    store.link(money.id, filing.id, Stance.CONTEXT)
    assert store.claim_by_id(money.id).stance_of(filing.id) is Stance.CONTEXT
    with pytest.raises(BadInput, match="unknown stance 'doubts'"):
        store.link(money.id, filing.id, "doubts")
    # Deleting and restoring a claim or a source puts back the stance of each link.
    store.restore_claim(store.delete_claim(money.id))
    store.restore_source(store.delete_source(filing.id))
    assert store.claim_by_id(money.id).source_stances == {
        filing.id: Stance.CONTEXT,
        store.sources(review_id)[1].id: Stance.CONTEXT,
    }


# ---------------------------------------------------------------------- CLI
@pytest.fixture
def cli_review(db_path: Path) -> int:
    with ReviewStore(db_path) as store:
        review_id = store.add_article(make_draft(PARAS))
        store.add_claim_by_quote(review_id, "has committed $4 billion", status="false")
        store.add_claim_by_quote(review_id, "99.9% reliability", status="opinion")
    return review_id


def _links(cli, review_id: int) -> list[list[dict[str, Any]]]:
    shown = json.loads(cli("show", review_id, "--json").out)
    return [claim["links"] for claim in shown["claims"]]


def test_source_add_takes_a_stance_per_claim_and_show_says_it(cli, cli_review):
    url = "https://example.org/filing"
    result = cli("source", "add", cli_review, "--url", url, "--claim", "1:refutes", "--claim", "2")
    assert result.code == 0, result.err
    assert _links(cli, cli_review) == [
        [{"source": 1, "stance": "refutes"}],
        [{"source": 1, "stance": "supports"}],
    ]
    shown = cli("show", cli_review).out
    assert "“has committed $4 billion” [1 refutes]" in shown
    assert "“99.9% reliability” [1]" in shown
    assert "claims 1 (refutes), 2" in shown
    source = json.loads(cli("show", cli_review, "--json").out)["sources"][0]
    assert source["links"] == [
        {"claim": 1, "stance": "refutes"},
        {"claim": 2, "stance": "supports"},
    ]


def test_source_set_changes_the_stance_of_an_existing_link(cli, cli_review):
    assert cli("source", "add", cli_review, "--url", "https://e.org", "--claim", "1").code == 0
    assert cli("source", "set", cli_review, "1", "--claim", "1:refutes").code == 0
    assert _links(cli, cli_review)[0] == [{"source": 1, "stance": "refutes"}]
    assert cli("source", "set", cli_review, "1", "--claim", "1:context").code == 0
    assert _links(cli, cli_review)[0] == [{"source": 1, "stance": "context"}]
    assert cli("source", "set", cli_review, "1", "--claim", "1").code == 0  # plain N: supports
    assert _links(cli, cli_review)[0] == [{"source": 1, "stance": "supports"}]


@pytest.mark.parametrize(
    "args",
    [
        ["source", "add", "{id}", "--url", "https://e.org/new", "--claim", "1:refute"],
        ["source", "add", "{id}", "--url", "https://e.org/new", "--claim", "1:"],
        ["source", "set", "{id}", "1", "--claim", "1:REFUTES"],
        ["source", "set", "{id}", "1", "--title", "Renamed", "--claim", "one:refutes"],
    ],
)
def test_a_bad_stance_is_refused_in_one_line_and_nothing_changes(cli, cli_review, db_path, args):
    assert cli("source", "add", cli_review, "--url", "https://e.org", "--claim", "1").code == 0
    before = (file_digest(db_path), cli("show", cli_review, "--json").out)
    result = cli(*(a.format(id=cli_review) for a in args))
    assert result.code == 2 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "N:supports, N:refutes, N:context" in result.err or "unknown stance" in result.err
    assert (file_digest(db_path), cli("show", cli_review, "--json").out) == before


def test_unknown_stance_names_the_choices(cli, cli_review):
    result = cli("source", "add", cli_review, "--url", "https://e.org", "--claim", "1:refute")
    assert "unknown stance 'refute' in '1:refute'; choose one of: supports, refutes, context" in (
        result.err
    )


# ---------------------------------------------------------------------- exports
def test_markdown_says_refutes_and_context_where_the_source_and_the_claim_are(store, review_id):
    markdown = render(store.load_review(review_id), "md").decode("utf-8")
    source_items = markdown.split("## Sources", 1)[1]
    assert "- **Refutes:** [Claim 1](#claim-1)" in source_items
    assert "- **Context for:** [Claim 1](#claim-1)" in source_items
    assert "**Supports:**" not in source_items  # no source here supports anything
    claim_1 = markdown.split('<a id="claim-1"></a>', 1)[1].split("### ", 1)[0]
    assert "- **Refuted by:** [\\[1\\]](#source-1) SEC filing" in claim_1
    assert "- **Context from:** [\\[2\\]](#source-2) Investment history" in claim_1
    assert "Supported by" not in claim_1
    row = next(line for line in markdown.splitlines() if line.startswith("| [1](#claim-1)"))
    assert row.endswith("| refutes: [\\[1\\]](#source-1); context: [\\[2\\]](#source-2) |")


def test_w3c_link_bodies_carry_the_stance_as_a_declared_extension(store, review_id):
    collection = json.loads(render(store.load_review(review_id), "w3c"))
    assert collection["@context"] == [
        "http://www.w3.org/ns/anno.jsonld",
        {"reviewapp": "urn:reviewapp:vocab#"},
    ]
    claim_1 = next(a for a in collection["first"]["items"] if a.get("label") == "Claim 1")
    links = [b for b in claim_1["body"] if b["type"] == "SpecificResource"]
    assert [(b["purpose"], b["source"], b["reviewapp:stance"]) for b in links] == [
        ("linking", "https://example.org/filing", "refutes"),
        ("linking", "https://example.org/history", "context"),
    ]


def test_csv_lists_the_stance_of_each_source_in_step_with_the_sources(store, review_id):
    rows = list(csv.DictReader(io.StringIO(render(store.load_review(review_id), "csv").decode())))
    assert rows[0]["sources"] == "https://example.org/filing ; https://example.org/history"
    assert rows[0]["stances"] == "refutes ; context"
    assert rows[2]["stances"] == rows[2]["sources"] == ""


def test_the_bundle_carries_each_stance_and_a_busy_library_gets_them_back(
    store, review_id, tmp_path
):
    data = store.load_review(review_id)
    content = store_bundle(store, data)
    bundle = json.loads(content)
    assert [link["stance"] for link in bundle["links"]] == ["refutes", "context"]
    assert bundle["claims"][1]["stance_override"] == ""
    with ReviewStore(tmp_path / "other.db") as other:
        other.add_article(make_draft(["Something else entirely, to take the first ids."]))
        imported = import_bundle(other, content, "b.json")
        copy = other.load_review(imported.review_id)
    filing, history = copy.sources
    assert copy.claims[0].source_stances == {filing.id: "refutes", history.id: "context"}
    assert render(copy, "md") == render(data, "md").replace(
        f"review_id: {data.review.id}".encode(), f"review_id: {copy.review.id}".encode()
    )


def test_a_bundle_from_before_stances_reads_its_links_as_supports(store, review_id):
    bundle = json.loads(store_bundle(store, store.load_review(review_id)))
    for link in bundle["links"]:
        del link["stance"]
    for claim in bundle["claims"]:
        del claim["stance_override"]
    checked = read_bundle(json.dumps(bundle).encode())
    assert [link["stance"] for link in checked["links"]] == ["supports", "supports"]


@pytest.mark.parametrize("stance", ["refute", "", 1, None])
def test_a_bundle_with_an_unknown_stance_is_refused(store, review_id, stance):
    bundle = json.loads(store_bundle(store, store.load_review(review_id)))
    bundle["links"][0]["stance"] = stance
    with pytest.raises(BadInput, match=r"links\[0\]\.stance"):
        read_bundle(json.dumps(bundle).encode())


# ---------------------------------------------------------------------- the gate
def _problems(store: ReviewStore, review_id: int) -> list[GateProblem]:
    return gate_problems(store.load_review(review_id))


def test_a_verified_claim_its_sources_only_refute_blocks_signoff(store, review_id):
    versions = store.claim(review_id, 2)  # verified, "no source needed" until now
    filing = store.sources(review_id)[0]
    store.link(versions.id, filing.id, Stance.REFUTES)
    (problem,) = _problems(store, review_id)
    assert problem == GateProblem(
        GateRule.STANCE, review_id, (versions.id,), (2,), claim_status=ClaimStatus.VERIFIED
    )
    line = gate_line(problem)
    assert line.startswith("claim 2 is marked verified, but its sources only refute it: ")
    assert f"reviewapp source set {review_id} S --claim 2:supports" in line
    assert f"reviewapp claim set {review_id} 2 --stance-override REASON" in line
    store.link(versions.id, store.sources(review_id)[1].id, Stance.CONTEXT)
    assert _problems(store, review_id) == [problem]  # context counts for neither side
    store.link(versions.id, filing.id, Stance.SUPPORTS)  # fix the stance: settled
    assert _problems(store, review_id) == []


def test_a_false_claim_its_sources_only_support_blocks_signoff(store, review_id):
    money = store.claim(review_id, 1)
    filing = store.sources(review_id)[0]
    store.link(money.id, filing.id, Stance.SUPPORTS)
    (problem,) = _problems(store, review_id)
    assert (problem.kind, problem.claim_numbers, problem.claim_status) == (
        GateRule.STANCE,
        (1,),
        ClaimStatus.FALSE,
    )
    assert gate_line(problem).startswith("claim 1 is marked false, but its sources only support")
    assert "--claim 1:refutes" in gate_line(problem)
    store.update_claim(money.id, status="partly-true")  # or fix the status: settled
    assert _problems(store, review_id) == []


def test_a_written_reason_lets_the_status_stand_and_the_signed_record_says_it(store, review_id):
    money = store.claim(review_id, 1)
    store.link(money.id, store.sources(review_id)[0].id, Stance.SUPPORTS)
    assert [p.kind for p in _problems(store, review_id)] == [GateRule.STANCE]
    store.update_claim(money.id, stance_override="   ")  # blank is no reason
    assert [p.kind for p in _problems(store, review_id)] == [GateRule.STANCE]
    reason = "The 2023 filing is out of date; the 2026 filing shows eight billion"
    store.update_claim(money.id, stance_override=reason)
    assert _problems(store, review_id) == []
    markdown = render(store.load_review(review_id), "md").decode()
    assert f"- **Status kept against its sources because:** {reason}" in markdown


def test_claim_set_records_the_reason_from_the_cli(cli, cli_review):
    assert cli("source", "add", cli_review, "--url", "https://e.org", "--claim", "1").code == 0
    result = cli("claim", "set", cli_review, "1", "--stance-override", "Older filing")
    assert result.code == 0, result.err
    shown = json.loads(cli("show", cli_review, "--json").out)
    assert shown["claims"][0]["stance_override"] == "Older filing"
    assert "status kept against its sources because: Older filing" in cli("show", cli_review).out


# ---------------------------------------------------------------------- signed and verified
@pytest.fixture
def signed(cli, db_path, tmp_path, monkeypatch) -> SignedFiles:
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")
    with ReviewStore(db_path) as store:
        review_id = ready_review(store)  # claim 1 is refuted by the SEC filing
    result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    assert result.code == 0, result.err
    out = tmp_path / "export" / "amazon-review.md"
    out.parent.mkdir()
    assert cli("export", review_id, "-o", out).code == 0
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(cli("key", "export").out)
    return SignedFiles(out, out.with_name(out.name + ".sig"), allowed, EMAIL)


def test_the_signed_markdown_of_a_refuted_claim_says_refutes_and_verifies(cli, signed):
    text = signed.md.read_text(encoding="utf-8")
    assert "- **Refutes:** [Claim 1](#claim-1)" in text
    assert "- **Refuted by:** [\\[1\\]](#source-1) SEC filing" in text
    assert "Supports" not in text
    result = cli("verify", signed.md)
    assert result.code == 0, result.err


@needs_ssh_keygen
def test_the_signed_markdown_of_a_refuted_claim_verifies_with_openssh(signed):
    assert ssh_keygen_verify(signed) == 0


def test_a_signed_bundle_with_a_refuting_link_verifies_on_import(cli, db_path, tmp_path, signed):
    bundle = tmp_path / "review.json"
    assert cli("export", "1", "--format", "json", "-o", bundle).code == 0
    links = json.loads(bundle.read_bytes())["links"]
    assert [link["stance"] for link in links] == ["refutes"]
    other = tmp_path / "other.db"
    result = cli("import-bundle", bundle, db=other)
    assert result.code == 0, result.err
    # The bundled claims were compared with the signed Markdown: a changed stance is caught.
    data = json.loads(bundle.read_bytes())
    data["links"][0]["stance"] = "supports"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data))
    result = cli("import-bundle", forged, db=tmp_path / "third.db")
    assert result.code == 1, result.out
