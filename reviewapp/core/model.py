"""Domain records as plain dataclasses; the store reads and writes them, exports render them.

Their states (statuses, anchor state, kinds, credibility) are the enums of core/states.py,
parsed on construction, so a record read from a row or a bundle holds enum members or fails
at once with UnknownState."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from reviewapp.core.states import (
    AnchorState,
    ClaimStatus,
    Credibility,
    ReviewStatus,
    SourceKind,
    Stance,
    TakeawayKind,
    Verdict,
    parse_verdict,
)
from reviewapp.core.text import Block, Document


def utc_now() -> str:
    """The current time as ISO 8601 UTC with seconds, e.g. 2026-11-27T19:03:10Z."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ArticleMeta:
    """What the importer learned about a draft besides its text."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    site: str = ""
    url: str = ""
    canonical_url: str = ""
    published: str = ""
    description: str = ""


@dataclass
class Revision:
    id: int
    article_id: int
    number: int
    text: str
    blocks: tuple[Block, ...]
    content_hash: str
    meta: ArticleMeta
    imported_at: str
    importer: str
    source_name: str
    raw_type: str


@dataclass
class Review:
    id: int
    article_id: int
    revision_id: int
    reviewer: str
    status: ReviewStatus
    verdict: Verdict | Literal[""]
    created_at: str
    updated_at: str

    def __post_init__(self) -> None:
        self.status = ReviewStatus.parse(self.status)
        self.verdict = parse_verdict(self.verdict)


@dataclass
class Claim:
    id: int
    review_id: int
    number: int
    quote: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    revision_id: int
    status: ClaimStatus
    note: str
    correction: str
    anchor_state: AnchorState
    source_ids: list[int] = field(default_factory=list)
    source_override: str = ""
    previous_quote: str = ""
    created_at: str = ""
    updated_at: str = ""
    # source id -> what that source says about the claim; a linked source missing here supports
    source_stances: dict[int, Stance] = field(default_factory=dict)
    # why the status stands although its sources say otherwise (the gate's stance rule)
    stance_override: str = ""
    stable_id: str = ""  # c-7k3m9q2a (core/stableids.py); "" until the store gives one

    def __post_init__(self) -> None:
        self.status = ClaimStatus.parse(self.status)
        self.anchor_state = AnchorState.parse(self.anchor_state)
        self.source_stances = {k: Stance.parse(v) for k, v in self.source_stances.items()}

    def stance_of(self, source_id: int) -> Stance:
        """What the linked source source_id says about this claim."""
        return self.source_stances.get(source_id, Stance.SUPPORTS)


@dataclass
class Source:
    id: int
    review_id: int
    url: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    published: str = ""
    accessed_at: str = ""
    archive_url: str = ""
    archive_date: str = ""
    kind: SourceKind = SourceKind.OTHER
    credibility: Credibility = Credibility.UNDETERMINED
    note: str = ""
    claim_ids: list[int] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    # claim id -> what this source says about that claim; a linked claim missing here: supports
    claim_stances: dict[int, Stance] = field(default_factory=dict)
    stable_id: str = ""  # s-4n8p2x6d (core/stableids.py); "" until the store gives one

    def __post_init__(self) -> None:
        self.kind = SourceKind.parse(self.kind)
        self.credibility = Credibility.parse(self.credibility)
        self.claim_stances = {k: Stance.parse(v) for k, v in self.claim_stances.items()}

    def stance_of(self, claim_id: int) -> Stance:
        """What this source says about the linked claim claim_id."""
        return self.claim_stances.get(claim_id, Stance.SUPPORTS)


@dataclass
class Takeaway:
    id: int
    review_id: int
    text: str
    kind: TakeawayKind
    position: int
    created_at: str = ""
    updated_at: str = ""
    stable_id: str = ""  # t-9d2w5k7h (core/stableids.py); "" until the store gives one

    def __post_init__(self) -> None:
        self.kind = TakeawayKind.parse(self.kind)


@dataclass
class Signoff:
    id: int
    review_id: int
    revision_id: int
    reviewer: str
    email: str
    fingerprint: str
    markdown: bytes
    signature: str
    signed_at: str
    superseded_at: str = ""
    # The DSSE envelope of the in-toto attestation made with the signature (NAME.intoto.json);
    # empty for sign-offs made before attestations existed.
    attestation: bytes = b""
    superseded_reason: str = ""  # why it was superseded (a reopen's reason, a new revision)


@dataclass
class ReviewData:
    """Everything about one review, as the exports and the GUI need it."""

    review: Review
    revision: Revision
    claims: list[Claim]
    sources: list[Source]
    takeaways: list[Takeaway]
    signoffs: list[Signoff]

    def source_by_id(self) -> dict[int, Source]:
        return {s.id: s for s in self.sources}

    def claim_number_by_id(self) -> dict[int, int]:
        return {c.id: c.number for c in self.claims}

    @property
    def current_signoff(self) -> Signoff | None:
        live = [s for s in self.signoffs if not s.superseded_at]
        return live[-1] if live else None


@dataclass
class ImportedDraft:
    """An article as the importer hands it to the store: text, metadata and the raw bytes."""

    document: Document
    meta: ArticleMeta
    raw: bytes
    raw_type: str  # "text/html", "text/plain", "text/markdown", "application/vnd...docx"
    importer: str  # e.g. "trafilatura 2.3.1", "text"
    source_name: str  # the URL or file name it came from
    # The text encoding the file was read in ("" for Word files and pastes), and the others
    # that read it about as well when that was a weak guess: the editor is told, and may choose.
    encoding: str = ""
    encoding_rivals: tuple[str, ...] = ()


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


# The stored and exported fields of an ArticleMeta and of a Source, in their one order: the
# store's rows and the bundle codec both read and write them by these names.
META_FIELDS = ("title", "authors", "site", "url", "canonical_url", "published", "description")
SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "author",
    "published",
    "accessed_at",
    "archive_url",
    "archive_date",
    "kind",
    "credibility",
    "note",
)
