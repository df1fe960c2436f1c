"""Help › About: what this is, the versions it runs on, its licence, and where its files live."""

from __future__ import annotations

import platform
import sqlite3
from html import escape
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QSize, QSysInfo, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewapp import APP_DISPLAY_NAME, __version__
from reviewapp.ui.style import app_icon

LICENCE = "MIT licence"
TAGLINE = "Review AI-assisted drafts claim by claim, and sign the review off."

# (shown name, distribution name, module whose __version__ is the fallback)
LIBRARIES = (
    ("PySide6", "PySide6-Essentials", "PySide6"),
    ("trafilatura", "trafilatura", "trafilatura"),
    ("sqlite-utils", "sqlite-utils", "sqlite_utils"),
    ("keyring", "keyring", "keyring"),
)


def library_version(distribution: str, module: str) -> str:
    """The installed version, from the package metadata or the module itself."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass  # a frozen build may carry the module without its metadata: ask the module
    try:
        imported = __import__(module)
    except ImportError:
        return "not installed"
    return str(getattr(imported, "__version__", "unknown"))


def component_versions() -> list[tuple[str, str]]:
    """Every (component, version) the About dialog lists, app first."""
    rows = [("reviewapp", __version__), ("Qt", qVersion())]
    rows += [(name, library_version(dist, module)) for name, dist, module in LIBRARIES]
    rows += [
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("System", f"{QSysInfo.prettyProductName()} ({QGuiApplication.platformName()})"),
    ]
    return rows


def details_text(database: Path, logs: Path) -> str:
    """The versions and folders as plain text, for a bug report."""
    lines = [f"{name} {version}" for name, version in component_versions()]
    lines += [f"Database: {database}", f"Logs: {logs}"]
    return "\n".join(lines)


def _describe(widget: QWidget, name: str, description: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


class AboutDialog(QDialog):
    """The folders are links: activating one opens it in the file manager."""

    def __init__(self, database: Path, logs: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_DISPLAY_NAME}")
        self.setMinimumWidth(480)
        self.database, self.logs = database, logs
        _describe(
            self,
            f"About {APP_DISPLAY_NAME}",
            f"Version, licence and where {APP_DISPLAY_NAME} keeps its files",
        )

        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(QSize(64, 64)))
        _describe(icon, f"{APP_DISPLAY_NAME} icon", "The application's icon")
        title = QLabel(f"{APP_DISPLAY_NAME} {escape(__version__)}", self)
        title.setObjectName("aboutTitle")
        title.setStyleSheet("font-size: 17pt; font-weight: 700;")
        tagline = QLabel(TAGLINE, self)
        tagline.setWordWrap(True)
        tagline.setObjectName("muted")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(title)
        heading.addWidget(tagline)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.versions = QFormLayout()
        self.versions.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.versions.setHorizontalSpacing(14)
        self.versions.setVerticalSpacing(5)
        self.version_labels: dict[str, QLabel] = {}
        for name, version in component_versions():
            value = QLabel(version, self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            _describe(value, f"{name} version", f"The version of {name} this app runs on")
            self.version_labels[name] = value
            self._row(name, value)
        licence = QLabel(f"{LICENCE}. Free to use, change and share.", self)
        _describe(licence, "Licence", f"{APP_DISPLAY_NAME} is free software under the MIT licence")
        self._row("Licence", licence)
        self.database_link = self._folder_link(
            database, "Database", "Where your reviews are kept; opens the folder"
        )
        self._row("Database", self.database_link)
        self.logs_link = self._folder_link(
            logs, "Logs", "Where the app writes its log; opens the folder"
        )
        self._row("Logs", self.logs_link)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy Details", self)
        self.copy_button.setToolTip("Copy the versions and folders, for a bug report")
        _describe(
            self.copy_button,
            "Copy Details",
            "Copy the versions and folders to the clipboard, for a bug report",
        )
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        _describe(close, "Close", "Close the About window")
        close.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 14)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(self.versions)
        layout.addWidget(buttons)

    def _row(self, name: str, value: QLabel) -> None:
        label = QLabel(name, self)
        label.setObjectName("fieldLabel")  # muted, like the review header's labels
        label.setBuddy(value)
        self.versions.addRow(label, value)

    def _folder_link(self, path: Path, name: str, description: str) -> QLabel:
        """The path as a link to its folder (the file's folder for a file)."""
        folder = path if path.suffix == "" else path.parent
        label = QLabel(self)
        label.setWordWrap(True)
        label.setToolTip(f"Open {folder}")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(
            f'<a href="{QUrl.fromLocalFile(str(folder)).toString()}">{escape(str(path))}</a>'
        )
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        label.linkActivated.connect(lambda href: self.open_folder(QUrl(href)))
        _describe(label, f"{name}: {path}", description)
        return label

    def open_folder(self, url: QUrl) -> bool:
        """Show the folder in the file manager; a folder not made yet is made first."""
        Path(url.toLocalFile()).mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(url)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(details_text(self.database, self.logs))
        self.copy_button.setText("Copied")
