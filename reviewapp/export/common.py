"""Facts every export states the same way: the article's title and address, numbering, dates."""

from __future__ import annotations

import re

from reviewapp import APP_NAME
from reviewapp.core.model import Claim, ReviewData, Source
from reviewapp.export.mdtext import safe_url

UNTITLED = "Untitled article"


def generator(app_version: str) -> str:
    return f"{APP_NAME} {app_version}"


def article_title(data: ReviewData) -> str:
    return data.revision.meta.title.strip() or UNTITLED


def article_url(data: ReviewData) -> str:
    """The address the article is published at (canonical first); "" when it has none."""
    meta = data.revision.meta
    return meta.canonical_url.strip() or meta.url.strip()


def article_iri(data: ReviewData) -> str:
    """An IRI naming the article: its http(s) URL, else a URN made from its content hash."""
    return safe_url(article_url(data)) or f"urn:sha256:{data.revision.content_hash}"


def source_numbers(data: ReviewData) -> dict[int, int]:
    """Source id -> the number (1..) it has in every export: the order the sources were added."""
    return {source.id: n for n, source in enumerate(data.sources, start=1)}


def claim_sources(data: ReviewData, claim: Claim) -> list[tuple[int, Source]]:
    """A claim's sources with their export numbers, in number order."""
    numbers = source_numbers(data)
    by_id = data.source_by_id()
    linked = [(numbers[i], by_id[i]) for i in claim.source_ids if i in by_id]
    return sorted(linked, key=lambda pair: pair[0])


def reviewer_name(data: ReviewData) -> str:
    """Who answers for the review: the current sign-off's reviewer, else the review's."""
    signoff = data.current_signoff
    return (signoff.reviewer if signoff else data.review.reviewer).strip()


def signoff_date(data: ReviewData) -> str:
    """When the review was signed off (current sign-off), else when it last changed."""
    signoff = data.current_signoff
    return signoff.signed_at if signoff else data.review.updated_at


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
)


def xsd_datetime(value: str) -> str | None:
    """A date or date-time the user typed as xsd:dateTime (UTC when no zone), or None."""
    value = value.strip()
    match = _DATETIME.fullmatch(value)
    if match:
        day, clock, zone = match.groups()
        if len(clock) == 5:
            clock += ":00"
        return f"{day}T{clock}{zone or 'Z'}"
    if _DATE.fullmatch(value):
        return f"{value}T00:00:00Z"
    return None


_WAYBACK = re.compile(r"/web/(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?")


def archive_datetime(source: Source) -> str | None:
    """When the archived copy was made: the stored date, else the Wayback URL's timestamp."""
    stored = xsd_datetime(source.archive_date)
    if stored:
        return stored
    match = _WAYBACK.search(source.archive_url)
    if not match:
        return None
    y, mo, d, h, mi, s = (g or "00" for g in match.groups())
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"
