"""TaskDialog: a dialog that runs one cancellable task, with progress, Cancel and errors."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton

from reviewapp.ui.tasks import Task


class TaskDialog(QDialog):
    """Subclasses build progress, state, error, import_button and cancel_button, and say
    which of their inputs to lock while the task runs (set_inputs_enabled)."""

    task: Task | None = None
    progress: QProgressBar
    state: QLabel
    error: QLabel
    import_button: QPushButton
    cancel_button: QPushButton

    def set_inputs_enabled(self, enabled: bool) -> None:
        raise NotImplementedError

    def started(self, task_start_text: str) -> None:
        """Lock the inputs and show progress; call before starting the task."""
        self.error.hide()
        self.import_button.setEnabled(False)
        self.set_inputs_enabled(False)
        self.progress.show()
        self.state.setText(task_start_text)

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.finished

    def cancel(self) -> None:
        """Cancel a running task (the dialog closes when it stops), or close the dialog."""
        if self.busy:
            assert self.task is not None
            self.task.cancel()
            self.state.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def _failed(self, message: str) -> None:
        if self.task is not None and self.task.control.cancelled:
            self.reject()
            return
        self.task = None
        self.progress.hide()
        self.state.setText("")
        self.error.setText(message)
        self.error.show()
        self.import_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.set_inputs_enabled(True)
