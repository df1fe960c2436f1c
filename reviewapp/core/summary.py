"""The records the window's first frame needs: a library row, and the clock the store stamps
rows with. The other records (core/model.py, ~20 dataclasses at ~0.45 ms each) come with the
first review read (issue 14: a quick start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from reviewapp.core.states import ReviewStatus, Verdict, parse_verdict


def utc_now() -> str:
    """The current time as ISO 8601 UTC with seconds, e.g. 2026-11-27T19:03:10Z."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ReviewSummary:
    """One row of the library list."""

    id: int
    title: str
    site: str
    status: ReviewStatus
    verdict: Verdict | Literal[""]
    reviewer: str
    claims: int
    unchecked: int
    updated_at: str
    url: str

    def __post_init__(self) -> None:
        self.status = ReviewStatus.parse(self.status)
        self.verdict = parse_verdict(self.verdict)
