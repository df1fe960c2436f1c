"""The domain's states as enums: review status, verdict, claim status, anchor state, source kind
and credibility, stance of a claim-source link, takeaway kind, and whether and how AI took part
in a draft.

Each member's value is the spelling stored in the database, written in bundles and exports and
typed on the command line, so these are ``StrEnum``s: a member *is* that string (it compares,
hashes, formats and is stored as it), and no data needed migrating when they were introduced.
Labels, order and ClaimReview ratings are in ``core/scales.py``; colours and shortcuts are the
GUI's, in ``ui/scale_style.py``.

Records read from the database or a bundle are parsed into these in the dataclasses of
``core/model.py``; a spelling this version does not know raises ``UnknownState`` there, with the
value and the known spellings, instead of failing later wherever the value happens to be used.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from typing import Literal, Self

from reviewapp.core.errors import ReviewAppError


class UnknownState(ReviewAppError):
    """A stored record holds a state this version of the app does not know."""


class DomainState(StrEnum):
    """A StrEnum whose members are the stored spellings; ``parse`` reads one with a clear error."""

    @classmethod
    def what(cls) -> str:
        """What a value of this enum is called in messages: ClaimStatus -> 'claim status'."""
        return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()

    @classmethod
    @cache
    def spellings(cls) -> dict[str, Self]:
        """Each stored spelling to its member, built once: a dict lookup is ~5x cheaper than
        calling the enum, which counts when 10,000 claims are read."""
        return {member.value: member for member in cls}

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member spelled value; UnknownState (naming the known spellings) otherwise."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            member = cls.spellings().get(value)
            if member is not None:
                return member
        known = ", ".join(cls)
        raise UnknownState(f"unknown {cls.what()} {value!r}; this version knows: {known}")


class ReviewStatus(DomainState):
    DRAFT = "draft"
    IN_REVIEW = "in-review"
    SIGNED_OFF = "signed-off"


class Verdict(DomainState):
    """The editor's verdict on the draft; a review has none ("") until one is chosen."""

    PUBLISH = "publish"
    PUBLISH_WITH_CORRECTIONS = "publish-with-corrections"
    DO_NOT_PUBLISH = "do-not-publish"


class ClaimStatus(DomainState):
    """The verification status of a claim."""

    UNCHECKED = "unchecked"
    VERIFIED = "verified"
    PARTLY_TRUE = "partly-true"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"
    OPINION = "opinion"


class AnchorState(DomainState):
    """How firmly a claim sits on its passage in the current revision."""

    ANCHORED = "anchored"
    MOVED = "moved"
    NEEDS_CONFIRMATION = "needs-confirmation"
    AMBIGUOUS = "ambiguous"
    ORPHANED = "orphaned"

    @property
    def firm(self) -> bool:
        """Anchored, or moved to where the exact quote now is: nothing for the editor to settle."""
        return self in (AnchorState.ANCHORED, AnchorState.MOVED)


class SourceKind(DomainState):
    PRIMARY = "primary"
    NEWS = "news"
    OFFICIAL = "official"
    DATA = "data"
    EXPERT = "expert"
    OTHER = "other"


class Credibility(DomainState):
    """How far the editor trusts a source."""

    UNDETERMINED = "undetermined"
    CREDIBLE = "credible"
    UNCERTAIN = "uncertain"
    NOT_CREDIBLE = "not-credible"


class Stance(DomainState):
    """What a linked source says about a claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"  # background for the claim, neither for nor against it


class TakeawayKind(DomainState):
    SUMMARY = "summary"
    CONCERN = "concern"
    FOLLOW_UP = "follow-up"


class AiAssisted(DomainState):
    """Whether the draft was written with AI; unknown stands until the editor says, or says why
    it cannot be known."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class AiRole(DomainState):
    """What an AI did to the draft, as its writer declared it."""

    DRAFTED = "drafted"
    REWROTE = "rewrote"
    TRANSLATED = "translated"
    SUMMARISED = "summarised"
    HEADLINES = "headlines"  # suggested headlines or titles
    OTHER = "other"  # described in words (AiInvolvement.role_other)


def parse_verdict(value: object) -> Verdict | Literal[""]:
    """A verdict, or "" for a review that has none yet."""
    return "" if value == "" or value is None else Verdict.parse(value)
