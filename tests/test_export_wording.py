"""Words an editor reads in exports and help: no column names, no jargon."""

from __future__ import annotations

import subprocess
import sys

from reviewapp.export import render
from tests.conftest import file_digest
from tests.test_signoff_fixtures import ready_review


def test_the_claims_table_says_why_no_source_is_needed_in_plain_words(store):
    review_id = ready_review(store)  # claim 2 has no source: "Read the company's own notice"
    markdown = render(store.load_review(review_id), "md").decode()
    table = markdown[markdown.index("## Claims") : markdown.index("## Claim details")]
    row = next(line for line in table.splitlines() if line.startswith("| [2]"))
    assert row.endswith("| no source needed: Read the company's own notice |")
    assert "override" not in table


def test_the_archived_copy_address_is_called_so_in_help_and_messages(cli, store, db_path):
    review_id = ready_review(store)
    store.close()
    shown = subprocess.run(
        [sys.executable, "-m", "reviewapp", "source", "add", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--archive-url URL     archived copy address" in shown.stdout
    before = file_digest(db_path)
    result = cli("source", "add", review_id, "--url", "https://x.example", "--archive-url", "x")
    assert result.code == 2
    assert result.err.strip() == (
        "reviewapp: the archived copy address must start with http:// or https://"
    )
    assert file_digest(db_path) == before
