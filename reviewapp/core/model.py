"""Domain records as plain dataclasses; the store reads and writes them, exports render them.

Their states (statuses, anchor state, kinds, credibility) are the enums of core/states.py,
parsed on construction, so a record read from a row or a bundle holds enum members or fails
at once with UnknownState."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reviewapp.core.states import (
    AiAssisted,
    AiRole,
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
from reviewapp.core.summary import ReviewSummary as ReviewSummary
from reviewapp.core.summary import utc_now as utc_now
from reviewapp.core.text import Block, Document

if TYPE_CHECKING:  # ReviewData's annotations only: the window's first frame needs neither
    from reviewapp.core.captures import Capture
    from reviewapp.core.second_review import SecondReviewRecord


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


@dataclass(frozen=True)
class ReuseOrigin:
    """Where a claim's check was reused from ("Checked before"), as it was at reuse time."""

    review_id: int
    claim_number: int
    claim_stable_id: str = ""
    review_title: str = ""

    def label(self) -> str:
        """e.g. review 12 claim 3 (c-7k3m9q2a)"""
        ref = f" ({self.claim_stable_id})" if self.claim_stable_id else ""
        return f"review {self.review_id} claim {self.claim_number}{ref}"


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
    reused_from: ReuseOrigin | None = None  # the earlier check this one reused, if any
    # the key of the check-worthiness suggestion it was accepted from (core/coverage.py), or ""
    suggestion_key: str = ""
    author: str = ""  # the editor who made the claim; "" for claims made before it was kept

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


@dataclass(frozen=True)
class Cosignature:
    """The second reviewer's signature over the very bytes of a sign-off (NAME.md.second.sig)."""

    signature: str  # armoured SSH signature, namespace reviewapp
    fingerprint: str
    signer: str
    email: str
    imported_at: str


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
    cosignature: Cosignature | None = None  # the second reviewer's, once it came back


@dataclass(frozen=True)
class AiInvolvement:
    """What an AI did to the draft, as its writer declared it and the editor recorded it."""

    assisted: AiAssisted = AiAssisted.UNKNOWN
    unknown_reason: str = ""  # why "unknown" is the honest answer (the gate accepts it then)
    tools: str = ""  # the tool(s) and version as the writer declared them, e.g. "Claude 3.5"
    roles: tuple[AiRole, ...] = ()  # in AiRole order, no repeats
    role_other: str = ""  # what the AI did, in words, when roles holds OTHER
    source_type: str = ""  # an IPTC digital source type code (core/sourcetypes.py)
    # The writer's own disclosure line as the editor confirmed it, and where it sits in the
    # review's revision (code points; None when it is not pinned or no longer found there).
    disclosure: str = ""
    disclosure_start: int | None = None
    disclosure_end: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "assisted", AiAssisted.parse(self.assisted))
        roles = {AiRole.parse(r) for r in self.roles}
        object.__setattr__(self, "roles", tuple(r for r in AiRole if r in roles))

    @property
    def known(self) -> bool:
        """Whether the record answers the question: yes, no, or unknown for a stated reason."""
        return self.assisted != AiAssisted.UNKNOWN or bool(self.unknown_reason.strip())

    def disclosure_span(self, text: str) -> tuple[int, int] | None:
        """Where the confirmed disclosure line is in text: its pinned place while that still
        holds it, else its only occurrence; None when it is not there (or there twice)."""
        if not self.disclosure:
            return None
        start, end = self.disclosure_start, self.disclosure_end
        if start is not None and end is not None and text[start:end] == self.disclosure:
            return start, end
        found = text.find(self.disclosure)
        if found < 0 or text.find(self.disclosure, found + 1) >= 0:
            return None
        return found, found + len(self.disclosure)


@dataclass(frozen=True)
class EditorialResponsibility:
    """Who holds editorial responsibility for the publication (AI Act Art. 50(4))."""

    holder: str = ""  # a person or an organisation
    role: str = ""  # e.g. "Managing editor"
    contact: str = ""  # a public contact: an email or web address


@dataclass(frozen=True)
class ReviewScope:
    """What the editor attests the review covered; each box is ticked by the editor."""

    claims_checked: bool = False  # every factual claim checked against sources
    sources_assessed: bool = False  # the sources checked for reliability
    corrections_requested: bool = False  # corrections asked of the writer


@dataclass(frozen=True)
class Dismissal:
    """The editor's written reason why a suggested sentence needs no claim (who, when)."""

    key: str  # the suggestion's key, "START-END-HASH" (core/coverage.py)
    sentence: str  # the sentence as the machine proposed it
    score: float
    reasons: tuple[str, ...]  # core.checkworthy.Reason values, as the machine gave them
    reason: str  # the editor's
    reviewer: str
    decided_at: str  # ISO 8601 UTC


@dataclass(frozen=True)
class SuggestionRecord:
    """What a review's record holds about check-worthiness suggestions besides its text and
    claims: whether the gate enforced them, the threshold, the dismissals on its revision."""

    enforced: bool = True
    threshold: float = 0.4  # core.checkworthy.DEFAULT_THRESHOLD (a test keeps them equal)
    dismissals: tuple[Dismissal, ...] = ()


@dataclass
class ReviewData:
    """Everything about one review, as the exports and the GUI need it."""

    review: Review
    revision: Revision
    claims: list[Claim]
    sources: list[Source]
    takeaways: list[Takeaway]
    signoffs: list[Signoff]
    ai: AiInvolvement = field(default_factory=AiInvolvement)
    responsibility: EditorialResponsibility = field(default_factory=EditorialResponsibility)
    scope: ReviewScope = field(default_factory=ReviewScope)
    # False for a review made before reviewapp recorded AI involvement, responsibility and
    # scope (schema 6, bundle version 3) and not edited since: its record says "not recorded"
    # rather than claiming answers nobody gave. Any change to them makes it True.
    accountability_recorded: bool = True
    # None for a review signed off before the record carried suggestion coverage (its signed
    # Markdown has none and must re-render as signed), and for data made without a store.
    suggestions: SuggestionRecord | None = None
    # The review's second review (core/second_review.py): None when none was asked for or
    # required, and for data made without a store.
    second_review: SecondReviewRecord | None = None
    # Captures of the sources (core/captures.py), oldest first; the WARC bytes are not here.
    captures: list[Capture] = field(default_factory=list)

    def source_by_id(self) -> dict[int, Source]:
        return {s.id: s for s in self.sources}

    def claim_number_by_id(self) -> dict[int, int]:
        return {c.id: c.number for c in self.claims}

    @property
    def locked(self) -> bool:
        """Nothing of the review may change: signed off, or a second reviewer's copy whose
        assessment is signed (both are reopened to be changed)."""
        return self.review.status == ReviewStatus.SIGNED_OFF or (
            self.second_review is not None and self.second_review.signed_copy
        )

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
