"""Writing exports to files: a signed-off review's stored bytes and signature, or a fresh render."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.core.errors import BadInput
from reviewapp.core.model import ReviewData
from reviewapp.core.states import ReviewStatus
from reviewapp.export.attestation import attestation_name
from reviewapp.export.bundle import RevisionArchive, store_bundle
from reviewapp.export.second_review import COSIGNATURE_SUFFIX


@dataclass
class ExportResult:
    content: bytes
    signature: bytes | None = None
    attestation: bytes | None = None  # the signed in-toto attestation, NAME.intoto.json
    cosignature: bytes | None = None  # the second reviewer's, NAME.md.second.sig
    written: list[Path] = field(default_factory=list)


def export_content(
    data: ReviewData, fmt: str, archive: RevisionArchive | None = None
) -> ExportResult:
    """The bytes to export; Markdown of a signed-off review is exactly the signed record.

    archive (the ReviewStore) lets the JSON bundle include every revision's raw source bytes.
    """
    from reviewapp.export import render

    signoff = data.current_signoff
    if fmt == "md" and signoff is not None and data.review.status == ReviewStatus.SIGNED_OFF:
        return ExportResult(
            signoff.markdown,
            signoff.signature.encode("ascii"),
            signoff.attestation or None,
            signoff.cosignature.signature.encode("ascii") if signoff.cosignature else None,
        )
    if fmt == "json" and archive is not None:
        return ExportResult(store_bundle(archive, data))
    return ExportResult(render(data, fmt))


def export_review(
    data: ReviewData, fmt: str, output: Path | None, archive: RevisionArchive | None = None
) -> ExportResult:
    """Render and, if output is given, write it (and beside a signed Markdown file NAME.md.sig,
    for a sign-off that made one the attestation NAME.intoto.json, and once the second
    reviewer's co-signature came back, NAME.md.second.sig)."""
    result = export_content(data, fmt, archive)
    if output is None:
        return result
    if output.is_dir():
        raise BadInput(f"{output} is a folder; give a file name")
    if not output.parent.exists():
        raise BadInput(f"the folder {output.parent} does not exist")
    write_atomic(output, result.content)
    result.written.append(output)
    if result.signature is not None:
        sig_path = output.with_name(output.name + ".sig")
        write_atomic(sig_path, result.signature)
        result.written.append(sig_path)
    if result.attestation is not None:
        attestation_path = output.with_name(attestation_name(output.name))
        write_atomic(attestation_path, result.attestation)
        result.written.append(attestation_path)
    if result.cosignature is not None:
        cosignature_path = output.with_name(output.name + COSIGNATURE_SUFFIX)
        write_atomic(cosignature_path, result.cosignature)
        result.written.append(cosignature_path)
    return result


def write_atomic(path: Path, content: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file.

    The file gets the permissions any editor would give it: a file it replaces keeps its
    own, a new one gets 0666 less the user's umask. (mkstemp would make every export 0600,
    private to the editor, which is not what a file meant to be shared should be.)
    """
    tmp = _create_temporary(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode_of(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_temporary(path: Path) -> Path:
    """A new empty file beside path, created 0666 so the kernel applies the umask (which,
    unlike os.umask(), cannot race with another thread reading or setting it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, flags, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _keep_mode_of(path: Path, tmp: Path) -> None:
    """A file being replaced keeps its permission bits (an editor who made it private, or
    shared it with a group, meant that)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)
