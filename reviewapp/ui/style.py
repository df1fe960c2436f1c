"""Look and feel: Fusion with a light or dark palette that follows the system, a little style
sheet for spacing and emphasis (colours come from the palette, so both modes work), and the
application's icon."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from reviewapp import APP_ID

if TYPE_CHECKING:  # the window icon is set after the first paint (QIcon's enum types ~1 ms)
    from PySide6.QtGui import QIcon

ACCENT = "#2f6fde"
# Red for Delete buttons and warnings, one per mode: each reads at 4.5:1 or more (WCAG AA) on
# its mode's window, base and button colours; the light red is 2:1 on the dark buttons.
DANGER = {False: "#b3261e", True: "#ff8a80"}  # by dark mode

STYLE_SHEET = """
QMainWindow::separator { width: 1px; }
QSplitter::handle { background: palette(mid); }
QSplitter::handle:horizontal { width: 1px; }
QSplitter::handle:vertical { height: 1px; }
#libraryPane { background: palette(window); }
#libraryList, #claimsList, #sourcesList, #takeawaysList {
    border: none; background: palette(base);
}
#libraryList { border: 1px solid palette(mid); border-radius: 6px; }
#libraryList::item { border-bottom: 1px solid palette(midlight); }
#libraryList::item:selected { background: palette(highlight); }
#articlePane, #articleText { background: palette(base); }
#articleHeader { background: palette(base); border-bottom: 1px solid palette(midlight); }
#articleTitle { font-size: 17pt; font-weight: 700; }
#articleMeta, #muted, #fieldLabel { color: palette(placeholder-text); }
#articleMeta a { color: palette(link); }
#reviewHeader { background: palette(window); border-bottom: 1px solid palette(mid); }
#placeholder { color: palette(placeholder-text); font-size: 11pt; padding: 24px; }
#emptyHeading { font-size: 14pt; font-weight: 700; }
#warning { color: DANGER; }
#claimQuote { font-style: italic; font-size: 11pt; padding: 2px 0 4px 0; }
#findBar { background: palette(window); border-top: 1px solid palette(mid); }
QTabWidget::pane { border: none; }
QTabBar::tab { padding: 7px 16px; }
QPushButton#primary {
    background: ACCENT; color: white; border: none; border-radius: 5px;
    padding: 7px 16px; font-weight: 600;
}
QPushButton#primary:hover { background: #255bb8; }
QPushButton#danger { color: DANGER; }
QHeaderView::section { padding: 4px 6px; border: none;
    border-bottom: 1px solid palette(mid); background: palette(window); font-weight: 600; }
QLineEdit[locked="true"], QPlainTextEdit[locked="true"] {
    background: palette(window); color: palette(text);
}
#lockedBanner { background: #e3f4e8; border: 1px solid #7fd49a; border-radius: 6px; }
#lockedBanner QLabel { color: #1d1f23; font-weight: 600; }
QStatusBar { border-top: 1px solid palette(mid); }
QStatusBar QLabel#summary { padding: 0 10px; }
""".replace("ACCENT", ACCENT)


def style_sheet(dark: bool) -> str:
    """The style sheet for light or dark mode (only the danger red differs)."""
    return STYLE_SHEET.replace("DANGER", DANGER[dark])


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#25272b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1d1f23",
        QPalette.ColorRole.AlternateBase: "#2a2d32",
        QPalette.ColorRole.ToolTipBase: "#2a2d32",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2f3237",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7aa7ff",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Mid: "#3a3d43",
        QPalette.ColorRole.Midlight: "#303338",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7d8187"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7d8187"))
    return palette


def light_palette(app: QApplication) -> QPalette:
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f4f5f7"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Mid, QColor("#d5d8dd"))
    palette.setColor(QPalette.ColorRole.Midlight, QColor("#e8eaed"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6b7280"))
    return palette


def is_dark(app: QApplication) -> bool:
    """Whether the desktop asks for dark mode. (Its answer, a Qt.ColorScheme, builds all of
    Qt's namespace enums: ~15 ms, too dear before the window's first paint; see qt_ints.)"""
    from PySide6.QtCore import Qt

    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def looks_dark(app: QApplication) -> bool:
    """Whether app's palette is light text on a dark window. Before apply_style, that is the
    desktop's palette, which follows its dark mode wherever Qt reports one: the start guesses
    with this, and settle_colour_scheme() asks is_dark() once the window is painted."""
    palette = app.palette()
    window = palette.color(QPalette.ColorRole.Window).lightness()
    return window < palette.color(QPalette.ColorRole.WindowText).lightness()


def settle_colour_scheme(app: QApplication) -> None:
    """The palette for the scheme the desktop reports, where the start's guess missed it."""
    dark = is_dark(app)
    if dark != looks_dark(app):
        apply_style(app, dark)


def apply_style(app: QApplication, dark: bool | None = None) -> None:
    """Fusion, the palette for light or dark mode (None: the system's), and our style sheet."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    dark = is_dark(app) if dark is None else dark
    app.setPalette(dark_palette() if dark else light_palette(app))
    app.setStyleSheet(style_sheet(dark))


def follow_colour_scheme(app: QApplication) -> None:
    """Switch palettes when the desktop switches between light and dark."""
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_style(app))


def app_icon() -> QIcon:
    """The SVG icon of windows and the About box (empty when the resources are missing)."""
    from PySide6.QtGui import QIcon

    try:
        from reviewapp.resources_path import resource_path

        path = resource_path("icons", f"{APP_ID}.svg")
    except (ImportError, FileNotFoundError):
        return QIcon()
    return QIcon(str(path)) if path.exists() else QIcon()
