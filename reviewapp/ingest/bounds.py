"""How every import stays inside its time and memory bounds, whatever the input.

Memory is bounded before a parser runs, by structure: the bytes (max_bytes), the HTML elements
counted by a streaming parse that builds no tree (max_elements), the bytes a .docx actually
inflates to and the paragraphs in it (wordfile.py). Those caps come from measurement: the 131
pages of the evaluation corpus have at most 1,709 elements (the cap is 30,000); trafilatura on
100,000 elements peaks near 430 MB.

Time cannot be bounded by structure alone. trafilatura 2.3 is super-linear in the number of
elements in ways no cheap pre-check captures: 20,000 links in one paragraph take 40 s, 1,000
paragraphs of 100 links each take 105 s, while 20,000 plain paragraphs take 1.5 s. A cap low
enough to keep every shape under 20 s would refuse long real pages. So the reading stage also
runs under a hard deadline (max_seconds): a watchdog timer raises ``_Overrun`` asynchronously
in the importing thread, which CPython delivers between two bytecodes, so it interrupts
trafilatura's and python-docx's Python loops; every C call between them is bounded by the
structural caps. ``_Overrun`` derives from BaseException so that no ``except Exception`` in a
third-party library can swallow it. This was chosen over parsing in a child process under
RLIMIT_AS: it costs nothing on the normal path (a child costs ~0.3 s per import), and needs
no multiprocessing support in the frozen (PyInstaller) app.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from reviewapp.core.errors import BadInput

T = TypeVar("T")


class _Overrun(BaseException):
    """Raised in the importing thread when its deadline passes."""


class TooManyElements(Exception):
    """The streaming count passed its cap; stops the parse at once."""


class _Alarm:
    """Raises _Overrun in one thread once, unless disarmed first."""

    def __init__(self, thread_id: int):
        self.thread_id = thread_id
        self.fired = False
        self._done = False
        self._lock = threading.Lock()

    def fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            _set_async_exception(self.thread_id, _Overrun)

    def disarm(self) -> None:
        with self._lock:
            self._done = True
            if self.fired:
                # Not yet delivered if the work ended just as the timer fired: withdraw it so
                # it cannot surface later in unrelated code.
                _set_async_exception(self.thread_id, None)


def _set_async_exception(thread_id: int, kind: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(kind) if kind is not None else None
    )


def run_within(seconds: float, work: Callable[[], T], what: str) -> T:
    """work() in this thread, or BadInput if it has not finished after seconds."""
    alarm = _Alarm(threading.get_ident())
    timer = threading.Timer(seconds, alarm.fire)
    timer.daemon = True
    try:
        try:
            timer.start()
            return work()
        finally:
            timer.cancel()
            alarm.disarm()
    except _Overrun:
        raise BadInput(
            f"{what} took longer than {seconds:g} s to read; it is not an article this app "
            "can import (split it, or raise the time limit)"
        ) from None


class _ElementCounter:
    """An lxml parser target that counts elements, and children of each, and builds nothing."""

    def __init__(self, cap: int, children_cap: int):
        self.cap = cap
        self.children_cap = children_cap
        self.count = 0
        self.children = [0]  # children so far of each open element, innermost last

    def start(self, tag: str, attrib: Any) -> None:
        self.count += 1
        self.children[-1] += 1
        if self.count > self.cap or self.children[-1] > self.children_cap:
            raise TooManyElements
        self.children.append(0)

    def end(self, tag: str) -> None:
        if len(self.children) > 1:
            self.children.pop()

    def data(self, data: str) -> None:
        pass

    def close(self) -> int:
        return self.count


def check_html_elements(text: str, name: str, cap: int) -> None:
    """BadInput if the page has more than cap elements, or one element more than
    cap // 20 children; memory stays flat while counting.

    The second bound exists because some of trafilatura's work on one element's children
    runs inside single lxml calls (no deadline can interrupt those) and grows with the
    square of their number: 20,000 links in one paragraph took 52 s, 5,000 take 1.5 s.
    """
    children_cap = max(cap // 20, 1)
    if text.count("<") <= children_cap:  # every element needs a '<': no parse needed
        return
    parser = etree.HTMLParser(target=_ElementCounter(cap, children_cap), no_network=True)
    try:
        parser.feed(text)  # feed, unlike fromstring, takes text with an XML declaration
        parser.close()
    except TooManyElements:
        raise BadInput(
            f"{name} has more than {cap:,} HTML elements, or more than {children_cap:,} in one "
            "element; no article needs that many (it may be built to slow the importer down)"
        ) from None
    except etree.LxmlError:
        return  # unparseable markup is judged by the extraction that follows
