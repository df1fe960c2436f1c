"""The two widget helpers the window's first frame needs: what a screen reader says for a
widget, and a combo box that keeps Alt+Down. The library list uses them before the window is
first painted; widgets.py (which re-exports them) holds the rest, whose import costs ~8 ms."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget


class _ComboKeepsAltDown(QObject):
    """Alt+Down opens a focused drop-down (the platform's key for it), so Next Claim, bound to
    the same key window-wide, yields while a combo box has the focus. Alt+Up stays Previous
    Claim: a closed combo would take it as "choose the item above", a silent change."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        # Qt only now, with a key: its import makes all of its namespace's enums (see qt_ints),
        # and this filter sees the combo's events from before the window's first paint.
        from PySide6.QtCore import Qt

        if (
            event.key() == Qt.Key.Key_Down
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.AltModifier
        ):
            event.accept()  # the key goes to the combo, not to the window's shortcut
            return True
        return False


_ALT_DOWN_FILTER: _ComboKeepsAltDown | None = None


def keep_alt_down(combo: QComboBox) -> None:
    """Let combo open its list on Alt+Down even though Next Claim has that key."""
    global _ALT_DOWN_FILTER
    if _ALT_DOWN_FILTER is None:
        _ALT_DOWN_FILTER = _ComboKeepsAltDown()
    combo.installEventFilter(_ALT_DOWN_FILTER)


def describe(widget: QWidget, name: str, description: str) -> None:
    """What a screen reader says for widget: its name, then what it is for."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
