"""Hostile inputs shared by the test suite and benchmarks/bench_hostile.py.

Each ``*_cases.py`` module here defines ``CASES: list[HostileCase]``. A case writes small
generated files (expanded at run time; nothing big is committed) into a directory and returns
the CLI arguments that follow ``reviewapp --db DB``. The benchmark runs ``build`` with the
default limits; the test suite runs ``small`` when a case has one (a smaller input with small
limits given on the command line, so the same refusal is proved cheaply), else ``build``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Build = Callable[[Path], list[str]]


@dataclass(frozen=True)
class HostileCase:
    name: str
    build: Build  # the full-size input under the default limits (what the benchmark runs)
    expect: str  # a substring of the one-line refusal; "" when the input must import (exit 0)
    small: Build | None = None  # a cheap variant for the test suite; same expect

    def test_build(self) -> Build:
        return self.small or self.build


def all_cases() -> list[HostileCase]:
    """Every case of every ``*_cases.py`` module in this package, in file-name order."""
    cases: list[HostileCase] = []
    for path in sorted(Path(__file__).parent.glob("*_cases.py")):
        module = importlib.import_module(f"{__name__}.{path.stem}")
        cases.extend(module.CASES)
    return cases
