"""Errors the CLI maps to exit codes and the GUI shows as messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewapp.core.gate import GateProblem


class ReviewAppError(Exception):
    """Base class: the message is written for the user, in one line."""

    exit_code = 2


class BadInput(ReviewAppError):
    """The user's input cannot be used; nothing was written."""


class BadItem(BadInput):
    """Item number `position` (1-based) of a batch cannot be used; nothing of it was written."""

    def __init__(self, position: int, message: str):
        self.position = position
        super().__init__(message)


class NotFound(ReviewAppError):
    """A review, claim or source named by the user does not exist."""


class FetchError(BadInput):
    """A URL could not be fetched within the limits."""


class AnchorError(BadInput):
    """A quote cannot be pinned to exactly one passage."""


class DatabaseError(ReviewAppError):
    """The database cannot be opened or migrated."""


class ReviewLocked(ReviewAppError):
    """The review is signed off; reopen it before editing."""


class SigningUnavailable(ReviewAppError):
    """No usable keyring backend: signing is refused, everything else works."""


class GateFailed(ReviewAppError):
    """The sign-off gate found what is missing."""

    def __init__(self, problems: Sequence[GateProblem]):
        self.problems = list(problems)
        super().__init__("cannot sign off: " + "; ".join(map(str, problems)))


class VerificationFailed(ReviewAppError):
    """A signature does not verify."""

    exit_code = 1


class DatabaseDamaged(DatabaseError):
    """The database file is damaged (or not one SQLite can read): nothing is written to it."""

    exit_code = 3


class DatabaseBusy(BadInput):
    """Another program held the write lock for longer than the busy timeout."""
