"""Exported files an editor can use as they are: the verify commands inside a signed Markdown
work under whatever name it is saved as, and exports get the user's usual permissions."""

from __future__ import annotations

import functools
import os
import shlex
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.export import export_filename
from reviewapp.export.markdown import SignoffBlock
from reviewapp.secrets import MemorySecretStore
from reviewapp.store import ReviewStore
from reviewapp.workflows import signoff as signoff_workflow
from reviewapp.workflows.signoff import sign_off
from tests.test_bundle_import_support import other_library, write_bundle
from tests.test_signoff_fixtures import EMAIL, REVIEWER, SIGNED_AT, ready_review


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """Test-only: keys in process memory, never on disk."""
    monkeypatch.setenv("REVIEWAPP_SECRET_STORE", "memory")


@pytest.fixture
def signed_id(store: ReviewStore, cli) -> int:
    review_id = ready_review(store)
    result = cli("signoff", review_id, "--reviewer", REVIEWER, "--email", EMAIL)
    assert result.code == 0, result.err
    return review_id


@pytest.fixture
def umask() -> Iterator[None]:
    """Whatever umask a test sets is put back afterwards."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _fences(markdown: str) -> list[str]:
    """The shell commands of the sign-off section, one per fenced block."""
    section = markdown[markdown.index("## Sign-off") :]
    return [block.split("\n", 1)[1].strip() for block in section.split("```")[1::2]]


def _as_saved(command: str, name: str) -> str:
    """What the instructions ask the reader to do: put the file's own name in."""
    return command.replace("THIS-FILE.md", shlex.quote(name))


# ---------------------------------------------------------------------- verify under any name
def test_the_verify_command_in_the_file_works_when_it_is_saved_under_another_name(
    cli, signed_id, tmp_path, monkeypatch
):
    folder = tmp_path / "desk"
    folder.mkdir()
    saved = folder / "amazon review.md"
    assert cli("export", signed_id, "-o", saved).code == 0
    markdown = saved.read_text(encoding="utf-8")
    assert "writing this file's own name where the commands say `THIS-FILE.md`" in markdown
    assert "review-1-" not in markdown  # no default name the file may not have
    ours, _openssh = _fences(markdown)
    monkeypatch.chdir(folder)  # the reader runs it where the file is
    args = shlex.split(_as_saved(ours, saved.name))
    assert args[:2] == ["reviewapp", "verify"]
    result = cli(*args[1:])
    assert result.code == 0, result.err
    assert result.out.startswith(f"Good signature by {REVIEWER} <{EMAIL}>")


def test_a_bundle_signed_with_the_old_wording_still_imports_and_verifies(
    store, tmp_path, monkeypatch, cli
):
    """Reviews signed before THIS-FILE.md named review-N-....md; their bundles re-render."""
    review_id = ready_review(store)
    legacy_name = export_filename(store.load_review(review_id), "md")
    monkeypatch.setattr(
        signoff_workflow, "SignoffBlock", functools.partial(SignoffBlock, export_name=legacy_name)
    )
    secrets = MemorySecretStore()
    record = sign_off(store, review_id, REVIEWER, EMAIL, secrets=secrets, now=SIGNED_AT)
    assert f"reviewapp verify {legacy_name}".encode() in record.markdown
    bundle = write_bundle(store, review_id, tmp_path / "old.json")
    other = tmp_path / "b.db"
    other_library(other).close()
    result = cli("import-bundle", bundle, db=other)
    assert result.code == 0, result.err
    assert "differs" not in result.out + result.err


# ---------------------------------------------------------------------- permissions
@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
@pytest.mark.parametrize("mask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_exports_get_the_permissions_of_the_users_umask(cli, signed_id, tmp_path, umask, mask):
    os.umask(mask)
    expected = 0o666 & ~mask
    signed = tmp_path / "review.md"
    bundle = tmp_path / "review.json"
    assert cli("export", signed_id, "-o", signed).code == 0
    assert cli("export", signed_id, "--format", "json", "-o", bundle).code == 0
    assert cli("export", "--all", "-o", tmp_path / "all").code == 0
    attestation = tmp_path / "review.intoto.json"
    written = [signed, Path(f"{signed}.sig"), attestation, bundle]
    written += sorted((tmp_path / "all").iterdir())
    assert len(written) == 7
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in written}
    assert modes == dict.fromkeys(modes, expected)
    assert not [p for p in tmp_path.rglob(".*.tmp")]  # no temporary file is left behind


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
def test_a_replaced_export_keeps_the_permissions_the_editor_gave_it(
    cli, signed_id, tmp_path, umask
):
    target = tmp_path / "review.md"
    target.write_text("an older export", encoding="utf-8")
    target.chmod(0o600)
    assert cli("export", signed_id, "-o", target).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("---\n")
