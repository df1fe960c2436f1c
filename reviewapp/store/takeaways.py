"""Takeaways: the review's conclusions, in the editor's order."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from reviewapp.core import scales
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.states import TakeawayKind
from reviewapp.core.summary import utc_now
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import Takeaway

log = logging.getLogger(__name__)


class TakeawayStore(StoreBase):
    # ------------------------------------------------------------------ takeaways
    def takeaways(self, review_id: int) -> list[Takeaway]:
        """The review's takeaways in the editor's order."""
        from reviewapp.store.rows import TAKEAWAY_COLUMNS, takeaway_from_row

        rows = self._db.query(
            f"SELECT {TAKEAWAY_COLUMNS} FROM takeaways WHERE review_id = ? ORDER BY position, id",
            [review_id],
        )
        return [takeaway_from_row(r) for r in rows]

    def takeaway(self, takeaway_id: int) -> Takeaway:
        """A takeaway by its id; NotFound otherwise."""
        from reviewapp.store.rows import TAKEAWAY_COLUMNS, takeaway_from_row

        row = self._one(f"SELECT {TAKEAWAY_COLUMNS} FROM takeaways WHERE id = ?", [takeaway_id])
        if row is None:
            raise NotFound(f"no takeaway with id {takeaway_id}")
        return takeaway_from_row(row)

    def add_takeaway(
        self,
        review_id: int,
        text: str,
        kind: str = TakeawayKind.SUMMARY,
        position: int | None = None,
    ) -> Takeaway:
        """Add a takeaway (at position, or last); kind is one of scales.TAKEAWAY_KINDS."""
        from reviewapp.core.model import Takeaway
        from reviewapp.store.rows import takeaway_row

        text = text.strip()
        if not text:
            raise BadInput("a takeaway needs some text")
        scales.check_choice(kind, scales.TAKEAWAY_KINDS, "takeaway kind")
        with self.transaction():
            review = self._editable(review_id)
            ids = self._takeaway_ids(review_id)
            now = utc_now()
            new = Takeaway(0, review_id, text, TakeawayKind(kind), len(ids), now, now)
            new_id = self._insert("takeaways", takeaway_row(new))
            if position is not None:
                ids.insert(max(0, min(position, len(ids))), new_id)
                self._renumber_takeaways(ids)
            self._touch(review)
            self.log_event(review_id, "takeaway-add", takeaway_id=new_id, text=text)
        return self.takeaway(new_id)

    def update_takeaway(
        self, takeaway_id: int, *, text: str | None = None, kind: str | None = None
    ) -> Takeaway:
        """Change a takeaway's text or kind."""
        values: dict[str, Any] = {}
        if text is not None:
            if not text.strip():
                raise BadInput("a takeaway needs some text")
            values["text"] = text.strip()
        if kind is not None:
            values["kind"] = scales.check_choice(kind, scales.TAKEAWAY_KINDS, "takeaway kind")
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            if values:
                self._update("takeaways", takeaway_id, {**values, "updated_at": utc_now()})
                self._touch(review)
                self.log_event(review.id, "takeaway-set", takeaway_id=takeaway_id, **values)
        return self.takeaway(takeaway_id)

    def move_takeaway(self, takeaway_id: int, position: int) -> None:
        """Move a takeaway to position (0 first); the others close up around it."""
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            ids = [i for i in self._takeaway_ids(review.id) if i != takeaway_id]
            ids.insert(max(0, min(position, len(ids))), takeaway_id)
            self._renumber_takeaways(ids)
            self._touch(review)
            self.log_event(review.id, "takeaway-move", takeaway_id=takeaway_id, position=position)

    def _takeaway_ids(self, review_id: int) -> list[int]:
        """The ids of a review's takeaways in order (what renumbering needs, nothing more)."""
        return [
            int(r[0])
            for r in self._conn.execute(
                "SELECT id FROM takeaways WHERE review_id = ? ORDER BY position, id", [review_id]
            )
        ]

    def _renumber_takeaways(self, ids: list[int]) -> None:
        for position, tid in enumerate(ids):
            self._conn.execute("UPDATE takeaways SET position = ? WHERE id = ?", [position, tid])

    def delete_takeaway(self, takeaway_id: int) -> Takeaway:
        """Delete a takeaway; returns it so that restore_takeaway can undo."""
        with self.transaction():
            takeaway = self.takeaway(takeaway_id)
            review = self._editable(takeaway.review_id)
            self._db.table("takeaways").delete(takeaway_id)
            self._renumber_takeaways(self._takeaway_ids(review.id))
            self._touch(review)
            self.log_event(review.id, "takeaway-rm", takeaway_id=takeaway_id)
        return takeaway

    def restore_takeaway(self, takeaway: Takeaway) -> Takeaway:
        """Put a deleted takeaway back with the same id, stable id, creation time and position."""
        from reviewapp.store.rows import takeaway_row

        with self.transaction():
            review = self._editable(takeaway.review_id)
            row = {"id": takeaway.id, **takeaway_row(takeaway), "updated_at": utc_now()}
            self._insert("takeaways", row)
            ids = [i for i in self._takeaway_ids(review.id) if i != takeaway.id]
            ids.insert(takeaway.position, takeaway.id)
            self._renumber_takeaways(ids)
            self._touch(review)
        return self.takeaway(takeaway.id)
