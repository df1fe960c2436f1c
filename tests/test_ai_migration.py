"""Schema 6 (AI involvement, responsibility, scope; after schema 5's attestations) on a library
the app wrote at schema 4 (tests/fixtures/schema4/library.db): the new fields arrive empty, the
review signed off before keeps a signature OpenSSH still accepts, and its records say the new
fields were not recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reviewapp.core.gate import GateRule, gate_problems
from reviewapp.core.model import AiInvolvement, EditorialResponsibility, ReviewScope
from reviewapp.export import render
from reviewapp.export.bundle import read_bundle, review_from_bundle
from reviewapp.store import ReviewStore
from reviewapp.store.migrations import LATEST
from tests.conftest import ROOT, examine_suggestions
from tests.rawdb import raw_db
from tests.test_signoff_fixtures import needs_ssh_keygen

FIXTURE = ROOT / "tests" / "fixtures" / "schema4" / "library.db"
SIGNED, IN_REVIEW = 1, 2


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    shutil.copyfile(FIXTURE, path)
    with raw_db(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    return path


def test_the_new_fields_arrive_empty_and_marked_not_recorded(old_library, cli):
    with ReviewStore(old_library) as store:
        assert store.schema_version == LATEST
        for review_id in (SIGNED, IN_REVIEW):
            data = store.load_review(review_id)
            assert not data.accountability_recorded
            assert (data.ai, data.responsibility, data.scope) == (
                AiInvolvement(),
                EditorialResponsibility(),
                ReviewScope(),
            )
        assert store.organisation_defaults() == EditorialResponsibility()
    assert list(old_library.parent.glob("library.db.v4-*.bak"))  # copied aside first
    shown = cli("review", SIGNED, db=old_library)
    assert shown.code == 0
    assert "Not recorded: this review was made before reviewapp recorded AI involvement" in (
        shown.out
    )


@needs_ssh_keygen
def test_the_review_signed_before_keeps_a_valid_signature(old_library, tmp_path, cli):
    with raw_db(old_library) as conn:
        before = conn.execute("SELECT markdown, signature FROM signoffs").fetchall()
    out = tmp_path / "signed.md"
    assert cli("export", SIGNED, "-o", out, db=old_library).code == 0
    with raw_db(old_library) as conn:
        assert conn.execute("SELECT markdown, signature FROM signoffs").fetchall() == before
        public_key, email = conn.execute("SELECT public_key, email FROM signoffs").fetchone()
    assert out.read_bytes() == bytes(before[0][0])  # the signed bytes, untouched
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f'{email} namespaces="reviewapp" {public_key}\n', encoding="utf-8")
    sig = f"{out}.sig"
    with open(out, "rb") as stdin:
        checked = subprocess.run(
            [
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                allowed,
                "-I",
                email,
                "-n",
                "reviewapp",
                "-s",
                sig,
            ],
            stdin=stdin,
            capture_output=True,
        )
    assert checked.returncode == 0, checked.stderr
    verified = cli("verify", out, db=old_library)
    assert verified.code == 0, verified.err


def test_its_bundle_says_not_recorded_and_imports_with_its_signature(old_library, tmp_path, cli):
    bundle_path = tmp_path / "signed.json"
    assert cli("export", SIGNED, "--format", "json", "-o", bundle_path, db=old_library).code == 0
    bundle = json.loads(bundle_path.read_bytes())
    assert bundle["review"]["accountability"]["recorded"] is False
    data = review_from_bundle(read_bundle(bundle_path.read_bytes())).data
    assert not data.accountability_recorded
    # Into a fresh library: the sign-off checks out against the re-rendered review.
    fresh = tmp_path / "fresh.db"
    imported = cli("import-bundle", bundle_path, db=fresh)
    assert imported.code == 0, imported.err
    with ReviewStore(fresh) as store:
        (summary,) = store.list_reviews()
        assert not store.load_review(summary.id).accountability_recorded
    w3c = json.loads(render(data, "w3c"))
    (record,) = [a for a in w3c["first"]["items"] if a["id"].endswith(":accountability")]
    assert record["body"]["value"].startswith("Not recorded: this review was made before")
    assert "reviewapp:ai" not in record


def test_the_review_in_progress_must_answer_before_it_is_signed(old_library):
    with ReviewStore(old_library) as store:
        examine_suggestions(store, IN_REVIEW)  # the gate's other rule
        kinds = [p.kind for p in gate_problems(store.load_review(IN_REVIEW))]
        assert kinds == [GateRule.AI_INVOLVEMENT, GateRule.RESPONSIBILITY]
        store.set_accountability(
            IN_REVIEW,
            ai=AiInvolvement("no"),
            responsibility=EditorialResponsibility("The Daily Example"),
        )
        data = store.load_review(IN_REVIEW)
        assert data.accountability_recorded
        assert gate_problems(data) == []
