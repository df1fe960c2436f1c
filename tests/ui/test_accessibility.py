"""Accessibility: names and descriptions for assistive technology, a sensible keyboard order,
and icons that stay crisp on a 200% display."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible, QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from reviewapp import APP_ID
from reviewapp.resources_path import resource_path
from reviewapp.ui.actions import ACTIONS
from tests.ui.conftest import select_quote
from tests.ui.shown import shown_dialog
from tests.ui.test_signed_off_read_only import signed_off_window

# ---------------------------------------------------------------------- icons at 200%


def _argb(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _svg_at(path: Path, pixels: int) -> QImage:
    """The SVG drawn directly at this many pixels: what a crisp icon must look like."""
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(path)).render(painter)
    painter.end()
    return image


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel byte, 0-255."""
    assert (a.width(), a.height()) == (b.width(), b.height())
    first, second = bytes(_argb(a).constBits()), bytes(_argb(b).constBits())
    return sum(abs(x - y) for x, y in zip(first, second, strict=True)) / len(first)


def _check_crisp(name: str, icon: QIcon, svg: Path | None, logical: int = 16) -> None:
    pixmap = icon.pixmap(QSize(logical, logical), 2.0)
    assert not pixmap.isNull(), f"{name}: no icon"
    assert pixmap.devicePixelRatio() == 2.0, name
    assert (pixmap.width(), pixmap.height()) == (2 * logical, 2 * logical), (
        f"{name}: drew {pixmap.width()}x{pixmap.height()} px at 2x, not {2 * logical} px"
    )
    image = pixmap.toImage()
    native = 0.0
    if svg is not None:
        native = _difference(image, _svg_at(svg, 2 * logical))
        assert native < 0.5, f"{name}: the 2x icon is not the SVG drawn at {2 * logical} px"
    # Nor the 1x picture blown up, which is blurry (smooth) or blocky (nearest): it differs
    # from the real 2x drawing by far more than the real drawing differs from the SVG.
    small = icon.pixmap(QSize(logical, logical), 1.0).toImage()
    for mode in (
        Qt.TransformationMode.SmoothTransformation,
        Qt.TransformationMode.FastTransformation,
    ):
        upscaled = small.scaled(
            2 * logical, 2 * logical, Qt.AspectRatioMode.IgnoreAspectRatio, mode
        )
        blown_up = _difference(image, upscaled)
        assert blown_up > max(0.25, 4 * native), f"{name}: the 2x icon is the 1x one upscaled"


def test_every_icon_in_the_action_registry_has_an_svg_fallback():
    """Windows and macOS have no freedesktop icon theme: our SVGs are what they show."""
    missing = []
    for spec in ACTIONS:
        if not spec.icon:
            continue
        path = resource_path("icons", "actions", f"{spec.icon}.svg")
        if not path.is_file() or not QSvgRenderer(str(path)).isValid():
            missing.append(f"{spec.id} ({spec.icon}.svg)")
    assert missing == [], "draw these in resources/icons/actions/: " + ", ".join(missing)


def test_the_app_icon_is_drawn_natively_at_2x(qapp):
    from reviewapp.ui.style import app_icon

    svg = resource_path("icons", f"{APP_ID}.svg")
    for logical in (16, 32, 64, 256):
        _check_crisp("app icon", app_icon(), svg, logical)


def test_every_action_icon_is_drawn_natively_at_2x(make_window):
    window = make_window(show=False)
    checked = 0
    for spec, action in window.action_set.items():
        if not spec.icon:
            continue
        # A desktop theme may supply its own icon; ours must then match the SVG exactly.
        ours = (
            None
            if QIcon.hasThemeIcon(spec.icon)
            else resource_path("icons", "actions", f"{spec.icon}.svg")
        )
        for logical in (16, 24):
            _check_crisp(spec.id, action.icon(), ours, logical)
        checked += 1
    assert checked >= 25


def test_status_swatches_are_drawn_for_2x_screens(qapp):
    from reviewapp.ui.widgets import colour_icon

    icon = colour_icon("#e06666")
    pixmap = icon.pixmap(QSize(12, 12), 2.0)
    assert (pixmap.width(), pixmap.devicePixelRatio()) == (24, 2.0)
    small = icon.pixmap(QSize(12, 12), 1.0).toImage()
    upscaled = small.scaled(24, 24, Qt.AspectRatioMode.IgnoreAspectRatio)
    assert _difference(pixmap.toImage(), upscaled) > 1.0


def test_the_crispness_check_catches_an_icon_made_from_a_small_bitmap(qapp):
    """The check itself: a 16 px PNG shown at 200% is refused."""
    png = resource_path("icons", "hicolor", "16x16", "apps", f"{APP_ID}.png")
    with pytest.raises(AssertionError):
        _check_crisp("16 px PNG", QIcon(str(png)), None)


