"""`reviewapp export --all`: one file per review (plus .sig when signed off) in one folder, under
safe, unique, stable names whatever the titles; progress and cancel for the GUI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.export.batch import batch_filename, export_all
from reviewapp.export.files import export_content
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows.signoff import reopen, sign_off
from tests.conftest import ROOT, file_digest
from tests.test_signoff_fixtures import (
    EMAIL,
    REVIEWER,
    SIGNED_AT,
    SignedFiles,
    needs_ssh_keygen,
    ready_review,
    ssh_keygen_verify,
)


def titled(store: ReviewStore, title: str) -> int:
    """A review whose article has exactly this title (the heading is not the title)."""
    doc = build_document([("paragraph", f"Body of the draft called {title[:20]!r}.")])
    draft = ImportedDraft(
        doc, ArticleMeta(title=title), doc.text.encode(), "text/plain", "test", "t.txt"
    )
    return store.add_article(draft)


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


HOSTILE_TITLES = {
    "../../etc/passwd": "review-{id}-etc-passwd.md",
    "/absolute/path": "review-{id}-absolute-path.md",
    "..": "review-{id}.md",
    "CON": "review-{id}-con.md",
    "nul.txt": "review-{id}-nul-txt.md",
    "": "review-{id}.md",
    "   ": "review-{id}.md",
    "Ünïcödé Tïtlé — “quoted”": "review-{id}-unicode-title-quoted.md",
    "日本語のタイトル": "review-{id}.md",
    'a\\b:c*d?e"f<g>h|i': "review-{id}-a-b-c-d-e-f-g-h-i.md",
    ".hidden": "review-{id}-hidden.md",
}


@pytest.mark.parametrize(("title", "expected"), list(HOSTILE_TITLES.items()))
def test_a_hostile_title_gives_a_plain_name_inside_the_folder(store, tmp_path, title, expected):
    review_id = titled(store, title)
    out = tmp_path / "out"
    (path,) = export_all(store, out, "md")
    assert path.name == expected.format(id=review_id)
    assert path.parent == out and path.resolve().parent == out.resolve()
    assert _listing(tmp_path) == ["out", "reviews.db", "reviews.db-shm", "reviews.db-wal"]
    assert _listing(out) == [path.name]


def test_a_300_character_title_is_cut_at_a_word(store, tmp_path):
    title = " ".join(["word"] * 60)  # 299 characters
    review_id = titled(store, title)
    (path,) = export_all(store, tmp_path / "out", "md")
    assert path.name == f"review-{review_id}-" + "-".join(["word"] * 9) + ".md"
    assert len(path.name) < 80


def test_a_300_character_single_word_title_is_cut_too(store, tmp_path):
    review_id = titled(store, "x" * 300)
    (path,) = export_all(store, tmp_path / "out", "md")
    assert path.name == f"review-{review_id}-{'x' * 48}.md"


def test_two_reviews_with_the_same_title_get_different_names(store, tmp_path):
    first, second = titled(store, "Same title"), titled(store, "Same title")
    paths = export_all(store, tmp_path / "out", "md")
    assert [p.name for p in paths] == [
        f"review-{first}-same-title.md",
        f"review-{second}-same-title.md",
    ]
    assert paths[0].read_bytes() != paths[1].read_bytes()


def test_names_are_stable_and_a_second_export_replaces_the_same_files(store, tmp_path):
    for title in ("One", "Two", "CON"):
        titled(store, title)
    out = tmp_path / "out"
    first = export_all(store, out, "md")
    contents = {p.name: p.read_bytes() for p in first}
    second = export_all(store, out, "md")
    assert [p.name for p in second] == [p.name for p in first]
    assert {p.name: p.read_bytes() for p in second} == contents
    assert _listing(out) == sorted(contents)  # no temporary or extra files left behind


@pytest.mark.parametrize("fmt", ["md", "json", "w3c", "claimreview", "csv"])
def test_every_format_writes_what_the_single_export_writes(store, tmp_path, fmt):
    ids = [ready_review(store, title=f"Review {n}") for n in range(2)]
    paths = export_all(store, tmp_path / "out", fmt)
    assert len(paths) == 2
    for review_id, path in zip(ids, paths, strict=True):
        data = store.load_review(review_id)
        assert path.name == batch_filename(data, fmt)
        assert path.read_bytes() == export_content(data, fmt, archive=store).content


# ---------------------------------------------------------------------- signed reviews
@pytest.fixture
def mixed_library(store) -> dict[str, int]:
    """A draft, a review in progress, and two signed-off reviews."""
    secrets = MemorySecretStore()
    ids = {"draft": titled(store, "Just imported")}
    ids["in-review"] = ready_review(store, title="Being checked")
    for n in (1, 2):
        review_id = ready_review(store, title=f"Signed {n}")
        sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
        ids[f"signed-{n}"] = review_id
    return ids


def test_signed_off_reviews_come_with_their_signature(store, mixed_library, tmp_path):
    paths = export_all(store, tmp_path / "out", "md", status="signed-off")
    names = [p.name for p in paths]
    n1, n2 = mixed_library["signed-1"], mixed_library["signed-2"]
    assert names == [
        f"review-{n1}-signed-1.md",
        f"review-{n1}-signed-1.md.sig",
        f"review-{n1}-signed-1.intoto.json",
        f"review-{n2}-signed-2.md",
        f"review-{n2}-signed-2.md.sig",
        f"review-{n2}-signed-2.intoto.json",
    ]
    for review_id, md in ((n1, paths[0]), (n2, paths[3])):
        record = store.load_review(review_id).current_signoff
        assert record is not None
        assert md.read_bytes() == record.markdown
        assert Path(f"{md}.sig").read_text() == record.signature


def test_the_status_filter_picks_only_those_reviews(store, mixed_library, tmp_path):
    for status, expected in (("draft", ["draft"]), ("in-review", ["in-review"])):
        paths = export_all(store, tmp_path / status, "md", status=status)
        assert [p.name.split("-")[1] for p in paths] == [str(mixed_library[k]) for k in expected]
        assert not any(p.name.endswith(".sig") for p in paths)


def test_cli_export_all_signed_off_files_verify(cli, store, mixed_library, tmp_path):
    out = tmp_path / "out"
    result = cli("export", "--all", "--status", "signed-off", "--format", "md", "-o", out)
    assert result.code == 0, result.err
    assert result.err == f"wrote 6 files to {out}\n"  # Markdown, .sig, attestation
    for md in sorted(out.glob("*.md")):
        check = cli("verify", md)
        assert check.code == 0, check.err


@needs_ssh_keygen
def test_openssh_verifies_every_signed_file_of_the_batch(cli, store, mixed_library, tmp_path):
    out = tmp_path / "out"
    assert cli("export", "--all", "--status", "signed-off", "-o", out).code == 0
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(cli("key", "export").out)
    mds = sorted(out.glob("*.md"))
    assert len(mds) == 2
    for md in mds:
        assert ssh_keygen_verify(SignedFiles(md, Path(f"{md}.sig"), allowed, EMAIL)) == 0


def test_a_reopened_review_loses_its_stale_signature_file(store, mixed_library, tmp_path):
    out = tmp_path / "out"
    export_all(store, out, "md")
    review_id = mixed_library["signed-1"]
    name = batch_filename(store.load_review(review_id), "md")
    assert (out / f"{name}.sig").exists()
    reopen(store, review_id, reason="a late correction")
    export_all(store, out, "md")
    assert (out / name).exists() and not (out / f"{name}.sig").exists()
    text = (out / name).read_bytes()
    assert b'status: "in-review"' in text and b"NOT signed off" in text


# ---------------------------------------------------------------------- progress and cancel
def test_progress_reports_each_review_and_ends_at_100(store, tmp_path):
    ids = [titled(store, f"Title {n}") for n in range(4)]
    seen: list[tuple[int, str]] = []
    export_all(store, tmp_path / "out", "md", progress=lambda p, t: seen.append((p, t)))
    assert [p for p, _ in seen] == [25, 50, 75, 100]
    assert seen[0][1] == f"1 of 4: review-{ids[0]}-title-0.md"
    assert seen[-1][1].startswith("4 of 4: ")


def test_cancel_stops_before_the_next_review_and_leaves_whole_files(store, tmp_path):
    for n in range(5):
        titled(store, f"Title {n}")
    cancel = threading.Event()
    out = tmp_path / "out"
    written = export_all(store, out, "md", progress=lambda p, t: cancel.set(), cancel=cancel)
    assert len(written) == 1
    assert _listing(out) == [written[0].name]
    assert written[0].read_bytes().startswith(b"---\n")


def test_cancel_before_the_start_writes_nothing(store, tmp_path):
    titled(store, "Title")
    cancel = threading.Event()
    cancel.set()
    assert export_all(store, tmp_path / "out", "md", cancel=cancel) == []
    assert _listing(tmp_path / "out") == []


def test_a_library_with_nothing_to_export_says_so(cli, store, tmp_path):
    titled(store, "Draft")
    result = cli("export", "--all", "--status", "signed-off", "-o", tmp_path / "out")
    assert result.code == 0
    assert result.err == "no signed-off reviews to export; nothing was written\n"


def test_without_a_terminal_there_is_no_progress_bar(cli, store, tmp_path):
    for n in range(3):
        titled(store, f"Title {n}")
    result = cli("export", "--all", "-o", tmp_path / "out")
    assert result.code == 0
    assert result.err == f"wrote 3 files to {tmp_path / 'out'}\n"
    assert result.out == ""


def test_on_a_terminal_a_progress_bar_is_drawn_on_stderr(store, db_path, tmp_path):
    for n in range(3):
        titled(store, f"Title {n}")
    store.close()
    out = tmp_path / "out"
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "reviewapp",
                "--db",
                str(db_path),
                "export",
                "--all",
                "-o",
                str(out),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        os.close(follower)
        follower = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # Linux reports the closed pty as EIO
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0, drawn
    text = drawn.decode()
    assert "\r[" in text and " 33% 1 of 3: review-1-title-0.md" in text
    assert "[########################] 100% 3 of 3: " in text
    assert text.rstrip().endswith(f"wrote 3 files to {out}")
    assert len(list(out.iterdir())) == 3


# ---------------------------------------------------------------------- bad usage
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all"], "--all needs a folder: -o DIR"),
        (["1", "--all", "-o", "{out}"], "give a review id or --all, not both"),
        ([], "give a review id, or --all -o DIR"),
        (["1", "--status", "draft"], "--status only goes with --all"),
        (["--all", "-o", "{out}", "--format", "pdf"], "unknown export format 'pdf'"),
        (["--all", "-o", "{out}", "--status", "done"], "invalid choice: 'done'"),
        (["--all", "-o", "{file}"], "is a file; give a folder for --all"),
        (["--all", "-o", "{missing}/out"], "does not exist"),
    ],
)
def test_bad_usage_exits_2_and_writes_nothing(cli, store, db_path, tmp_path, args, message):
    titled(store, "Title")
    store.close()
    (tmp_path / "a-file").write_text("keep me")
    before = file_digest(db_path)
    paths = {"out": tmp_path / "out", "file": tmp_path / "a-file", "missing": tmp_path / "nope"}
    result = cli("export", *[a.format(**paths) for a in args])
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "nope").exists()
    assert (tmp_path / "a-file").read_text() == "keep me"
    assert file_digest(db_path) == before


def test_the_folder_is_made_when_missing_but_not_its_parents(store, tmp_path):
    titled(store, "Title")
    assert len(export_all(store, tmp_path / "new", "md")) == 1
    with pytest.raises(BadInput, match="does not exist"):
        export_all(store, tmp_path / "a" / "b", "md")


def test_a_hundred_reviews_export_quickly(store, tmp_path):
    import time

    for n in range(100):
        titled(store, f"Review number {n}")
    started = time.perf_counter()
    paths = export_all(store, tmp_path / "out", "md")
    elapsed = time.perf_counter() - started
    assert len(paths) == 100 and len(set(paths)) == 100
    assert elapsed < 10, elapsed  # measured ~0.3 s here; the bound only catches a blow-up


def test_a_file_that_cannot_be_written_stops_with_one_line_and_keeps_earlier_files(
    cli, store, tmp_path
):
    first, second = titled(store, "First"), titled(store, "Second")
    out = tmp_path / "out"
    blocker = out / f"review-{second}-second.md"
    blocker.mkdir(parents=True)  # a folder where the second file should go
    result = cli("export", "--all", "-o", out)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("reviewapp: cannot write ")
    assert (out / f"review-{first}-first.md").read_bytes().startswith(b"---\n")
    assert sorted(p.name for p in out.iterdir()) == [f"review-{first}-first.md", blocker.name]
