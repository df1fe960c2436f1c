"""A review's AI involvement, editorial responsibility and scope, and the library's defaults
for the responsibility (kept in this database, so every editor of the library shares them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, TypeAlias

from reviewapp.core.checks import check_one_line
from reviewapp.core.errors import BadInput, NotFound
from reviewapp.core.states import AiRole
from reviewapp.store.base import StoreBase

if TYPE_CHECKING:  # records and store/rows.py come with the first record read (core/summary.py)
    from reviewapp.core.model import AiInvolvement, EditorialResponsibility, ReviewScope

Accountability: TypeAlias = "tuple[bool, AiInvolvement, EditorialResponsibility, ReviewScope]"

# library_settings keys of the organisation's defaults, by EditorialResponsibility field
_DEFAULT_KEYS = {
    "holder": "responsibility.holder",
    "role": "responsibility.role",
    "contact": "responsibility.contact",
}


def check_ai(ai: AiInvolvement, text: str) -> AiInvolvement:
    """ai with its words trimmed, once every field is something the record can hold; text is
    the revision the disclosure is pinned to."""
    from reviewapp.core.model import AiInvolvement

    # The IPTC list (~1 ms to import) comes with the first check, not with the window's start.
    from reviewapp.core.sourcetypes import check_source_type

    for value, what in (
        (ai.unknown_reason, "reason AI involvement is unknown"),
        (ai.tools, "AI tools"),
        (ai.role_other, "description of what else the AI did"),
        (ai.disclosure, "disclosure line"),
    ):
        check_one_line(value, what)
    check_source_type(ai.source_type)
    if ai.role_other.strip() and AiRole.OTHER not in ai.roles:
        raise BadInput("a description of what else the AI did needs the role 'other'")
    start, end = ai.disclosure_start, ai.disclosure_end
    if (start is None) != (end is None) or (start is not None and not ai.disclosure):
        raise BadInput("a pinned disclosure line needs its text, its start and its end")
    if start is not None and end is not None and text[start:end] != ai.disclosure:
        raise BadInput("the disclosure line is not at the place it is pinned to in the draft")
    return AiInvolvement(
        ai.assisted,
        ai.unknown_reason.strip(),
        ai.tools.strip(),
        ai.roles,
        ai.role_other.strip(),
        ai.source_type,
        ai.disclosure,
        start,
        end,
    )


def check_responsibility(responsibility: EditorialResponsibility) -> EditorialResponsibility:
    """responsibility trimmed, each field one line."""
    from reviewapp.core.model import EditorialResponsibility

    for value, what in (
        (responsibility.holder, "name of who holds editorial responsibility"),
        (responsibility.role, "role of who holds editorial responsibility"),
        (responsibility.contact, "public contact for editorial responsibility"),
    ):
        check_one_line(value, what)
    return EditorialResponsibility(
        responsibility.holder.strip(), responsibility.role.strip(), responsibility.contact.strip()
    )


class AccountabilityStore(StoreBase):
    def accountability(self, review_id: int) -> Accountability:
        """(recorded, AI involvement, responsibility, scope) of a review; recorded is False for
        a review from before schema 6 that nobody has answered for since."""
        from reviewapp.store.rows import accountability_from_row

        row = self._one("SELECT * FROM reviews WHERE id = ?", [review_id])
        if row is None:
            raise NotFound(f"no review {review_id}")
        return accountability_from_row(row)

    def set_accountability(
        self,
        review_id: int,
        *,
        ai: AiInvolvement | None = None,
        responsibility: EditorialResponsibility | None = None,
        scope: ReviewScope | None = None,
        recorded: bool = True,
    ) -> Accountability:
        """Record any of the three (None keeps it), in one transaction; returns them all.
        recorded=False only puts back a review that had never recorded them (undo)."""
        from reviewapp.store.rows import accountability_row

        with self.transaction():
            review = self._editable(review_id)
            _, old_ai, old_resp, old_scope = self.accountability(review_id)
            if ai is not None:
                revision = self._one(
                    "SELECT text FROM revisions WHERE id = ?", [review.revision_id]
                )
                ai = check_ai(ai, str(revision["text"]) if revision else "")
            if responsibility is not None:
                responsibility = check_responsibility(responsibility)
            new = (ai or old_ai, responsibility or old_resp, scope or old_scope)
            row = accountability_row(*new)
            self._update("reviews", review_id, {**row, "accountability_recorded": int(recorded)})
            self._touch(review)
            changed: dict[str, dict[str, object]] = {}
            for name, value, old in (
                ("ai", new[0], old_ai),
                ("responsibility", new[1], old_resp),
                ("scope", new[2], old_scope),
            ):
                if value != old:
                    changed[name] = asdict(value)
            self.log_event(review_id, "accountability", review.reviewer, **changed)
        return self.accountability(review_id)

    def _repin_disclosure(self, review_id: int, text: str) -> None:
        """Put the recorded disclosure line where it is in text (the review's revision changed):
        its only occurrence, else unpinned; the words the editor confirmed stay. Called inside
        the transaction that moves the review."""
        _, ai, _, _ = self.accountability(review_id)
        if not ai.disclosure:
            return
        span = ai.disclosure_span(text)
        start, end = span if span is not None else (None, None)
        if (start, end) != (ai.disclosure_start, ai.disclosure_end):
            self._update(
                "reviews", review_id, {"ai_disclosure_start": start, "ai_disclosure_end": end}
            )

    # ------------------------------------------------------------------ library defaults
    def organisation_defaults(self) -> EditorialResponsibility:
        """Who holds editorial responsibility unless a review says otherwise (may be empty)."""
        from reviewapp.core.model import EditorialResponsibility

        rows = self._db.query(
            "SELECT key, value FROM library_settings WHERE key IN (?, ?, ?)",
            list(_DEFAULT_KEYS.values()),
        )
        values = {r["key"]: r["value"] for r in rows}
        return EditorialResponsibility(
            **{field: values.get(key, "") for field, key in _DEFAULT_KEYS.items()}
        )

    def set_organisation_defaults(self, defaults: EditorialResponsibility) -> None:
        """Keep the defaults new reviews of this library start with."""
        defaults = check_responsibility(defaults)
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO library_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(key, getattr(defaults, field)) for field, key in _DEFAULT_KEYS.items()],
            )
            self.log_event(None, "organisation-defaults", "", **asdict(defaults))