# ---------------------------------------------------------------------- names and descriptions

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabBar,
    QProgressBar,
)
# Parts that belong to another control, which speaks for them (a combo's list, a line edit's
# clear button, a view's editors and headers, a tab bar's scroll arrows, menus).
COMPOUND = (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView, QTabBar, QMenuBar, QMenu)


def _part_of_another_control(widget: QWidget) -> bool:
    if isinstance(widget, (QHeaderView, QScrollBar)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def _spoken(widget: QWidget) -> tuple[str, str]:
    """The name and description a screen reader gets, through Qt's accessibility interface."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(QAccessible.Text.Name), interface.text(QAccessible.Text.Description)


def _label(widget: QWidget) -> str:
    parent = widget.parentWidget()
    where = f" in {type(parent).__name__} {parent.objectName()!r}" if parent else ""
    text = widget.property("text") or widget.property("placeholderText") or ""
    return f"{type(widget).__name__} {widget.objectName()!r} {text!r}{where}"


def unspoken(root: QWidget, main: tuple[QWidget, ...] = ()) -> list[str]:
    """Every interactive widget under root (shown or not) and every main widget whose name or
    description a screen reader would miss, described so it can be found."""
    problems = [] if root.windowTitle() else [f"{_label(root)}: no window title"]
    widgets = [w for w in root.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
    widgets = [w for w in widgets if not _part_of_another_control(w)]
    for widget in [*main, *widgets]:
        if isinstance(widget, QTabBar):
            problems += _unspoken_tabs(widget)
            continue
        name, description = _spoken(widget)
        if not any(ch.isalpha() for ch in name):
            problems.append(f"{_label(widget)}: no name in words (has {name!r})")
        elif isinstance(widget, QComboBox) and not widget.accessibleName():
            # Without one, Qt names a combo by its current choice: "Publish" says nothing.
            problems.append(f"{_label(widget)}: a combo box needs its own name")
        if not description.strip() and _needs_description(widget):
            problems.append(f"{_label(widget)}: no description")
    return problems


def _unspoken_tabs(bar: QTabBar) -> list[str]:
    """A tab bar speaks through its tabs: Qt names it by the current tab and gives it no
    description, so each tab needs a name and a tooltip (its description)."""
    interface = QAccessible.queryAccessibleInterface(bar)
    problems = []
    for index in range(bar.count()):
        tab = interface.child(index)
        if not tab.text(QAccessible.Text.Name).strip():
            problems.append(f"{_label(bar)}: tab {index} has no name")
        if not tab.text(QAccessible.Text.Description).strip():
            problems.append(f"{_label(bar)}: tab {bar.tabText(index)!r} has no tooltip")
    return problems


def _needs_description(widget: QWidget) -> bool:
    """Fields, lists and buttons say what they are for; a check box's or radio button's label
    already does, and so do the OK, Cancel and Close of a dialog's button box."""
    if isinstance(widget, (QCheckBox, QRadioButton)):
        return False
    parent = widget.parentWidget()
    return not (
        isinstance(widget, QAbstractButton) and isinstance(parent, (QDialogButtonBox, QMessageBox))
    )


def test_every_widget_of_the_main_window_has_a_name_and_a_description(sample_window):
    window = sample_window
    window.session.set_current_claim(0)
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()  # the claim detail, with every field, is built
    main = (
        window.library,
        window.article,
        window.header,
        window.claims,
        window.sources,
        window.takeaways,
        window.tabs,
        window.header.badge,
        window.summary,
    )
    assert unspoken(window, main) == []


def test_the_status_badge_and_summary_say_what_they_show(sample_window):
    window = sample_window
    assert _spoken(window.header.badge)[0] == "Review status: Draft"
    assert (
        _spoken(window.summary)[0] == "Review summary: 0 claims, 0 unchecked, 0 corrections · saved"
    )


def test_the_empty_library_and_an_empty_window_are_described_too(make_window):
    window = make_window()
    assert window.session.data is None
    assert unspoken(window) == []


def _dialogs(window) -> dict[str, QWidget]:
    """Every dialog the editor can meet, opened the way the editor opens it."""
    from reviewapp.ui.dialogs.signoff import verification_box

    opened: dict[str, QWidget] = {}
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    for name, open_it in (
        ("about", window.open_about),
        ("shortcuts", window.open_shortcuts),
        ("preferences", window.open_preferences),
        ("import url", window.open_import_url),
        ("add source", window.open_add_source),
        ("sign off", window.signing.open_signoff),
        ("reopen", window.signing.open_reopen),
        ("delete review", window.confirm_delete_review),
        ("export", window.exports.open_export),
        ("new revision", window.revisions.open_new_revision),
        ("compare drafts", window.revisions.open_compare),
        ("ai involvement", window.open_accountability),
        ("dismiss suggestion", lambda: _next_suggestion(window).open_dismiss()),
        ("shared archive", window.archive.open_archive),
        ("second review", window.second_review.open_compare),
    ):
        dialog = open_it()
        assert dialog is not None, name
        opened[name] = dialog
        dialog.close()
    window.action_set["claim.status.opinion"].trigger()  # the claim above, for the gate
    signed_off_window(window)  # Check Published Version needs a signed-off review
    for name, open_it in (("check published", window.revisions.open_check_published),):
        dialog = open_it()
        assert dialog is not None, name
        opened[name] = dialog
        dialog.close()
    window.show_error("the file could not be read")
    opened["error"] = shown_dialog(window, QMessageBox, "errorBox")
    opened["verify result"] = verification_box(window, True, "a.md is intact.", "Signed by Ada")
    opened["damaged library"] = _damaged_library_dialog(window)
    opened["capture view"] = _capture_view_dialog(window)
    opened["first editor's record"] = _first_record_dialog(window)
    return opened


def _first_record_dialog(window) -> QWidget:
    """The second reviewer's view of a signed record (filled by tests/ui/test_second_sign_gui.py,
    which needs two editors' libraries); its controls are the same with or without one."""
    from reviewapp.ui.dialogs.second_cosign import FirstRecordDialog

    dialog = FirstRecordDialog(window)
    dialog.show()
    return dialog


def _capture_view_dialog(window) -> QWidget:
    """Opened after a capture is read on the pool: built here from a reading of our own."""
    from reviewapp.core.captures import Capture
    from reviewapp.ui.dialogs.capture_view import CaptureViewDialog
    from reviewapp.workflows.captures import CaptureReading

    capture = Capture(
        1, 1, 1, "https://example.org/a", "https://example.org/a", 200, "text/html",
        "2026-12-04T10:00:00Z", "0" * 64, 10, True,
    )  # fmt: skip
    dialog = CaptureViewDialog(CaptureReading(capture, "Some text.", b"<p>x</p>", ".html"), window)
    dialog.show()
    dialog.close()
    return dialog


def _next_suggestion(window):
    """The article pane, with the cursor on the next unexamined suggested sentence."""
    window.action_set["suggestion.next"].trigger()
    return window.article


def _damaged_library_dialog(window) -> QWidget:
    """Opened by the launcher, not the window: built here as it builds it."""
    from reviewapp.ui.dialogs.damaged_db import DamagedDatabaseDialog

    path = Path("/library/reviews.db")
    backup = path.with_name("reviews.db.v1-20261201T090000Z.bak")
    dialog = DamagedDatabaseDialog(path, f"{path} is damaged (malformed)", backup, window)
    dialog.open()
    dialog.close()
    return dialog


def test_every_dialog_has_names_and_descriptions_for_its_fields(sample_window):
    problems = []
    for name, dialog in _dialogs(sample_window).items():
        problems += [f"{name}: {problem}" for problem in unspoken(dialog)]
    assert problems == []


def test_every_dialog_class_is_covered_by_the_test_above(sample_window):
    """A new dialog must be added to _dialogs, so its fields are checked too."""
    import reviewapp.ui.dialogs as package

    # A base class (such as TaskDialog) is covered through the dialogs built on it.
    covered = {base for dialog in _dialogs(sample_window).values() for base in type(dialog).mro()}
    defined = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        defined |= {
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, QDialog)
            and cls.__module__ == module.__name__
        }
    missing = sorted(cls.__qualname__ for cls in defined - covered)
    assert missing == [], f"open these in _dialogs of {Path(__file__).name}: {missing}"


# ---------------------------------------------------------------------- keyboard order


def _tab_order(window, start: QWidget, steps: int) -> list[str]:
    start.setFocus()
    order = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        order.append(widget.accessibleName() or widget.objectName())
        window.focusNextChild()
    return order


def test_tab_goes_library_article_header_pane_tabs_then_the_open_pane(sample_window, qtbot):
    window = sample_window
    select_quote(window, "has committed $4 billion")
    window.action_set["claim.add"].trigger()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    order = _tab_order(window, window.library.search, 18)
    assert order[:10] == [
        "Search reviews",
        "Status filter",
        "Reviews",
        "Article text",
        "Reviewer",
        "Verdict",
        "AI involvement and responsibility",
        "Sign Off",
        "Check-worthy sentences: 1 of 23 check-worthy sentences examined",
        "Review panes",
    ]
    claims = order[10:]
    assert claims[:5] == ["Claims", "Claim status", "Note", "Correction", "Sources of this claim"]
    assert claims.index("No source needed because") == 5
