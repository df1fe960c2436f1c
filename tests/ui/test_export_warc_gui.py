"""File › Export… offers WARC for a review with captures: written on the task pool, it reads
back with warcio with every digest checked; without captures (or for all reviews) it is off
and says why."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from reviewapp.ui import commands
from tests.ui.shown import errors_shown


def _capture(window, qtbot, url: str) -> None:
    session = window.session
    session.push(
        commands.AddSource(session, session.review_id, {}, {"url": url, "title": "Filing"})
    )
    window.tabs.setCurrentIndex(1)
    window.sources.select(session.data.sources[-1].id)
    with qtbot.waitSignal(window.captures.captured, timeout=20_000):
        window.action_set["source.capture"].trigger()


def _read_back(path: Path) -> tuple[list[str], list[str]]:
    """Record types and response payload hashes; warcio raises on a digest that does not match."""
    from warcio.archiveiterator import ArchiveIterator

    types, hashes = [], []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            payload = record.raw_stream.read()
            types.append(record.rec_type)
            if record.rec_type == "response":
                algo, value = record.rec_headers.get_header("WARC-Payload-Digest").split(":")
                assert algo == "sha256"
                assert base64.b32decode(value) == hashlib.sha256(payload).digest()
                hashes.append(hashlib.sha256(payload).hexdigest())
    return types, hashes


def test_warc_is_off_with_the_reason_when_the_review_has_no_captures(sample_window):
    dialog = sample_window.exports.open_export()
    warc = dialog.format_buttons["warc"]
    assert not warc.isEnabled()
    assert "no captures yet: capture a source first" in warc.text()
    assert "no captures" in warc.toolTip()


def test_warc_export_runs_on_the_pool_and_reads_back_with_every_digest(
    make_window, capture_site, qtbot, cli, tmp_path
):
    window = make_window(synchronous=False)
    window.importer.import_sample()
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=30_000)
    _capture(window, qtbot, f"{capture_site}/article")
    _capture(window, qtbot, f"{capture_site}/login")
    captures = window.session.data.captures
    assert len(captures) == 2, errors_shown(window)

    dialog = window.exports.open_export()
    warc = dialog.format_buttons["warc"]
    assert warc.isEnabled() and "web archive replay tools" in warc.text()
    dialog.set_format("warc")
    suggested = Path(dialog.path.text())
    assert suggested.name.startswith(f"review-{window.session.review_id}-")
    assert suggested.name.endswith(".warc.gz")
    assert "Writes 2 captures as WARC records" in dialog.hint.text()
    target = tmp_path / suggested.name
    dialog.path.setText(str(target))
    dialog.begin()
    assert not dialog.export_button.isEnabled()  # begin returned while the pool writes
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=20_000)
    assert not dialog.error.isVisible(), dialog.error.text()
    assert dialog.state.text() == f"Wrote {target.name} to {target.parent}."

    types, hashes = _read_back(target)
    assert types == ["warcinfo", "response", "request", "response", "request"]
    assert hashes == [c.sha256 for c in captures]
    # The same bytes the CLI writes, but for the warcinfo record that names the file.
    by_cli = tmp_path / "cli" / target.name
    by_cli.parent.mkdir()
    assert cli("export", window.session.review_id, "--format", "warc", "-o", by_cli).code == 0
    assert _read_back(by_cli) == (types, hashes)


def test_warc_is_for_one_review_so_all_reviews_turns_it_off(sample_window, capture_site, qtbot):
    _capture(sample_window, qtbot, f"{capture_site}/article")
    dialog = sample_window.exports.open_export()
    dialog.set_format("warc")
    dialog.all.setChecked(True)
    warc = dialog.format_buttons["warc"]
    assert not warc.isEnabled() and "one review at a time" in warc.text()
    assert dialog.fmt == "md"  # the choice moved to a format that can be written
    dialog.one.setChecked(True)
    assert warc.isEnabled()
