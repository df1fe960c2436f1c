"""Hostile inputs shared by the tests and benchmarks/bench_hostile.py: each case builds its
small files at run time and names the one-line refusal it expects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HostileCase:
    """build(dir) writes the case's files into dir and returns the CLI arguments that follow
    `reviewapp --db DB`; expect is a substring of the one-line refusal."""

    name: str
    build: Callable[[Path], list[str]]
    expect: str
