"""Export and Import Bundle from the GUI, through the workflows the CLI calls too.

Writing files runs on the thread pool with its own ReviewStore (a store is one connection,
used by one thread; SQLite WAL lets both share the file). Bundles are read and verified on the
pool too, and so is the import itself (one transaction, on the pool thread's own connection:
a big signed bundle took seconds); back on the GUI thread it becomes an undoable command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reviewapp.store import ReviewStore
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.commands import StoreCommand
from reviewapp.ui.host import WindowHost
from reviewapp.ui.importing import error_message
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.tasks import Task, TaskControl

if TYPE_CHECKING:  # the bundle code (and cryptography under it) is imported when first used
    from reviewapp.ui.dialogs.export_dialog import ExportDialog
    from reviewapp.workflows.bundles import BundleImport, CheckedBundle

BUNDLE_FILTER = "JSON bundles (*.json);;All files (*)"


class ImportBundles(StoreCommand):
    """Reviews from checked bundles; undo moves the imported ones to the bin, redo restores."""

    def __init__(
        self,
        session: ReviewSession,
        bundles: list[CheckedBundle],
        results: list[BundleImport] | None = None,
    ):
        """results: the import already written off the GUI thread (by import_bundles)."""
        super().__init__(session, 0, "Import bundle" if len(bundles) == 1 else "Import bundles")
        self.bundles = bundles
        self.results: list[BundleImport] = results or []
        self._written = results is not None  # the first do is then already done

    @property
    def imported_ids(self) -> list[int]:
        return [r.review_id for r in self.results if not r.skipped]

    def do(self) -> None:
        store = self.session.store
        if self._written:
            self._written = False
            return
        if not self.results:
            from reviewapp.workflows.bundles import import_bundles

            self.results = import_bundles(store, self.bundles)
            return
        with store.transaction():
            for review_id in self.imported_ids:
                store.restore_review(review_id)

    def revert(self) -> None:
        store = self.session.store
        with store.transaction():
            for review_id in self.imported_ids:
                store.delete_review(review_id)

    def refresh(self, forward: bool) -> None:
        ids = self.imported_ids
        if not forward and self.session.review_id in ids:
            self.session.open_review(None)
        self.session.libraryChanged.emit()
        if forward and ids:
            self.session.open_review(ids[0])


def result_lines(results: list[BundleImport]) -> list[str]:
    """What happened to each bundle, one line each, with the notes the checks left."""
    lines = []
    for r in results:
        summary = r.summary()
        lines.append(summary[:1].upper() + summary[1:] + ".")
        lines.extend(f"Note: {warning}" for warning in r.warnings())
    return lines


class ExportController:
    """File › Export… and File › Import Bundle… of one main window.

    settings keeps the folder last exported to, so the next export starts there.
    """

    def __init__(
        self,
        session: ReviewSession,
        actions: ActionSet,
        host: WindowHost,
        settings: QSettings,
        wrote_on_pool: Callable[[], None] = lambda: None,
    ):
        """wrote_on_pool: told when a pool thread wrote to the library for this window."""
        self.session = session
        self.host = host
        self.settings = settings
        self.wrote_on_pool = wrote_on_pool
        actions["file.export"].triggered.connect(self.open_export)
        actions["file.import_bundle"].triggered.connect(self.open_import_bundle)

    @property
    def db_path(self) -> Path:
        return self.session.store.path

    def _folder(self) -> str:
        return str(self.settings.value("export/folder", str(Path.home())))

    def _remember(self, folder: Path) -> None:
        self.settings.setValue("export/folder", str(folder))

    # ------------------------------------------------------------------ export
    def open_export(self) -> ExportDialog:
        from reviewapp.ui.dialogs.export_dialog import ExportDialog  # with the exporters

        self.session.flush()
        dialog = ExportDialog(
            self.session.data, self._folder(), self.export_one, self.export_all, self.host.parent
        )
        return self.host.open_dialog(dialog)

    def export_one(
        self,
        fmt: str,
        path: Path,
        done: Callable[[list[Path]], None],
        failed: Callable[[str], None],
    ) -> Task:
        """Write the open review (and NAME.md.sig when signed) exactly as `reviewapp export`."""
        from reviewapp.workflows.exporting import export_review

        self.session.flush()
        assert self.session.review_id is not None
        review_id, db = self.session.review_id, self.db_path

        def work(control: TaskControl) -> list[Path]:
            with ReviewStore(db) as store:
                return export_review(store, review_id, fmt, path).written

        def finished(written: list[Path]) -> None:
            self._remember(path.parent)
            names = ", ".join(p.name for p in written)
            self.host.show_status(f"Exported {names} to {path.parent}", 6000)
            done(written)

        return self.host.run_task(work, finished, lambda e: failed(error_message(e)))

    def export_all(
        self,
        fmt: str,
        folder: Path,
        status: str,
        done: Callable[[list[Path]], None],
        failed: Callable[[str], None],
        progress: Callable[[int, str], None],
        cancel: threading.Event,
    ) -> Task:
        """Every review (of one status, if given) into folder, as `reviewapp export --all`."""
        from reviewapp.export.batch import export_all

        self.session.flush()
        db = self.db_path

        def work(control: TaskControl) -> list[Path]:
            with ReviewStore(db) as store:
                return export_all(store, folder, fmt, status, control.report, control.cancel)

        def finished(written: list[Path]) -> None:
            self._remember(folder)
            self.host.show_status(f"Exported {len(written)} files to {folder}", 6000)
            done(written)

        return self.host.run_task(
            work, finished, lambda e: failed(error_message(e)), progress, cancel
        )

    # ------------------------------------------------------------------ import bundles
    def open_import_bundle(self) -> QFileDialog:
        dialog = QFileDialog(self.host.parent, "Import Bundles", self._folder(), BUNDLE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda paths: self.import_bundles([Path(p) for p in paths]))
        return self.host.open_dialog(dialog)

    def import_bundles(self, paths: list[Path]) -> Task:
        """Read, verify and import every file off the GUI thread (one bad file imports
        nothing), with progress on the status line; cancelled before the write, nothing is
        imported. The result becomes an undoable command when it arrives."""
        db = self.db_path
        files = f"{len(paths)} bundle{'s' if len(paths) != 1 else ''}"

        def work(control: TaskControl) -> tuple[list[CheckedBundle], list[BundleImport]] | None:
            from reviewapp.export.bundle import read_bundle_files
            from reviewapp.workflows.bundles import check_bundle, import_bundles

            control.report(0, f"Reading and checking {files}…")
            bundles = []
            for n, (path, content) in enumerate(read_bundle_files(paths)):
                bundles.append(check_bundle(content, path.name))
                control.report(60 * (n + 1) // len(paths), f"Checked {path.name}")
                if control.cancelled:
                    return None
            control.report(60, f"Importing {files}…")
            with ReviewStore(db) as store:
                return bundles, import_bundles(store, bundles)

        def imported(outcome: tuple[list[CheckedBundle], list[BundleImport]] | None) -> None:
            if outcome is None:
                self.host.show_status("Bundle import cancelled: nothing was imported", 6000)
                return
            self.wrote_on_pool()
            bundles, results = outcome
            command = ImportBundles(self.session, bundles, results)
            if self.session.push(command):
                self.show_results(command.results)

        def failed(exc: BaseException) -> None:
            self.host.show_status("", 0)
            self.host.show_error(error_message(exc))

        return self.host.run_task(
            work, imported, failed, lambda _percent, text: self.host.show_status(text, 0)
        )

    def show_results(self, results: list[BundleImport]) -> QMessageBox:
        imported = sum(not r.skipped for r in results)
        skipped = len(results) - imported
        headline = f"Imported {imported} review{'s' if imported != 1 else ''}"
        if skipped:
            headline += f"; skipped {skipped} already here"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Import Bundle",
            headline + ".",
            QMessageBox.StandardButton.Ok,
            self.host.parent,
        )
        box.setObjectName("bundleResult")
        box.setInformativeText("\n".join(result_lines(results)))
        self.host.show_status(headline, 6000)
        return self.host.open_dialog(box)
