"""Claims: reading, adding, editing, deleting and re-placing the claims of a review."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewapp.core import scales
from reviewapp.core.anchoring import Selectors, locate_quote, locate_quotes, select
from reviewapp.core.errors import AnchorError, BadInput, BadItem, NotFound
from reviewapp.core.stableids import IdKind
from reviewapp.core.states import AnchorState, ClaimStatus, Stance
from reviewapp.core.summary import utc_now
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import Claim, Review

log = logging.getLogger(__name__)

CLAIM_EDIT_FIELDS = ("status", "note", "correction", "source_override", "stance_override")


def claim_order(table: str = "") -> str:
    """ORDER BY terms that put claims in text order, claims with no place last."""
    p = f"{table}." if table else ""
    return f'{p}start IS NULL, {p}start, {p}"end", {p}id'


CLAIM_ORDER = claim_order()
# Where a claim sits and what re-anchoring may change: what undo puts back.
PLACE_COLUMNS = (
    "id",
    "revision_id",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_state",
    "anchor_score",
    "previous_quote",
    "note",
)


@dataclass(frozen=True)
class NewClaim:
    """One claim of a batch (add_claims): a quote of the current text, as `claim add` takes it."""

    quote: str
    occurrence: int | None = None
    status: str = ClaimStatus.UNCHECKED
    note: str = ""
    correction: str = ""


# Rows are fetched this many at a time. fetchall() of 10,000 rows was as fast but let the GUI
# thread wait ~10 ms for the GIL while the reader thread read (1 ms heartbeat, median of 7);
# batches of 100 keep that at ~6 ms, as the row-by-row read was, for the same total time.
_FETCH_BATCH = 100


def _in_batches(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(_FETCH_BATCH):
        yield from rows


class ClaimStore(StoreBase):
    # ------------------------------------------------------------------ claims
    def claims(self, review_id: int) -> list[Claim]:
        """The review's claims in text order, numbered 1, 2, 3..., with their source ids."""
        from reviewapp.store.rows import CLAIM_COLUMNS, claims_from_rows

        # Plain tuples from the connection, not query()'s dict per row: this read is the whole
        # review (claims_from_rows says why every microsecond per claim counts).
        stances = Stance.spellings()
        links: dict[int, dict[int, Stance]] = {}
        for claim_id, source_id, stance in self._conn.execute(
            "SELECT cs.claim_id, cs.source_id, cs.stance FROM claim_sources cs JOIN claims c "
            "ON c.id = cs.claim_id WHERE c.review_id = ? ORDER BY cs.source_id",
            [review_id],
        ).fetchall():
            links.setdefault(claim_id, {})[source_id] = stances.get(stance) or Stance.parse(stance)
        cursor = self._conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE review_id = ? ORDER BY {CLAIM_ORDER}",
            [review_id],
        )
        return claims_from_rows(_in_batches(cursor), links)

    def claim(self, review_id: int, number: int) -> Claim:
        """Claim number N of a review (as the CLI names claims); NotFound otherwise."""
        for claim in self.claims(review_id):
            if claim.number == number:
                return claim
        raise NotFound(f"review {review_id} has no claim {number}")

    def claim_by_id(self, claim_id: int) -> Claim:
        """A claim by its database id, with its number in its review."""
        row = self._one("SELECT * FROM claims WHERE id = ?", [claim_id])
        if row is None:
            raise NotFound(f"no claim with id {claim_id}")
        return self._claim_as_written(row)

    def _claim_as_written(self, row: dict[str, Any]) -> Claim:
        """The Claim of a row just read or written: its number and its links looked up."""
        from reviewapp.store.rows import claim_from_row

        stances = self._claim_stances(int(row["id"]))
        return claim_from_row(row, self._claim_number(row), list(stances), stances)

    def _claim_number(self, row: dict[str, Any]) -> int:
        """The number of a claim (its rank in text order) by counting the claims before it with
        the index, rather than ranking the whole review (a window over 2,000 claims costs
        ~6 ms; this count ~0.3 ms)."""
        before = self._conn.execute(
            "SELECT count(*) FROM claims WHERE review_id = ? AND "
            '(start IS NULL, coalesce(start, 0), coalesce("end", 0), id) < (?, ?, ?, ?)',
            [
                row["review_id"],
                row["start"] is None,
                row["start"] or 0,
                row["end"] or 0,
                row["id"],
            ],
        ).fetchone()[0]
        return int(before) + 1

    def _claim_stances(self, claim_id: int) -> dict[int, str]:
        """source id -> stance of each link of a claim, by source id."""
        return {
            int(r[0]): str(r[1])
            for r in self._conn.execute(
                "SELECT source_id, stance FROM claim_sources WHERE claim_id = ? ORDER BY source_id",
                [claim_id],
            )
        }

    def add_claim(
        self,
        review_id: int,
        selectors: Selectors,
        *,
        status: str = ClaimStatus.UNCHECKED,
        note: str = "",
        correction: str = "",
        author: str = "",
    ) -> Claim:
        """Pin a new claim to the selectors' passage of the review's current revision; author:
        the editor making it."""
        from reviewapp.store.rows import claim_row

        scales.check_choice(status, scales.CLAIM_STATUS_KEYS, "claim status")
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            stable_id = self._fresh_stable_id(IdKind.CLAIM)
            claim = _new_claim(review, selectors, status, note, correction, now, stable_id)
            claim.author = author.strip()
            claim.id = self._insert("claims", claim_row(claim, anchor_score=1.0))
            self._touch(review)
            self.log_event(
                review_id,
                "claim-add",
                claim_id=claim.id,
                quote=selectors.exact,
                start=selectors.start,
                end=selectors.end,
            )
            # The claim is this method's own new object, as written: only its number is
            # asked of SQLite (a new claim has no links yet).
            claim.number = self._claim_number({**claim_row(claim), "id": claim.id})
        return claim

    def add_claim_at(self, review_id: int, start: int, end: int, **fields: str) -> Claim:
        """Add a claim on the span [start, end) of the review's current text (code points)."""
        return self.add_claim(
            review_id, select(self._current_text(review_id), start, end), **fields
        )

    def add_claim_by_quote(
        self, review_id: int, quote: str, occurrence: int | None = None, **fields: str
    ) -> Claim:
        """Add a claim on the quote (occurrence K when it is repeated) of the current text."""
        text = self._current_text(review_id)
        return self.add_claim(review_id, locate_quote(text, quote, occurrence), **fields)

    def add_claims(
        self, review_id: int, claims: Sequence[NewClaim], author: str = ""
    ) -> list[Claim]:
        """Add many claims by quote in one transaction (a script's batch): all or none, each
        made by author. BadItem names the position (1-based) of the first claim that cannot
        be added."""
        from reviewapp.store.rows import claim_row

        with self.transaction():
            review = self._editable(review_id)
            text = self._current_text(review_id)
            now = utc_now()
            # Every quote looked up in one go (a large batch in one pass over the text).
            found = locate_quotes(text, [(new.quote, new.occurrence) for new in claims])
            rows = []
            for position, (new, where) in enumerate(zip(claims, found, strict=True), start=1):
                try:
                    scales.check_choice(new.status, scales.CLAIM_STATUS_KEYS, "claim status")
                except BadInput as exc:
                    raise BadItem(position, str(exc)) from exc
                if isinstance(where, AnchorError):
                    raise BadItem(position, str(where)) from where
                rows.append((new, where))
            stable_ids = self._fresh_stable_ids(IdKind.CLAIM, len(rows))
            claims_new = [
                _new_claim(review, where, new.status, new.note, new.correction, now, stable_id)
                for (new, where), stable_id in zip(rows, stable_ids, strict=True)
            ]
            for claim in claims_new:
                claim.author = author.strip()
            if not claims_new:
                return []
            # One prepared statement for the batch (executemany), then the new ids by their
            # stable ids, then one event per claim as add_claim logs it.
            columns = list(claim_row(claims_new[0]))
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            self._conn.executemany(
                f"INSERT INTO claims ({names}) VALUES ({marks})",
                [list(claim_row(c, anchor_score=1.0).values()) for c in claims_new],
            )
            # fetchall: one call for the rows, not a (checked) cursor step per row
            id_of = {
                str(row[1]): int(row[0])
                for row in self._conn.execute(
                    "SELECT id, stable_id FROM claims WHERE review_id = ? AND stable_id IN "
                    "(SELECT value FROM json_each(?))",
                    [review_id, json.dumps(stable_ids)],
                ).fetchall()
            }
            self._touch(review)
            self.log_events(
                review_id,
                "claim-add",
                [
                    {
                        "claim_id": id_of[c.stable_id],
                        "quote": c.quote,
                        "start": c.start,
                        "end": c.end,
                    }
                    for c in claims_new
                ],
            )
        # Numbers are ranks in text order, counted by SQLite after the batch. The claims are
        # this method's own new objects: filled in place rather than copied.
        number = {
            int(row[0]): int(row[1])
            for row in self._conn.execute(
                f"SELECT id, row_number() OVER (ORDER BY {CLAIM_ORDER}) FROM claims "
                "WHERE review_id = ?",
                [review_id],
            ).fetchall()
        }
        for claim in claims_new:
            claim.id = id_of[claim.stable_id]
            claim.number = number[claim.id]
        return claims_new

    def update_claim(self, claim_id: int, **fields: str) -> Claim:
        """Change a claim's status, note, correction, source override or stance override;
        returns the claim as written.

        The GUI writes a note through on every keystroke, so this is one read (may the review
        change?), the update (which returns the row), the review's clock and the event; the
        claim's number is counted with the index rather than by ranking the whole review."""
        from reviewapp.store.rows import claim_from_row

        unknown = set(fields) - set(CLAIM_EDIT_FIELDS)
        if unknown:
            raise BadInput(f"cannot set {', '.join(sorted(unknown))} on a claim")
        if "status" in fields:
            scales.check_choice(fields["status"], scales.CLAIM_STATUS_KEYS, "claim status")
        with self.transaction():
            review_id, status = self._editable_part("claims", claim_id, "claim")
            values = {**fields, "updated_at": utc_now()} if fields else {"id": claim_id}
            sets = ", ".join(f'"{c}" = ?' for c in values)
            cursor = self._conn.execute(
                f"UPDATE claims SET {sets} WHERE id = ? RETURNING *", [*values.values(), claim_id]
            )
            row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
            cursor.fetchall()  # finish the statement inside the transaction
            if fields:
                self._touch_id(review_id, status)
                self.log_event(review_id, "claim-set", claim_id=claim_id, **fields)
            number = self._claim_number(row)
            stances = self._claim_stances(claim_id)
        return claim_from_row(row, number, list(stances), stances)

    def reanchor_claim(
        self,
        claim_id: int,
        selectors: Selectors,
        state: str,
        revision_id: int,
        score: float | None = None,
        previous_quote: str = "",
    ) -> None:
        """Store where a claim now sits (used by re-anchoring and re-attaching)."""
        from reviewapp.store.rows import ClaimPlace, place_row

        scales.check_choice(state, scales.ANCHOR_STATES, "anchor state")
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            self._editable(claim.review_id)
            place = ClaimPlace(
                selectors.exact,
                selectors.prefix,
                selectors.suffix,
                selectors.start,
                selectors.end,
                state,
                score,
                previous_quote,
            )
            values = {**place_row(place), "revision_id": revision_id, "updated_at": utc_now()}
            self._update("claims", claim_id, values)
            self.log_event(claim.review_id, "claim-anchor", claim_id=claim_id, state=state)

    def delete_claim(self, claim_id: int) -> Claim:
        """Delete a claim and its links; returns it so that restore_claim can undo."""
        from reviewapp.store.rows import claim_from_row

        with self.transaction():
            review_id, status = self._editable_part("claims", claim_id, "claim")
            # Its number and links are read before it goes (the links go with it), then the
            # row itself comes back from the DELETE: no second read of the claim.
            stances = self._claim_stances(claim_id)
            cursor = self._conn.execute("DELETE FROM claims WHERE id = ? RETURNING *", [claim_id])
            row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
            cursor.fetchall()  # finish the statement inside the transaction
            number = self._claim_number(row)
            self._touch_id(review_id, status)
            self.log_event(review_id, "claim-rm", claim_id=claim_id, quote=row["quote"])
        return claim_from_row(row, number, list(stances), stances)

    def restore_claim(self, claim: Claim) -> Claim:
        """Put a deleted claim back with the same id and links."""
        from reviewapp.store.rows import claim_row

        with self.transaction():
            review = self._editable(claim.review_id)
            row = {"id": claim.id, **claim_row(claim), "updated_at": utc_now()}
            self._insert("claims", row)
            for source_id in claim.source_ids:
                self._conn.execute(
                    "INSERT OR IGNORE INTO claim_sources (claim_id, source_id, stance) "
                    "SELECT ?, id, ? FROM sources WHERE id = ?",
                    [claim.id, claim.stance_of(source_id), source_id],
                )
            self._touch(review)
            self.log_event(review.id, "claim-restore", claim_id=claim.id)
            restored = self._claim_as_written(row)
        return restored

    def move_claim(
        self, claim_id: int, changes: dict[str, Any], *, action: str, actor: str = "", **detail: Any
    ) -> Claim:
        """The editor's answer to re-anchoring (confirm, re-attach, keep orphaned): change where
        the claim sits (PLACE_COLUMNS but id) and log action with detail."""
        unknown = set(changes) - set(PLACE_COLUMNS[1:])
        if unknown:
            raise BadInput(f"cannot move a claim by changing {', '.join(sorted(unknown))}")
        if "anchor_state" in changes:
            scales.check_choice(changes["anchor_state"], scales.ANCHOR_STATES, "anchor state")
        with self.transaction():
            claim = self.claim_by_id(claim_id)
            review = self._editable(claim.review_id)
            self._update("claims", claim_id, {**changes, "updated_at": utc_now()})
            self._touch(review)
            self.log_event(review.id, action, actor or review.reviewer, claim_id=claim_id, **detail)
        return self.claim_by_id(claim_id)

    # ------------------------------------------------------------------ undo of re-anchoring

    def claim_places(self, review_id: int) -> list[dict[str, Any]]:
        """Where every claim of a review sits (words, context, position, state, note): what
        restore_claim_places puts back when the GUI undoes a revision import or an orphaning."""
        cols = ", ".join(f'"{c}"' for c in PLACE_COLUMNS)
        return list(self._db.query(f"SELECT {cols} FROM claims WHERE review_id = ?", [review_id]))

    def restore_claim_places(self, review_id: int, places: Sequence[dict[str, Any]]) -> None:
        """Put claims back where claim_places found them (claims deleted since are skipped)."""
        with self.transaction():
            review = self._editable(review_id)
            now = utc_now()
            for place in places:
                values = {k: v for k, v in place.items() if k != "id"}
                self._conn.execute(
                    "UPDATE claims SET "
                    + ", ".join(f'"{c}" = ?' for c in values)
                    + ", updated_at = ? WHERE id = ? AND review_id = ?",
                    [*values.values(), now, place["id"], review_id],
                )
            self._touch(review)
            self.log_event(review_id, "claim-places-restore", claims=len(places))


def _new_claim(
    review: Review,
    selectors: Selectors,
    status: str,
    note: str,
    correction: str,
    now: str,
    stable_id: str = "",
) -> Claim:
    """A claim about to be written: pinned to selectors on the review's current revision."""
    from reviewapp.core.model import Claim

    return Claim(
        id=0,
        review_id=review.id,
        number=0,
        quote=selectors.exact,
        prefix=selectors.prefix,
        suffix=selectors.suffix,
        start=selectors.start,
        end=selectors.end,
        revision_id=review.revision_id,
        status=ClaimStatus(status),
        note=note,
        correction=correction,
        anchor_state=AnchorState.ANCHORED,
        created_at=now,
        updated_at=now,
        stable_id=stable_id,
    )
