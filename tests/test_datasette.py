"""The library opens in Datasette with the repository's metadata (docs/datasette.md): labels,
descriptions and the canned queries a desk editor uses, on a real database the app wrote."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from reviewapp.secrets import SERVICE, MemorySecretStore
from reviewapp.signing import sshsig
from reviewapp.store import ReviewStore
from reviewapp.workflows.signoff import sign_off
from tests.conftest import ROOT, examine_suggestions, make_draft, record_accountability

datasette_app = pytest.importorskip("datasette.app", reason="datasette is a dev dependency")
yaml = pytest.importorskip("yaml")

METADATA = ROOT / "packaging" / "datasette" / "metadata.yml"
PARAS = [
    "The city has committed $4 billion to the new tram line.",
    "The mayor said it is the best plan in a generation.",
]


def _library(folder: Path) -> Path:
    """reviews.db (the app's default name) with one signed-off review and one in review."""
    path = folder / "reviews.db"
    secrets = MemorySecretStore()
    secrets.set(SERVICE, "ada@example.org", sshsig.private_key_to_text(sshsig.new_private_key()))
    with ReviewStore(path) as store:
        signed = store.add_article(make_draft(PARAS, title="Tram line budget"))
        claim = store.add_claim_by_quote(signed, "has committed $4 billion", status="false")
        store.add_source(signed, [claim.id], {claim.id: "refutes"}, url="https://example.org/a")
        store.add_source(signed, [claim.id], {claim.id: "supports"}, url="https://example.org/b")
        store.add_claim_by_quote(signed, "the best plan in a generation", status="opinion")
        store.set_review(signed, reviewer="Ada Editor", verdict="publish-with-corrections")
        record_accountability(store, signed)
        examine_suggestions(store, signed)
        sign_off(store, signed, "Ada Editor", "ada@example.org", secrets=secrets)
        open_one = store.add_article(make_draft(PARAS, title="Tram line follow-up"))
        store.add_claim_by_quote(open_one, "has committed $4 billion", status="unchecked")
    return path


def _get(path: Path, url: str) -> Any:
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    ds = datasette_app.Datasette(files=[str(path)], metadata=metadata)

    async def fetch() -> Any:
        response = await ds.client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
        return response.json()

    return asyncio.run(fetch())


def test_claims_show_their_review_by_label_and_the_table_its_description(tmp_path):
    db = _library(tmp_path)
    page = _get(db, "/reviews/claims.json?_labels=on&_shape=objects&status=false")
    (row,) = page["rows"]
    assert row["quote"] == "has committed $4 billion"
    assert row["review_id"] == {"value": 1, "label": "Ada Editor"}  # reviews' label column
    tables = {t["name"]: t for t in _get(db, "/reviews.json")["tables"]}
    assert tables["search_index"]["hidden"] and not tables["claims"]["hidden"]
    reviews = _get(db, "/reviews/reviews.json?_labels=on&_shape=objects&_sort=id")["rows"]
    assert reviews[0]["article_id"]["label"] == "Tram line budget"  # articles' label column


def test_the_canned_queries_answer_the_desk_editors_questions(tmp_path):
    db = _library(tmp_path)
    by_status = _get(db, "/reviews/claims_by_status.json?_shape=objects")["rows"]
    assert {r["status"]: r["claims"] for r in by_status} == {
        "false": 1,
        "opinion": 1,
        "unchecked": 1,
    }
    (signed,) = _get(db, "/reviews/signed_off.json?_shape=objects")["rows"]
    assert signed["title"] == "Tram line budget" and signed["reviewer"] == "Ada Editor"
    assert signed["fingerprint"].startswith("SHA256:") and signed["claims"] == 2
    (disputed,) = _get(db, "/reviews/disagreements.json?_shape=objects")["rows"]
    assert disputed["quote"] == "has committed $4 billion"
    assert (disputed["supporting"], disputed["refuting"]) == (1, 1)


def test_the_metadata_describes_tables_the_app_really_has(tmp_path):
    """A renamed table would silently lose its labels: every table named must exist."""
    db = _library(tmp_path)
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    described = set(metadata["databases"]["reviews"]["tables"])
    present = {t["name"] for t in _get(db, "/reviews.json")["tables"]}
    assert described - present == set()
