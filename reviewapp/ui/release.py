"""Letting go of big structures a part per turn of the event loop.

Dropping the last reference to a list of 60,000 tuples frees them all at once, in the turn
that drops it: the suggestions of a 1,000,000-word text and their marks took ~15 ms of the
GUI thread to free when a new draft's arrived. Handed to a Releaser, they go PART items per
turn instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

PART = 5_000  # items freed per turn (~1 ms)


class Releaser(QObject):
    """Frees the lists, tuples and dicts it is given, PART items per turn."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._held: list[list | dict] = []
        self._timer = QTimer(self)
        self._timer.setInterval(1)  # a timer of its own turn, after what is waiting
        self._timer.timeout.connect(self._step)

    def release(self, *things: object) -> None:
        """Take these (the caller keeps no other reference) and free them over the next
        turns; small ones go at once."""
        for thing in things:
            if isinstance(thing, (list, tuple, dict)) and len(thing) > PART:
                # a tuple's items move to a list of ours: freeing the tuple frees none of them
                self._held.append(list(thing) if isinstance(thing, tuple) else thing)
        if self._held and not self._timer.isActive():
            self._timer.start()

    @property
    def holding(self) -> int:
        """How many items are still to be freed."""
        return sum(map(len, self._held))

    def _step(self) -> None:
        held = self._held[-1]
        if isinstance(held, dict):
            for _ in range(min(PART, len(held))):
                held.popitem()
        else:
            del held[-PART:]
        if not held:
            self._held.pop()
        if not self._held:
            self._timer.stop()
