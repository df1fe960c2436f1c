"""Copies of reviews made in another library (from a JSON bundle): finding one, writing one.

Rows keep their ids when this library has none of them yet (per table: the review, its
revisions, sign-offs), so that "review 7" and the ``review_id`` in its Markdown stay the same on
both machines; otherwise they get new ids. Claims, sources and takeaways get new row ids (no
one outside a library sees those) and keep their stable ids (what the CLI, the bundle's links
and the W3C export name them by) one by one: only an id this library already uses is replaced
by a fresh one, and the result says which.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewapp.core.stableids import kind_of
from reviewapp.core.states import AnchorState, ReviewStatus
from reviewapp.core.summary import utc_now
from reviewapp.store.base import StoreBase
from reviewapp.store.second_review import write_copied_record
from reviewapp.store.suggestions import UPSERT_DISMISSAL, dismissal_row

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import ReviewData, Revision
    from reviewapp.store.rows import (
        Row,
    )


@dataclass(frozen=True)
class ReviewCopy:
    """A review as another library holds it, with the ids it has there.

    revisions: every revision of its article that travels with it; raw: revision id -> the
    bytes it was extracted from (None: not known); public_keys: key fingerprint -> the public
    key line of each sign-off's signer.
    """

    data: ReviewData
    revisions: Sequence[Revision]
    raw: Mapping[int, bytes | None]
    public_keys: Mapping[str, str]


@dataclass(frozen=True)
class CopyWritten:
    """What add_copy wrote: the review's id here, and the stable ids it had to change because
    this library already used them (old -> new)."""

    review_id: int
    renamed: dict[str, str]


class CopyStore(StoreBase):
    def signed_off_identities(self) -> list[tuple[int, str, str]]:
        """(review id, created_at, content hash of its article's first revision) of every
        signed-off review not in the bin: what names a review across libraries, in one query
        (the shared archive compares thousands of them on each push)."""
        rows = self._db.query(
            "SELECT rv.id, rv.created_at, (SELECT r.content_hash FROM revisions r WHERE "
            "r.article_id = rv.article_id ORDER BY r.number LIMIT 1) AS first_hash "
            "FROM reviews rv WHERE rv.deleted_at = '' AND rv.status = 'signed-off' ORDER BY rv.id"
        )
        return [(int(r["id"]), str(r["created_at"]), str(r["first_hash"] or "")) for r in rows]

    def current_signatures(self) -> dict[int, tuple[str, str]]:
        """review id -> (signature, signed_at) of the live sign-off of every signed-off review
        not in the bin, in one query (the archive compares them to spot re-signed reviews)."""
        rows = self._db.query(
            "SELECT s.review_id, s.signature, s.signed_at FROM signoffs s JOIN reviews rv ON "
            "rv.id = s.review_id WHERE s.superseded_at = '' AND rv.deleted_at = '' AND "
            "rv.status = 'signed-off' ORDER BY s.id"
        )
        return {int(r["review_id"]): (str(r["signature"]), str(r["signed_at"])) for r in rows}

    def find_copy(self, created_at: str, content_hashes: Sequence[str]) -> tuple[int, bool] | None:
        """The review here created at created_at on an article that shares one of these
        texts (the same review, made elsewhere), and whether it is in the bin."""
        hashes = sorted(set(content_hashes))
        marks = ", ".join("?" for _ in hashes)
        row = self._one(
            "SELECT rv.id, rv.deleted_at != '' AS in_bin FROM reviews rv WHERE rv.created_at = ? "
            "AND EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = rv.article_id AND "
            f"r.content_hash IN ({marks})) ORDER BY rv.deleted_at != '', rv.id LIMIT 1",
            [created_at, *hashes],
        )
        return None if row is None else (int(row["id"]), bool(row["in_bin"]))

    def add_copy(self, copy: ReviewCopy) -> CopyWritten:
        """Write the copied review with everything it holds, in one transaction."""
        from reviewapp.store.rows import (
            accountability_row,
            article_row,
            claim_row,
            link_row,
            review_row,
            revision_row,
            signoff_row,
            source_row,
            takeaway_row,
        )

        data = copy.data
        revisions = sorted(copy.revisions, key=lambda rev: rev.number)
        with self.transaction():
            stable = self._stable_ids_here(copy)
            first = revisions[0]
            article_id = self._insert("articles", article_row(first.meta, first.imported_at))
            keep = self._free_ids(copy)
            revision_ids: dict[int, int] = {}
            for rev in revisions:
                moved_rev = dataclasses.replace(rev, article_id=article_id)
                # A bundle rendered without the store has no raw bytes; the column needs some.
                rev_row = revision_row(moved_rev, copy.raw.get(rev.id) or b"")
                revision_ids[rev.id] = self._insert(
                    "revisions", _kept(rev.id, keep["revisions"], rev_row)
                )
            review = dataclasses.replace(
                data.review,
                article_id=article_id,
                revision_id=revision_ids[data.review.revision_id],
            )
            row = {
                **review_row(review),
                **accountability_row(data.ai, data.responsibility, data.scope),
                "accountability_recorded": int(data.accountability_recorded),
                "coverage_signed": _coverage_signed(data),
            }
            review_id = self._insert("reviews", _kept(review.id, keep["reviews"], row))
            claim_ids = {}
            for claim in data.claims:
                moved = dataclasses.replace(
                    claim,
                    review_id=review_id,
                    revision_id=revision_ids[claim.revision_id],
                    stable_id=stable.get(claim.stable_id, ""),
                )
                # A copy has no anchor score; a firmly anchored claim scores 1.0 as when added.
                score = 1.0 if claim.anchor_state == AnchorState.ANCHORED else None
                claim_ids[claim.id] = self._insert("claims", claim_row(moved, anchor_score=score))
            if data.suggestions is not None:
                self._conn.executemany(
                    UPSERT_DISMISSAL,
                    [
                        dismissal_row(review_id, review.revision_id, d)
                        for d in data.suggestions.dismissals
                    ],
                )
            if data.second_review is not None:
                write_copied_record(self._conn, review_id, data.second_review, stable)
            source_ids: dict[int, int] = {}
            for source in data.sources:
                moved_source = dataclasses.replace(
                    source, review_id=review_id, stable_id=stable.get(source.stable_id, "")
                )
                source_ids[source.id] = self._insert("sources", source_row(moved_source))
            self._db.table("claim_sources").insert_all(
                link_row(claim_ids[claim.id], source_ids[source_id], claim.stance_of(source_id))
                for claim in data.claims
                for source_id in claim.source_ids
            )
            now = utc_now()  # bundles made before takeaways had timestamps: imported now
            for takeaway in data.takeaways:
                moved_takeaway = dataclasses.replace(
                    takeaway,
                    review_id=review_id,
                    stable_id=stable.get(takeaway.stable_id, ""),
                    created_at=takeaway.created_at or now,
                    updated_at=takeaway.updated_at or takeaway.created_at or now,
                )
                self._insert("takeaways", takeaway_row(moved_takeaway))
            for signoff in data.signoffs:
                moved_signoff = dataclasses.replace(
                    signoff, review_id=review_id, revision_id=revision_ids[signoff.revision_id]
                )
                row = signoff_row(moved_signoff, copy.public_keys[signoff.fingerprint])
                new_id = self._insert("signoffs", _kept(signoff.id, keep["signoffs"], row))
                if signoff.cosignature is not None:  # verified with the bundle
                    self._conn.execute(
                        "INSERT INTO signoff_cosignatures (signoff_id, signature, fingerprint, "
                        "signer, email, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            new_id,
                            signoff.cosignature.signature,
                            signoff.cosignature.fingerprint,
                            signoff.cosignature.signer,
                            signoff.cosignature.email,
                            signoff.cosignature.imported_at or now,
                        ],
                    )
        renamed = {old: new for old, new in stable.items() if old != new}
        return CopyWritten(review_id, renamed)

    def _stable_ids_here(self, copy: ReviewCopy) -> dict[str, str]:
        """The copy's stable ids -> the ids they get here: the same, unless this library
        already uses one (then a fresh one). Items without one (older bundles) are left out:
        the insert gives them a fresh id."""
        data = copy.data
        given = [c.stable_id for c in data.claims if c.stable_id]
        given += [s.stable_id for s in data.sources if s.stable_id]
        given += [t.stable_id for t in data.takeaways if t.stable_id]
        taken = self.taken_stable_ids(given)
        in_use = set(given)
        mapping = {}
        for stable_id in given:
            if stable_id in taken:
                fresh = self._fresh_stable_id(kind_of(stable_id), avoid=in_use)
                in_use.add(fresh)
                mapping[stable_id] = fresh
            else:
                mapping[stable_id] = stable_id
        return mapping

    def _free_ids(self, copy: ReviewCopy) -> dict[str, bool]:
        """Per table: True when none of the copy's ids for it are taken here, so all are kept."""
        data = copy.data
        wanted = {
            "reviews": [data.review.id],
            "revisions": [rev.id for rev in copy.revisions],
            "signoffs": [s.id for s in data.signoffs],
        }
        free = {}
        for table, ids in wanted.items():
            # Missing (0) or repeated ids are never kept: all of that table's rows get new ones.
            usable = 0 not in ids and len(set(ids)) == len(ids)
            (taken,) = self._conn.execute(
                f"SELECT count(*) FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            ).fetchone()
            free[table] = usable and taken == 0
        return free


def _kept(row_id: int, keep: bool, row: Row) -> dict[str, Any]:
    return {"id": row_id, **row} if keep else row


def _coverage_signed(data: ReviewData) -> int | None:
    """reviews.coverage_signed of a copied review: whether its live sign-off enforced coverage
    (None when it is not signed off, or was signed before the record carried coverage)."""
    if data.review.status != ReviewStatus.SIGNED_OFF or data.suggestions is None:
        return None
    return int(data.suggestions.enforced)
