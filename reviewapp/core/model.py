"""Domain records as plain dataclasses; the store reads and writes them, exports render them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

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
    status: str
    verdict: str
    created_at: str
    updated_at: str


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
    status: str
    note: str
    correction: str
    anchor_state: str
    source_ids: list[int] = field(default_factory=list)
    source_override: str = ""
    previous_quote: str = ""
    created_at: str = ""
    updated_at: str = ""


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
    kind: str = "other"
    credibility: str = "undetermined"
    note: str = ""
    claim_ids: list[int] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Takeaway:
    id: int
    review_id: int
    text: str
    kind: str
    position: int


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


@dataclass
class ReviewSummary:
    """One row of the library list."""

    id: int
    title: str
    site: str
    status: str
    verdict: str
    reviewer: str
    claims: int
    unchecked: int
    updated_at: str
    url: str
