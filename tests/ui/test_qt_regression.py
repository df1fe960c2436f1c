"""A bad PySide6 release (6.12.0 on Python < 3.12) aborts after ~5,000 void Qt calls."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel


def test_fifty_thousand_void_qt_calls_do_not_crash(qapp):
    label = QLabel()
    for n in range(50_000):
        label.setText("x" if n % 2 else "y")
    assert label.text() == "x"


def test_many_cursor_moves_like_the_highlights_make(qapp):
    document = QTextDocument("a" * 1000)
    cursor = QTextCursor(document)
    for n in range(20_000):
        cursor.setPosition(n % 1000)
    assert cursor.position() == 19_999 % 1000
