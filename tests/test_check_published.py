"""`reviewapp check-published ID SOURCE`: is the text a newsroom published the one it signed off?

The draft is imported from a local web server, reviewed and signed off; then the server serves
the "published" versions: identical, with a typo fixed, with a figure changed, reflowed, with
curly quotes. Nothing the check reads is stored.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.model import ImportedDraft
from reviewapp.core.text import Document
from reviewapp.store import ReviewStore
from reviewapp.workflows.published import check_published
from tests.conftest import file_digest
from tests.test_signoff_fixtures import EMAIL, REVIEWER

TITLE = "Amazon and Anthropic"
PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
    "The cloud demands 99.9% reliability, the company's spokesman said.",
]


def _page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>{body}"
        "</article></body></html>"
    )


PAGES = {
    "/draft": _page(PARAS),
    "/identical": _page(PARAS),
    "/typo": _page([PARAS[0], PARAS[1].replace("suspended", "suspnded"), PARAS[2]]),
    "/figure": _page([PARAS[0].replace("$4 billion", "$8 billion"), PARAS[1], PARAS[2]]),
    "/reflowed": _page([PARAS[0].replace(" has ", " has\n\u00a0  "), PARAS[1], PARAS[2]]),
    "/curly": _page([PARAS[0], PARAS[1], PARAS[2].replace("company's", "company\u2019s")]),
}


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = PAGES.get(self.path)
        if page is None:
            self.send_error(404)
            return
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """Test-only: keys in process memory, never on disk."""
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")


@pytest.fixture
def signed(cli, site: str) -> str:
    """A review of the draft, its claims checked and sourced, signed off; its id."""
    review = cli("import", f"{site}/draft").out.strip()
    for args in (
        ["--quote", "has committed $4 billion", "--status", "verified"],
        ["--quote", "two specific model versions", "--status", "verified"],
    ):
        assert cli("claim", "add", review, *args).code == 0
    added = cli(
        "source",
        "add",
        review,
        "--url",
        "https://example.org/filing",
        "--claim",
        "1",
        "--claim",
        "2",
    )
    assert added.code == 0, added.err
    reviewed = cli(
        "review",
        review,
        "--reviewer",
        REVIEWER,
        "--verdict",
        "publish",
        "--ai-assisted",
        "yes",
        "--responsible",
        "The Daily Example",
    )
    assert reviewed.code == 0, reviewed.err
    for s in json.loads(cli("suggest", review, "--json").out)["suggestions"]:
        if s["decision"] == "open":  # the gate asks every check-worthy sentence examined
            dismissed = cli("suggest", review, "--dismiss", s["key"], "--reason", "context")
            assert dismissed.code == 0, dismissed.err
    done = cli("signoff", review, "--email", EMAIL)
    assert done.code == 0, done.err
    return review


def test_the_published_text_word_for_word_is_the_reviewed_one(cli, signed, site, db_path: Path):
    before = file_digest(db_path)
    result = cli("check-published", signed, f"{site}/identical")
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "published = reviewed: the published text is the signed revision 1's"
    )
    assert file_digest(db_path) == before  # read, compared, never stored


def test_reflowed_whitespace_reads_as_the_same_text(cli, signed, site):
    # The canonical text folds runs of whitespace (and non-breaking spaces) on import.
    result = cli("check-published", signed, f"{site}/reflowed")
    assert result.code == 0, result.err
    assert result.out.strip().endswith("the signed revision 1's")


def test_curly_quotes_are_named_and_do_not_count(cli, signed, site):
    result = cli("check-published", signed, f"{site}/curly")
    assert result.code == 0, result.err
    assert result.out.strip().endswith("signed revision 1's, apart from typographic quotes")


def test_a_fixed_typo_is_a_change_with_the_claim_it_touches(cli, signed, site):
    result = cli("check-published", signed, f"{site}/typo")
    assert result.code == 1
    assert "-Anthropic suspended global access" in result.out
    assert "+Anthropic suspnded global access" in result.out
    assert "Changed since sign-off: 1 passage differ" in result.out
    touched = result.out.split("Claims touched:")[1]
    assert "two specific model versions" in touched and "$4 billion" not in touched


def test_a_changed_figure_is_a_change_with_the_verified_claim_it_touches(cli, signed, site):
    result = cli("check-published", signed, f"{site}/figure")
    assert result.code == 1
    assert "+Amazon has committed $8 billion" in result.out
    assert "has committed $4 billion" in result.out.split("Claims touched:")[1]


def test_a_review_that_is_not_signed_off_has_nothing_to_compare(cli, site, db_path: Path):
    review = cli("import", f"{site}/draft").out.strip()
    before = file_digest(db_path)
    result = cli("check-published", review, f"{site}/identical")
    assert result.code == 2
    assert result.err.strip() == (
        f"reviewapp: review {review} is not signed off: there is no signed text to compare with"
    )
    assert file_digest(db_path) == before


def test_an_unreachable_published_version_is_one_line_and_nothing_changes(
    cli, signed, site, db_path: Path
):
    before = file_digest(db_path)
    result = cli("check-published", signed, f"{site}/gone")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "404" in result.err
    assert file_digest(db_path) == before


def test_a_whitespace_only_difference_in_the_text_itself_is_named(cli, signed, db_path: Path):
    # Importers fold whitespace, so only a text that keeps it (a future importer, a paste)
    # can differ this way; the check still names it rather than count it.
    with ReviewStore(db_path) as store:
        signed_revision = store.revision(store.load_review(int(signed)).revision.id)
        text = signed_revision.text.replace(" has ", " has  \n ")
        draft = ImportedDraft(
            Document(text, signed_revision.blocks),
            dataclasses.replace(signed_revision.meta),
            text.encode(),
            "text/plain",
            "test",
            "published.txt",
        )
        check = check_published(store, int(signed), draft)
    assert check.identical and check.cosmetic == ("whitespace",)
