"""Layouts that hold at common screen sizes, light and dark: nothing clipped, lists with room
for six rows, the article a readable measure, and no scroll area inside another. Each size is
saved as a screenshot (REVIEWAPP_SCREENSHOT_DIR keeps them, for the README)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from reviewapp.ui.demo import populate_demo
from reviewapp.ui.models.claims import NUMBER
from reviewapp.ui.style import apply_style

# (width, height) -> the fewest average characters an article line must hold there
SIZES = {(1024, 700): 35, (1366, 768): 45, (1920, 1080): 60}
TABS = ("claims", "sources", "takeaways")
KINDS = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QAbstractItemView)


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scrolled_content(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: partly hidden by design, and scrolled into view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()
        ):
            return True
        parent = parent.parentWidget()
    return False


def clipped(window: QWidget) -> list[str]:
    """Every visible button, field and list not wholly inside each of its parents and the
    window (a button under the status bar is outside its pane)."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, KINDS) or not widget.isVisible() or scrolled_content(widget):
            continue
        if widget.window() is not window or widget.width() <= 0:
            continue
        rect = rect_in(widget, window)
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            if not rect_in(parent, window).contains(rect):
                name = widget.accessibleName() or widget.objectName() or type(widget).__name__
                outer = parent.objectName() or type(parent).__name__
                problems.append(f"{name} {rect.getRect()} outside {outer}")
                break
            parent = parent.parentWidget()
        if not window.rect().contains(rect):
            problems.append(f"{widget.accessibleName()} outside the window")
    return problems


def shown_rows(view: QAbstractItemView) -> float:
    row = view.sizeHintForRow(0)
    return view.viewport().height() / row if row > 0 else 0


def nested_scroll_areas(window: QWidget) -> list[str]:
    return (
        [
            f"{type(inner).__name__} {inner.accessibleName()}"
            for outer in window.findChildren(QScrollArea)
            if outer.isVisible()
            for inner in outer.widget().findChildren(QAbstractScrollArea)
            if inner.isVisible()
        ]
        if window.findChildren(QScrollArea)
        else []
    )


@pytest.fixture
def filled_window(sample_window):
    """The sample draft with five claims, two sources and two takeaways, a claim selected."""
    window = sample_window
    review_id = window.session.review_id
    populate_demo(window.session.store, review_id)
    window.session.open_review(None)
    window.session.open_review(review_id)
    window.session.set_current_claim(window.session.data.claims[0].id)
    window.sources.select(window.session.data.sources[0].id)
    return window


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_pane_fits_at_common_sizes(filled_window, qtbot, qapp, dark):
    window = filled_window
    # The app's own look (Fusion, its fonts and style sheet) decides how tall rows and fields
    # are; the review is opened again under it, as the app opens it after styling itself.
    palette, sheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    style = qapp.style().name()
    apply_style(qapp, dark=dark)
    session = window.session
    review_id, claim_id = session.review_id, session.current_claim_id
    session.open_review(None)
    session.open_review(review_id)
    session.set_current_claim(claim_id)
    keep = os.environ.get("REVIEWAPP_SCREENSHOT_DIR", "")
    try:
        for (width, height), measure in SIZES.items():
            window.resize(width, height)
            for index, tab in enumerate(TABS):
                window.tabs.setCurrentIndex(index)
                QApplication.sendPostedEvents()  # the splitters lay out again
                where = f"{width}x{height} {'dark' if dark else 'light'} {tab}"
                assert (window.width(), window.height()) == (width, height), where
                assert clipped(window) == [], where
                assert nested_scroll_areas(window) == [], where
                view = (window.claims.list, window.sources.list, window.takeaways.list)[index]
                assert shown_rows(view) >= 6, where
                assert window.article.view.measure() >= measure, where
                if keep:
                    name = f"{width}x{height}-{'dark' if dark else 'light'}-{tab}.png"
                    assert window.grab().save(str(Path(keep) / name))
    finally:
        qapp.setStyle(style)
        qapp.setFont(font)
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_a_narrow_window_folds_the_library_and_keeps_the_article_readable(filled_window, qtbot):
    window = filled_window
    window.resize(800, 700)
    qtbot.waitUntil(lambda: window.width() == 800)
    QApplication.sendPostedEvents()  # the splitter lays out again once the library folds
    assert not window.library.isVisible()
    assert window.article.view.measure() >= 35
    assert clipped(window) == []
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: window.width() == 1100)
    QApplication.sendPostedEvents()
    assert window.library.isVisible()
    assert window.article.view.measure() >= 35


def test_the_claim_number_column_holds_four_digit_numbers(filled_window):
    view = filled_window.claims.list
    needed = view.fontMetrics().horizontalAdvance("2000") + 8  # the cell's own padding
    assert view.header().sectionSize(NUMBER) >= needed
