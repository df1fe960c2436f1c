"""Sources: the evidence of a review, and its links to claims."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from reviewapp.core import scales
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.states import Stance
from reviewapp.core.summary import utc_now
from reviewapp.core.urls import without_credentials
from reviewapp.store.base import StoreBase
from reviewapp.store.claims import claim_order

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import Source

log = logging.getLogger(__name__)


class SourceStore(StoreBase):
    # ------------------------------------------------------------------ sources
    def sources(self, review_id: int) -> list[Source]:
        """The review's sources in the order they were added, with their claims' ids."""
        from reviewapp.store.rows import source_from_row

        links: dict[int, dict[int, str]] = {}
        # A source lists its claims in text order, as the claims are numbered.
        for row in self._db.query(
            "SELECT cs.source_id, cs.claim_id, cs.stance FROM claim_sources cs JOIN claims c "
            f"ON c.id = cs.claim_id WHERE c.review_id = ? ORDER BY {claim_order('c')}",
            [review_id],
        ):
            links.setdefault(row["source_id"], {})[row["claim_id"]] = row["stance"]
        rows = self._db.query("SELECT * FROM sources WHERE review_id = ? ORDER BY id", [review_id])
        return [
            source_from_row(row, list(stances), stances)
            for row in rows
            for stances in [links.get(row["id"], {})]
        ]

    def source(self, source_id: int) -> Source:
        """A source by its id; NotFound otherwise."""
        from reviewapp.store.rows import source_from_row

        row = self._one("SELECT * FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise NotFound(f"no source with id {source_id}")
        stances = {
            r["claim_id"]: r["stance"]
            for r in self._db.query(
                "SELECT cs.claim_id, cs.stance FROM claim_sources cs JOIN claims c "
                f"ON c.id = cs.claim_id WHERE cs.source_id = ? ORDER BY {claim_order('c')}",
                [source_id],
            )
        }
        return source_from_row(row, list(stances), stances)

    def add_source(
        self,
        review_id: int,
        claim_ids: Sequence[int] = (),
        stances: Mapping[int, str] | None = None,
        **fields: str,
    ) -> Source:
        """Add a source (SOURCE_FIELDS; a URL or a title at least), linked to these claims;
        stances: claim id -> what the source says about it (default: supports)."""
        from reviewapp.core.model import Source
        from reviewapp.store.rows import source_row

        stances = stances or {}
        for stance in stances.values():
            scales.check_choice(stance, scales.STANCES, "stance")
        values = _checked_source_fields(fields)
        if not (values.get("url") or values.get("title")):
            raise BadInput("a source needs at least a URL or a title")
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            fresh = Source(0, review_id, url="", created_at=now, updated_at=now)
            source_id = self._insert("sources", {**source_row(fresh), **values})
            for claim_id in claim_ids:
                self._link(review_id, claim_id, source_id, stances.get(claim_id, Stance.SUPPORTS))
            self._touch(review)
            self.log_event(review_id, "source-add", source_id=source_id, url=values.get("url", ""))
        return self.source(source_id)

    def update_source(self, source_id: int, **fields: str) -> Source:
        """Change some of a source's SOURCE_FIELDS."""
        values = _checked_source_fields(fields)
        with self.transaction():
            source = self.source(source_id)
            review = self._editable(source.review_id)
            if values:
                self._update("sources", source_id, {**values, "updated_at": utc_now()})
                self._touch(review)
                self.log_event(review.id, "source-set", source_id=source_id, **values)
        return self.source(source_id)

    def delete_source(self, source_id: int) -> Source:
        """Delete a source and its links; returns it so that restore_source can undo."""
        with self.transaction():
            source = self.source(source_id)
            review = self._editable(source.review_id)
            self._db.table("sources").delete(source_id)
            self._touch(review)
            self.log_event(review.id, "source-rm", source_id=source_id)
        return source

    def restore_source(self, source: Source) -> Source:
        """Put a deleted source back with the same id and links."""
        from reviewapp.store.rows import source_row

        with self.transaction():
            review = self._editable(source.review_id)
            self._insert(
                "sources", {"id": source.id, **source_row(source), "updated_at": utc_now()}
            )
            for claim_id in source.claim_ids:
                self._conn.execute(
                    "INSERT OR IGNORE INTO claim_sources (claim_id, source_id, stance) "
                    "SELECT id, ?, ? FROM claims WHERE id = ?",
                    [source.id, source.stance_of(claim_id), claim_id],
                )
            self._touch(review)
            self.log_event(review.id, "source-restore", source_id=source.id)
        return self.source(source.id)

    def _link(self, review_id: int, claim_id: int, source_id: int, stance: str) -> None:
        row = self._one(
            "SELECT (SELECT review_id FROM claims WHERE id = ?) AS c, "
            "(SELECT review_id FROM sources WHERE id = ?) AS s",
            [claim_id, source_id],
        )
        if not row or row["c"] != review_id or row["s"] != review_id:
            raise BadInput("the claim and the source must belong to the same review")
        # Linking again with another stance changes the stance of the link.
        self._conn.execute(
            "INSERT INTO claim_sources (claim_id, source_id, stance) VALUES (?, ?, ?) "
            "ON CONFLICT (claim_id, source_id) DO UPDATE SET stance = excluded.stance",
            [claim_id, source_id, stance],
        )

    def link(self, claim_id: int, source_id: int, stance: str = Stance.SUPPORTS) -> None:
        """Link a claim to a source of the same review with this stance (what the source says
        about the claim); an existing link takes the new stance."""
        scales.check_choice(stance, scales.STANCES, "stance")
        with self.transaction():
            review = self._editable(self._claim_review_id(claim_id))
            self._link(review.id, claim_id, source_id, stance)
            self._touch(review)
            self.log_event(review.id, "link", claim_id=claim_id, source_id=source_id, stance=stance)

    def unlink(self, claim_id: int, source_id: int) -> None:
        """Remove the link between a claim and a source."""
        with self.transaction():
            review = self._editable(self._claim_review_id(claim_id))
            self._conn.execute(
                "DELETE FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                [claim_id, source_id],
            )
            self._touch(review)
            self.log_event(review.id, "unlink", claim_id=claim_id, source_id=source_id)


def _checked_source_fields(fields: dict[str, str]) -> dict[str, str]:
    from reviewapp.store.rows import SOURCE_FIELDS

    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise BadInput(f"unknown source field(s): {', '.join(sorted(unknown))}")
    values = {k: (v or "").strip() for k, v in fields.items()}
    if "kind" in values:
        scales.check_choice(values["kind"], scales.SOURCE_KINDS, "source kind")
    if "credibility" in values:
        scales.check_choice(values["credibility"], scales.CREDIBILITY, "credibility")
    for key in ("url", "archive_url"):
        url = values.get(key, "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise BadInput(
                f"the {scales.SOURCE_FIELD_NAMES[key]} must start with http:// or https://"
            )
        if url:  # a password in an address must never reach an export or a signature
            values[key] = without_credentials(url)
    return values
