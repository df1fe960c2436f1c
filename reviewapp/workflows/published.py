"""Published = reviewed: compare the text a newsroom published with the revision it signed off.

The published version is read like any import but never stored. Whitespace and typographic
quotes are what publishing systems change on their own (line breaks, curly quotes), so a
difference made only of those is named and does not count; any other difference is a changed
passage, with the claims it touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewapp.core.diff import PassageChange, TouchedClaims, diff_texts, touched_claims
from reviewapp.core.errors import BadInput
from reviewapp.core.model import ImportedDraft, Revision
from reviewapp.core.states import ReviewStatus
from reviewapp.store import ReviewStore
from reviewapp.workflows.drafts import DraftLoader, FetchedDraft

# Curly, low and reversed quotes as publishing systems set them, and the straight ones they
# stand for.
_QUOTES = str.maketrans(
    {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"}
    | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"}
)
_SPACE = re.compile(r"\s+")


def _spaced(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _plain(text: str) -> str:
    """The text with whitespace runs as one space and typographic quotes straight."""
    return _spaced(text.translate(_QUOTES))


@dataclass(frozen=True)
class PublishedCheck:
    """What the published text is to the signed revision."""

    signed: Revision  # the revision the current sign-off covers
    published: Revision  # the published version, as read (never stored: id 0)
    changes: list[PassageChange]  # cosmetic ones left out; empty when the texts agree
    touched: TouchedClaims  # the claims each change touches
    cosmetic: tuple[str, ...] = ()  # "whitespace", "typographic quotes": differences not counted

    @property
    def identical(self) -> bool:
        return not self.changes


def check_published(store: ReviewStore, review_id: int, draft: ImportedDraft) -> PublishedCheck:
    """Compare draft (the published version) with the text review_id was signed off on."""
    data = store.load_review(review_id)
    signoff = data.current_signoff
    if data.review.status != ReviewStatus.SIGNED_OFF or signoff is None:
        raise BadInput(
            f"review {review_id} is not signed off: there is no signed text to compare with"
        )
    signed = store.revision(signoff.revision_id)
    published = Revision(
        id=0,
        article_id=signed.article_id,
        number=0,
        text=draft.document.text,
        blocks=draft.document.blocks,
        content_hash=draft.document.content_hash,
        meta=draft.meta,
        imported_at="",
        importer=draft.importer,
        source_name=draft.source_name,
        raw_type=draft.raw_type,
    )
    old, new = signed.text, published.text
    cosmetic: tuple[str, ...] = ()
    changes: list[PassageChange] = []
    if old != new and _plain(old) == _plain(new):
        cosmetic = _cosmetic(old, new)
    elif old != new:
        every = diff_texts(old, new)
        # A passage whose words differ only cosmetically is no change; a moved one always is.
        changes = [
            c
            for c in every
            if c.kind == "moved"
            or _plain(old[c.old_start : c.old_end]) != _plain(new[c.new_start : c.new_end])
        ] or every
    touched = touched_claims(changes, data.claims, signed, published, data.review.revision_id)
    return PublishedCheck(signed, published, changes, touched, cosmetic)


def check_published_source(
    db_path: str, review_id: int, source: DraftLoader | FetchedDraft
) -> PublishedCheck:
    """check_published of the draft source reads, on a connection of this process's own: the
    window runs it in a worker process (reading and comparing a long page is pure Python)."""
    draft = source()
    with ReviewStore(db_path) as store:
        return check_published(store, review_id, draft)


def _cosmetic(old: str, new: str) -> tuple[str, ...]:
    """Which kinds of difference make up the whole of it."""
    if _spaced(old) == _spaced(new):
        return ("whitespace",)
    if old.translate(_QUOTES) == new.translate(_QUOTES):
        return ("typographic quotes",)
    return ("whitespace", "typographic quotes")
