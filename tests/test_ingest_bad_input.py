"""Bad input to the importer: each case is refused with a one-line message, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.ingest import IngestSettings, load_bytes, load_source
from reviewapp.ingest.settings import accepted_extensions
from tests.conftest import SAMPLE, file_digest

DEFAULTS = IngestSettings()


def _refused(source: str | Path, settings: IngestSettings = DEFAULTS) -> str:
    with pytest.raises(BadInput) as caught:
        load_source(str(source), settings)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_missing_file(tmp_path: Path):
    assert "does not exist" in _refused(tmp_path / "nope.txt")


def test_a_directory(tmp_path: Path):
    folder = tmp_path / "drafts.txt"
    folder.mkdir()
    assert "is a folder, not a file" in _refused(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_a_fifo_is_not_read(tmp_path: Path):
    # Opening a FIFO with no writer would block forever: it must be refused before reading.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "is not a regular file" in _refused(fifo)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_file(tmp_path: Path):
    path = tmp_path / "secret.txt"
    path.write_text("Title\nBody\n")
    path.chmod(0)
    if os.geteuid() != 0:
        assert "cannot read" in _refused(path)
        return
    # Root reads anything (CI runs as root): try as "nobody" in a forked child, with everything
    # the importer needs already imported and the file's folder open to all.
    load_source(str(SAMPLE))
    tmp_path.chmod(0o755)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, try, report, and leave without cleanup
        os.close(reader)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                load_source(str(path))
                message = "read it"
            except BadInput as exc:
                message = str(exc)
            os.write(writer, message.encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(pid, 0)
    assert "cannot read" in message, message


def test_an_empty_file(tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    assert "is empty" in _refused(path)


@pytest.mark.parametrize("name", ["photo.html", "photo.txt", "photo.md"])
def test_a_binary_file_with_a_text_name(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    message = _refused(path)
    assert name in message and "binary data" in message


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: the size is checked, the bytes never read
        handle.truncate(3 * 1024 * 1024)
    message = _refused(path, IngestSettings(max_bytes=1024 * 1024))
    assert "3.0 MB, over the 1.0 MB limit" in message


def test_bytes_over_the_size_cap(tmp_path: Path):
    with pytest.raises(BadInput, match="106 bytes, over the 10 bytes limit"):
        load_bytes(b"Title\n" + b"x" * 100, "paste.txt", settings=IngestSettings(max_bytes=10))


@pytest.mark.parametrize("name", ["draft.pdf", "draft.rtf", "draft"])
def test_an_unknown_extension_names_the_accepted_ones(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_text("Title\nBody\n")
    message = _refused(path)
    assert name in message
    assert all(ending in message for ending in accepted_extensions())


def test_no_source_at_all():
    assert "no source given" in _refused("  ")


def test_bytes_of_an_unknown_type_are_refused():
    with pytest.raises(BadInput, match="accepted are"):
        load_bytes(b"\x00\x01\x02binary", "blob", "application/octet-stream")


def test_the_cli_refuses_bad_input_with_exit_2_and_leaves_the_database_alone(
    cli, db_path: Path, tmp_path: Path
):
    assert cli("import", SAMPLE).code == 0
    before = file_digest(db_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(b"GIF89a\x00\x00\x00")
    unknown = tmp_path / "report.pdf"
    unknown.write_bytes(b"%PDF-1.7")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: the size is refused before anything is read
        handle.truncate(DEFAULTS.max_bytes + 1)
    nothing = Path(__file__).parent / "fixtures" / "ingest" / "nothing_to_extract.html"
    for source in (
        tmp_path / "missing.txt",
        tmp_path,
        empty,
        binary,
        unknown,
        huge,
        nothing,
        "ftp://127.0.0.1/x",
    ):
        result = cli("import", source)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and str(source).rstrip("/").split("/")[-1] in result.err
    assert file_digest(db_path) == before
