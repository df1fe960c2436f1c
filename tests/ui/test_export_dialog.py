"""File › Export… (every format, byte for byte what the CLI writes; signed Markdown with its
.sig; batch export with progress and Cancel) and File › Import Bundle… (duplicates reported,
a bad bundle refused with one line and nothing written)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from reviewapp.export import FORMATS, export_filename
from tests.conftest import file_digest
from tests.ui.conftest import answer_accountability, select_quote
from tests.ui.shown import errors_shown, shown_dialog

REVIEWER = "Ada Editor"


def claim_and_source(window) -> None:
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.action_set["claim.status.false"].trigger()
    window.claims.note.setPlainText('Filings say $8 billion, "not" $4 billion, =SUM(A1)')
    window.claims.note.flush()
    window.claims.override.setText("Amazon's own filing, quoted in the draft")
    window.claims.override.editingFinished.emit()
    window.header.verdict.chosen.emit("publish-with-corrections")


def sign_off(window) -> None:
    answer_accountability(window)
    dialog = window.signing.open_signoff()
    dialog.name.setText(REVIEWER)
    dialog.email.setText("ada@example.org")
    dialog.accept()
    assert window.session.data.review.status == "signed-off", dialog.error.text()


def export_with_dialog(window, fmt: str, path: Path):
    dialog = window.exports.open_export()
    dialog.set_format(fmt)
    dialog.path.setText(str(path))
    dialog.begin()
    return dialog


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_is_written_byte_for_byte_as_the_cli_writes_it(
    sample_window, cli, tmp_path, fmt
):
    window = sample_window
    claim_and_source(window)
    data = window.session.data
    dialog = window.exports.open_export()
    dialog.set_format(fmt)
    suggested = Path(dialog.path.text())
    assert suggested.name == export_filename(data, fmt)  # the name the CLI's batch uses too
    gui = tmp_path / "gui" / suggested.name
    gui.parent.mkdir()
    dialog.path.setText(str(gui))
    dialog.begin()
    assert not dialog.error.isVisible(), dialog.error.text()
    assert dialog.state.text() == f"Wrote {gui.name} to {gui.parent}."
    by_cli = tmp_path / "cli" / gui.name
    by_cli.parent.mkdir()
    assert cli("export", data.review.id, "--format", fmt, "-o", by_cli).code == 0
    assert gui.read_bytes() == by_cli.read_bytes()
    assert not (gui.parent / (gui.name + ".sig")).exists()  # not signed off: no signature


def test_a_signed_off_review_exports_its_signed_markdown_and_signature(
    sample_window, cli, tmp_path
):
    window = sample_window
    claim_and_source(window)
    sign_off(window)
    dialog = window.exports.open_export()
    assert "Signed off" in dialog.hint.text()
    out = tmp_path / "signed.md"
    dialog.path.setText(str(out))
    dialog.begin()
    assert (
        dialog.state.text()
        == f"Wrote signed.md, signed.md.sig and signed.intoto.json to {tmp_path}."
    )
    assert out.read_bytes() == window.session.data.current_signoff.markdown
    assert cli("verify", out).code == 0
    # ... and with no reviewapp at all: OpenSSH checks the same bytes.
    fingerprint_line = cli("key", "export").out.strip()
    signers = tmp_path / "allowed_signers"
    signers.write_text(fingerprint_line + "\n")
    principal = fingerprint_line.split()[0]
    check = subprocess.run(
        [
            "ssh-keygen",
            "-Y",
            "verify",
            "-f",
            str(signers),
            "-I",
            principal,
            "-n",
            "reviewapp",
            "-s",
            f"{out}.sig",
        ],
        input=out.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def test_export_to_a_missing_folder_says_so_in_one_line(sample_window, tmp_path):
    dialog = export_with_dialog(sample_window, "csv", tmp_path / "nowhere" / "x.csv")
    assert dialog.error.isVisible()
    assert "does not exist" in dialog.error.text() and "\n" not in dialog.error.text()
    assert dialog.export_button.isEnabled()


def make_reviews(window, tmp_path: Path, count: int) -> list[int]:
    ids = []
    for n in range(count):
        draft = tmp_path / f"draft-{n}.txt"
        draft.write_text(f"Draft number {n}\n\nThe council met on day {n} and voted.\n")
        window.importer.import_path(draft)
        ids.append(window.session.review_id)
    return ids


def test_batch_export_writes_one_file_per_review_with_the_status_filter(
    sample_window, tmp_path, cli
):
    window = sample_window
    claim_and_source(window)
    sign_off(window)
    signed_id = window.session.review_id
    make_reviews(window, tmp_path, 2)
    dialog = window.exports.open_export()
    dialog.all.setChecked(True)
    assert dialog.status.isEnabled()
    folder = tmp_path / "all"
    dialog.path.setText(str(folder))
    progress = []
    dialog.progress.valueChanged.connect(progress.append)
    dialog.begin()
    names = sorted(p.name for p in folder.iterdir())
    assert len([n for n in names if n.endswith(".md")]) == 3
    assert [n for n in names if n.endswith(".sig")] == [
        export_filename(window.session.store.load_review(signed_id), "md") + ".sig"
    ]
    assert dialog.state.text() == f"Wrote 5 files to {folder}."  # with the attestation
    assert progress[-1] == 100

    only = tmp_path / "signed"
    dialog.status.setCurrentIndex(dialog.status.findData("signed-off"))
    dialog.set_format("json")
    dialog.path.setText(str(only))
    dialog.begin()
    assert [p.name for p in only.iterdir()] == [
        export_filename(window.session.store.load_review(signed_id), "json")
    ]
    by_cli = tmp_path / "cli"
    assert (
        cli("export", "--all", "--status", "signed-off", "--format", "json", "-o", by_cli).code == 0
    )
    assert {p.name: p.read_bytes() for p in only.iterdir()} == {
        p.name: p.read_bytes() for p in by_cli.iterdir()
    }


def test_cancel_stops_a_batch_after_the_file_being_written(make_window, tmp_path):
    window = make_window()
    make_reviews(window, tmp_path, 4)
    dialog = window.exports.open_export()
    dialog.all.setChecked(True)
    folder = tmp_path / "out"
    dialog.path.setText(str(folder))
    # The synchronous test runner reports progress inline: press Cancel after the first file.
    dialog.progress.valueChanged.connect(lambda value: value and dialog.cancel())
    dialog.begin()
    assert len(list(folder.iterdir())) == 1
    assert dialog.state.text().startswith("Cancelled: 1 file written")
    assert not dialog.running and dialog.cancel_button.text() == "Close"


def test_batch_export_runs_off_the_gui_thread(make_window, qtbot, tmp_path):
    window = make_window(synchronous=False)
    for n in range(3):
        draft = tmp_path / f"d{n}.txt"
        draft.write_text(f"Draft {n}\n\nSome text number {n}.\n")
        window.importer.import_path(draft)
        qtbot.waitUntil(lambda n=n: window.session.store.count_reviews() == n + 1, timeout=10000)
    dialog = window.exports.open_export()
    dialog.all.setChecked(True)
    dialog.set_format("csv")
    folder = tmp_path / "csv"
    dialog.path.setText(str(folder))
    dialog.begin()
    assert dialog.running and not dialog.progress.isHidden()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10000)
    assert len(list(folder.glob("*.csv"))) == 3
    assert dialog.state.text() == f"Wrote 3 files to {folder}."


def test_bundle_import_reports_duplicates_and_refuses_a_bad_bundle(
    sample_window, make_window, tmp_path
):
    source = sample_window
    claim_and_source(source)
    sign_off(source)
    bundle = tmp_path / "review.json"
    source.export_to(bundle, "json")

    window = make_window(tmp_path / "other.db")
    store = window.session.store
    window.exports.import_bundles([bundle])
    box = shown_dialog(window, QMessageBox, "bundleResult")
    assert box.text() == "Imported 1 review."
    assert "Imported review.json as review" in box.informativeText()
    # Another library's key is not trusted here: the report says so, with the command to trust it.
    assert "1 sign-off(s) intact, 0 by a key trusted here, 1 UNVERIFIED" in box.informativeText()
    assert "is UNVERIFIED: key SHA256:" in box.informativeText()
    assert "reviewapp key trust" in box.informativeText()
    assert window.session.data.review.status == "signed-off"
    assert window.session.data.claims[0].quote == "has committed $4 billion"

    box.accept()
    window.exports.import_bundles([bundle])
    box = shown_dialog(window, QMessageBox, "bundleResult")
    assert box.text() == "Imported 0 reviews; skipped 1 already here."
    assert "Skipped review.json: review" in box.informativeText()
    assert store.count_reviews() == 1

    window.action_set["edit.undo"].trigger()  # the second import wrote nothing to undo
    window.action_set["edit.undo"].trigger()  # the first: the review goes to the bin
    assert store.count_reviews() == 0
    window.action_set["edit.redo"].trigger()
    assert store.count_reviews() == 1

    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(bundle.read_bytes().replace(b"has committed $4", b"has committed $9", 1))
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01 not a bundle")
    before = file_digest(store.path)
    for bad in (garbage, tampered):
        shown_before = len(errors_shown(window))
        window.exports.import_bundles([bad])
        shown = errors_shown(window)
        assert len(shown) == shown_before + 1, shown
        assert shown[-1].startswith(bad.name), shown[-1]  # the file's name as it is
        assert "\n" not in shown[-1]
    window.exports.import_bundles([bundle, garbage])  # one bad file: nothing at all
    assert file_digest(store.path) == before
    assert store.count_reviews() == 1


def test_with_no_review_open_export_offers_the_batch(make_window, tmp_path):
    window = make_window()
    assert window.action_set["file.export"].isEnabled()
    dialog = window.exports.open_export()
    assert dialog.batch and not dialog.one.isEnabled()
    dialog.path.setText(str(tmp_path / "empty"))
    dialog.begin()
    assert dialog.state.text() == "There were no reviews to export; nothing was written."
