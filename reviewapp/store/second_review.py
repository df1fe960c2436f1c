"""A review's second review (core/second_review.py): the request, the signed assessment, the
settlements, and whether the gate requires one (per review; by default the library's setting)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reviewapp.core.errors import NotFound
from reviewapp.core.states import ClaimStatus
from reviewapp.core.summary import utc_now
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # imported where first used: the window's first frame reads none of them
    from reviewapp.core.second_review import Role, SecondClaim, SecondReviewRecord

# library_settings key: whether reviews require a second review unless they say otherwise
REQUIRED_KEY = "second_review.required"


def _claims_json(claims: tuple[SecondClaim, ...]) -> str:
    return json.dumps(
        [
            {
                "claim_id": c.claim_id,
                "quote": c.quote,
                "status": str(c.status),
                "note": c.note,
                "sources": list(c.sources),
            }
            for c in claims
        ],
        ensure_ascii=False,
    )


def _claims_from(text: str) -> tuple[SecondClaim, ...]:
    from reviewapp.core.second_review import SecondClaim

    return tuple(
        SecondClaim(
            str(c["claim_id"]),
            str(c["quote"]),
            ClaimStatus.parse(c["status"]),
            str(c["note"]),
            tuple(str(s) for s in c["sources"]),
        )
        for c in json.loads(text)
    )


def write_copied_record(
    conn: sqlite3.Connection,
    review_id: int,
    record: SecondReviewRecord,
    renamed: Mapping[str, str],
) -> None:
    """Write a copied review's second review (from a bundle), its claims' stable ids as this
    library renamed them (renamed: old -> new; a missing id kept)."""
    conn.execute(
        "INSERT OR REPLACE INTO second_review_flags (review_id, required) VALUES (?, ?)",
        [review_id, int(record.required)],
    )
    if not record.requested:
        return

    def here(claim_id: str) -> str:
        return renamed.get(claim_id) or claim_id

    claims = tuple(dataclasses.replace(c, claim_id=here(c.claim_id)) for c in record.claims)
    conn.execute(
        "INSERT INTO second_reviews (review_id, role, review_uid, content_hash, claim_ids, "
        "requested_at, requested_by, assessor, assessor_email, assessor_fingerprint, "
        "assessment_sha256, assessed_at, assessment_claims) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            review_id,
            str(record.role),
            record.review_uid,
            record.content_hash,
            json.dumps([here(c) for c in record.claim_ids]),
            record.requested_at,
            record.requested_by,
            record.assessor,
            record.assessor_email,
            record.assessor_fingerprint,
            record.assessment_sha256,
            record.assessed_at,
            _claims_json(claims),
        ],
    )
    conn.executemany(
        "INSERT INTO second_review_settlements (review_id, claim_stable_id, status, note, "
        "settled_by, settled_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (review_id, here(s.claim_id), str(s.status), s.note, s.settled_by, s.settled_at)
            for s in record.settlements
        ],
    )


class SecondReviewStore(StoreBase):
    # ------------------------------------------------------------------ settings
    def second_review_default(self) -> bool:
        """Whether reviews of this library require a second review unless set otherwise."""
        row = self._one("SELECT value FROM library_settings WHERE key = ?", [REQUIRED_KEY])
        return row is not None and row["value"] == "yes"

    def set_second_review_default(self, required: bool) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO library_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [REQUIRED_KEY, "yes" if required else "no"],
            )
            self.log_event(None, "second-review-setting", "", required=required)

    def second_review_required(self, review_id: int) -> bool:
        """The review's own flag, or the library's setting when it has none."""
        row = self._one("SELECT required FROM second_review_flags WHERE review_id = ?", [review_id])
        return self.second_review_default() if row is None else bool(row["required"])

    def set_second_review_required(self, review_id: int, required: bool) -> None:
        with self.transaction():
            review = self._editable(review_id)
            self._conn.execute(
                "INSERT OR REPLACE INTO second_review_flags (review_id, required) VALUES (?, ?)",
                [review_id, int(required)],
            )
            self._touch(review)
            self.log_event(review_id, "second-review-required", "", required=required)

    # ------------------------------------------------------------------ reading
    def second_review(self, review_id: int) -> SecondReviewRecord | None:
        """The review's second review: None when none was asked for (or imported) and the
        review does not require one."""
        from reviewapp.core.second_review import Role, SecondReviewRecord, Settlement

        required = self.second_review_required(review_id)
        row = self._one("SELECT * FROM second_reviews WHERE review_id = ?", [review_id])
        if row is None:
            return SecondReviewRecord(required=True) if required else None
        settlements = tuple(
            Settlement(
                str(s["claim_stable_id"]),
                ClaimStatus.parse(s["status"]),
                str(s["note"]),
                str(s["settled_by"]),
                str(s["settled_at"]),
            )
            for s in self._db.query(
                "SELECT * FROM second_review_settlements WHERE review_id = ? "
                "ORDER BY claim_stable_id",
                [review_id],
            )
        )
        return SecondReviewRecord(
            role=Role(row["role"]),
            required=required,
            review_uid=str(row["review_uid"]),
            content_hash=str(row["content_hash"]),
            claim_ids=tuple(json.loads(row["claim_ids"])),
            requested_at=str(row["requested_at"]),
            requested_by=str(row["requested_by"]),
            assessor=str(row["assessor"]),
            assessor_email=str(row["assessor_email"]),
            assessor_fingerprint=str(row["assessor_fingerprint"]),
            assessment_sha256=str(row["assessment_sha256"]),
            assessed_at=str(row["assessed_at"]),
            claims=_claims_from(row["assessment_claims"]),
            settlements=settlements,
        )

    def second_review_row(self, review_id: int) -> dict[str, Any] | None:
        """The raw row (the claim map, the requester's key, the signed assessment)."""
        return self._one("SELECT * FROM second_reviews WHERE review_id = ?", [review_id])

    def second_copy_of(self, review_uid: str, role: Role | None = None) -> int | None:
        """The review of this library on that side of the second review of review_uid: the
        colleague's copy made from the request (SECOND, the default), or the review that
        asked (FIRST)."""
        from reviewapp.core.second_review import Role

        role = Role.SECOND if role is None else role
        row = self._one(
            "SELECT s.review_id FROM second_reviews s JOIN reviews r ON r.id = s.review_id "
            "WHERE s.role = ? AND s.review_uid = ? AND r.deleted_at = ''",
            [str(role), review_uid],
        )
        return int(row["review_id"]) if row else None

    def reviews_assessed_by(self, fingerprint: str) -> list[int]:
        """The reviews here that asked for a second review and hold that key's assessment."""
        rows = self._db.query(
            "SELECT s.review_id FROM second_reviews s JOIN reviews r ON r.id = s.review_id "
            "WHERE s.role = 'first' AND s.assessor_fingerprint = ? AND r.deleted_at = '' "
            "ORDER BY s.review_id",
            [fingerprint],
        )
        return [int(r["review_id"]) for r in rows]

    def second_reviews_pending(self) -> tuple[list[int], list[int]]:
        """(reviews here that asked and wait for the assessment, second reviews here not
        signed yet), for status lines."""
        rows = self._db.query(
            "SELECT s.review_id, s.role, s.assessment_sha256 FROM second_reviews s JOIN reviews r "
            "ON r.id = s.review_id WHERE r.deleted_at = '' ORDER BY s.review_id"
        )
        waiting: list[int] = []
        to_assess: list[int] = []
        for r in rows:
            if not r["assessment_sha256"]:
                (waiting if r["role"] == "first" else to_assess).append(int(r["review_id"]))
        return waiting, to_assess

    def signed_off_without_cosignature(self) -> list[int]:
        """Reviews here that asked for a second review, are signed off with its assessment in
        their record, and hold no co-signature of that sign-off yet."""
        rows = self._db.query(
            "SELECT r.id FROM reviews r JOIN second_reviews s ON s.review_id = r.id "
            "JOIN signoffs o ON o.review_id = r.id AND o.superseded_at = '' "
            "LEFT JOIN signoff_cosignatures c ON c.signoff_id = o.id "
            "WHERE s.role = 'first' AND s.assessment_sha256 != '' AND r.status = 'signed-off' "
            "AND r.deleted_at = '' AND c.signoff_id IS NULL GROUP BY r.id ORDER BY r.id"
        )
        return [int(r["id"]) for r in rows]

    def cosigned_reviews(self) -> set[int]:
        """Signed-off reviews here whose current sign-off holds a co-signature."""
        rows = self._db.query(
            "SELECT o.review_id FROM signoffs o JOIN signoff_cosignatures c "
            "ON c.signoff_id = o.id WHERE o.superseded_at = ''"
        )
        return {int(r["review_id"]) for r in rows}

    # ------------------------------------------------------------------ writing
    def record_second_request(
        self,
        review_id: int,
        role: Role,
        review_uid: str,
        content_hash: str,
        claim_ids: list[str],
        requested_by: str,
        requester_key: str = "",
        claim_map: dict[str, str] | None = None,
        requested_at: str | None = None,
    ) -> None:
        """Record a request sent (FIRST) or imported (SECOND); a new request on the first side
        replaces the old one and its assessment and settlements."""
        with self.transaction():
            review = self._editable(review_id)
            self._conn.execute("DELETE FROM second_reviews WHERE review_id = ?", [review_id])
            self._conn.execute(
                "DELETE FROM second_review_settlements WHERE review_id = ?", [review_id]
            )
            self._conn.execute(
                "INSERT INTO second_reviews (review_id, role, review_uid, content_hash, "
                "claim_ids, claim_map, requested_at, requested_by, requester_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    review_id,
                    str(role),
                    review_uid,
                    content_hash,
                    json.dumps(claim_ids),
                    json.dumps(claim_map or {}, sort_keys=True),
                    requested_at or utc_now(),
                    requested_by,
                    requester_key,
                ],
            )
            self._touch(review)
            self.log_event(review_id, f"second-review-{role}", "", review_uid=review_uid)

    def record_second_assessment(
        self,
        review_id: int,
        assessor: str,
        assessor_email: str,
        fingerprint: str,
        markdown: bytes,
        signature: str,
        sha256: str,
        assessed_at: str,
        claims: tuple[SecondClaim, ...],
    ) -> None:
        """Keep the second editor's signed assessment (replacing an earlier one and the
        settlements made against it)."""
        with self.transaction():
            review = self._editable(review_id)
            self._conn.execute(
                "UPDATE second_reviews SET assessor = ?, assessor_email = ?, "
                "assessor_fingerprint = ?, assessment = ?, assessment_signature = ?, "
                "assessment_sha256 = ?, assessed_at = ?, assessment_claims = ? "
                "WHERE review_id = ?",
                [
                    assessor,
                    assessor_email,
                    fingerprint,
                    markdown,
                    signature,
                    sha256,
                    assessed_at,
                    _claims_json(claims),
                    review_id,
                ],
            )
            self._conn.execute(
                "DELETE FROM second_review_settlements WHERE review_id = ?", [review_id]
            )
            self._touch(review)
            self.log_event(
                review_id, "second-review-assessment", assessor, assessment_sha256=sha256
            )

    def settle_second_review(self, review_id: int, claim_id: int, note: str, actor: str) -> None:
        """Record the first editor's settlement of a claim at its current status (set by the
        caller in the same transaction)."""
        with self.transaction():
            review = self._editable(review_id)
            row = self._one(
                "SELECT stable_id, status FROM claims WHERE id = ? AND review_id = ?",
                [claim_id, review_id],
            )
            assert row is not None  # the caller found the claim in this review
            self._conn.execute(
                "INSERT INTO second_review_settlements (review_id, claim_stable_id, status, "
                "note, settled_by, settled_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (review_id, claim_stable_id) DO UPDATE SET status = "
                "excluded.status, note = excluded.note, settled_by = excluded.settled_by, "
                "settled_at = excluded.settled_at",
                [review_id, row["stable_id"], row["status"], note, actor, utc_now()],
            )
            self._touch(review)
            self.log_event(
                review_id,
                "second-review-settle",
                actor,
                claim=row["stable_id"],
                status=row["status"],
                note=note,
            )

    def withdraw_second_assessment(self, review_id: int, actor: str = "", reason: str = "") -> str:
        """Reopen a second reviewer's signed copy: its signed assessment is set aside so the
        colleague can change it and sign again (a file already sent stays what it was signed
        as). The withdrawn assessment's SHA-256; NotFound when the copy has none signed."""
        from reviewapp.core.second_review import Role

        with self.transaction():
            review = self.review(review_id)
            row = self._one(
                "SELECT assessment_sha256 FROM second_reviews WHERE review_id = ? AND role = ? "
                "AND assessment_sha256 != ''",
                [review_id, str(Role.SECOND)],
            )
            if row is None:
                raise NotFound(f"review {review_id} has no signed second assessment to reopen")
            self._conn.execute(
                "UPDATE second_reviews SET assessor = '', assessor_email = '', "
                "assessor_fingerprint = '', assessment = NULL, assessment_signature = '', "
                "assessment_sha256 = '', assessed_at = '', assessment_claims = '[]' "
                "WHERE review_id = ?",
                [review_id],
            )
            self._touch(review)
            self.log_event(
                review_id,
                "second-assessment-reopen",
                actor,
                reason=reason,
                assessment_sha256=row["assessment_sha256"],
            )
            return str(row["assessment_sha256"])
