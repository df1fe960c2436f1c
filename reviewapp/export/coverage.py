"""The record of check-worthiness suggestions in the Markdown export: the coverage figures, the
threshold, whether the sign-off gate enforced them, and every dismissed sentence with the
editor's reason (what the machine proposed, what the person decided).

A review whose record carries no suggestions (`ReviewData.suggestions is None`: signed off
before the record had them) gets neither, so its signed Markdown re-renders as it was signed.
"""

from __future__ import annotations

from typing import Any

from reviewapp.core.checks import check_one_line
from reviewapp.core.checkworthy import REASON_LABELS, Reason
from reviewapp.core.coverage import Coverage, Decision, Suggestion, coverage, parse_key
from reviewapp.core.errors import BadInput
from reviewapp.core.model import Dismissal, ReviewData, SuggestionRecord
from reviewapp.export import mdtext as md

HEADING = "## Check-worthy sentences"


def coverage_of(data: ReviewData) -> Coverage | None:
    """The coverage the record states, or None when it carries none."""
    if data.suggestions is None:
        return None
    return coverage(data.revision.text, data.claims, data.suggestions)


def _dismissed(found: Coverage) -> list[Suggestion]:
    return [s for s in found.suggestions if s.decision is Decision.DISMISSED]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def front_matter_fields(data: ReviewData) -> list[tuple[str, str | int]]:
    """checkworthy_* keys: the figures, the threshold and whether the gate enforced them."""
    found = coverage_of(data)
    if found is None:
        return []
    if not found.english:
        return [("checkworthy_suggestions", "english-only")]
    dismissed = len(_dismissed(found))
    return [
        ("checkworthy_suggestions", "made"),
        ("checkworthy_examined", found.examined),
        ("checkworthy_total", found.total),
        ("checkworthy_dismissed", dismissed),
        ("checkworthy_threshold", f"{found.threshold:g}"),
        ("checkworthy_coverage_enforced", _yes(found.enforced)),
    ]


def _reasons(reasons: tuple[Reason, ...] | tuple[str, ...]) -> str:
    labels = []
    for r in reasons:
        try:
            labels.append(REASON_LABELS[Reason(r)])
        except ValueError:  # a reason this version does not know: its stored spelling
            labels.append(str(r))
    return "; ".join(labels)


def markdown_section(data: ReviewData) -> list[str]:
    """The "Check-worthy sentences" section; none when the record carries no suggestions."""
    found = coverage_of(data)
    if found is None:
        return []
    if not found.english:
        return [
            HEADING,
            "Check-worthiness suggestions are English-only, and this text does not read as "
            "English: none were made, and coverage was not measured.",
        ]
    rule = (
        "Sign-off required every one of them to be examined (claimed, or dismissed with a reason)."
        if found.enforced
        else "Coverage was not enforced: this library lets a review be signed off with "
        "check-worthy sentences unexamined."
    )
    intro = (
        f"**{found.examined} of {found.total} check-worthy sentences examined.** reviewapp "
        f"suggested the sentences that look check-worthy (score {found.threshold:g} or more, "
        f"found offline by word patterns, of {found.sentences} sentences); the editor claimed "
        f"or dismissed them. {rule}"
    )
    facts = [
        ("Claimed", str(sum(1 for s in found.suggestions if s.decision is Decision.CLAIMED))),
        ("Dismissed with a reason", str(len(_dismissed(found)))),
        ("Not examined", str(found.total - found.examined)),
        ("Threshold", f"{found.threshold:g}"),
        ("Coverage enforced at sign-off", _yes(found.enforced)),
    ]
    out = [HEADING, intro, "\n".join(f"- **{label}:** {value}" for label, value in facts)]
    dismissed = _dismissed(found)
    if dismissed:
        items = []
        for n, s in enumerate(dismissed, start=1):
            marker = f"{n}. "
            indent = " " * len(marker)
            who = md.inline(s.decided_by) if s.decided_by.strip() else "the editor"
            items.append(
                f"{marker}“{md.inline(s.text)}”\n"
                f"{indent}- **Proposed because:** {md.inline(_reasons(s.reasons))} "
                f"(score {s.score:.2f})\n"
                f"{indent}- **Dismissed because:** {md.inline(s.dismissal_reason)}\n"
                f"{indent}- **By:** {who}, {md.inline(s.decided_at)}"
            )
        out += [
            "### Dismissed sentences",
            "What the machine proposed, and what the person decided:",
            "\n".join(items),
        ]
    unexamined = [s for s in found.suggestions if not s.examined]
    if unexamined:
        out += [
            "### Not examined",
            "\n".join(f"{n}. “{md.inline(s.text)}”" for n, s in enumerate(unexamined, start=1)),
        ]
    return out


SUGGESTED_NOTE = "suggested as check-worthy by reviewapp, accepted as a claim by the editor"


# ---------------------------------------------------------------------- in the JSON bundle
def suggestions_json(record: SuggestionRecord | None) -> dict[str, Any] | None:
    """The record's suggestion part as the bundle keeps it (null: the record carries none)."""
    if record is None:
        return None
    return {
        "enforced": record.enforced,
        "threshold": record.threshold,
        "dismissals": [
            {
                "key": d.key,
                "sentence": d.sentence,
                "score": d.score,
                "reasons": list(d.reasons),
                "reason": d.reason,
                "reviewer": d.reviewer,
                "decided_at": d.decided_at,
            }
            for d in record.dismissals
        ],
    }


def suggestions_from_json(obj: Any, where: str = "review.suggestions") -> SuggestionRecord | None:
    """suggestions_json read back, checked; BadInput naming the first problem."""
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise BadInput(f"{where} is not an object")
    enforced, threshold = obj.get("enforced"), obj.get("threshold")
    if not isinstance(enforced, bool):
        raise BadInput(f"{where}.enforced is not true or false")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise BadInput(f"{where}.threshold is not a number")
    if not 0 <= threshold <= 1:
        raise BadInput(f"{where}.threshold is not between 0 and 1")
    entries = obj.get("dismissals")
    if not isinstance(entries, list):
        raise BadInput(f"{where}.dismissals is not a list")
    dismissals = []
    for n, entry in enumerate(entries):
        at = f"{where}.dismissals[{n}]"
        if not isinstance(entry, dict):
            raise BadInput(f"{at} is not an object")
        texts = ("key", "sentence", "reason", "reviewer", "decided_at")
        for name in texts:
            if not isinstance(entry.get(name), str):
                raise BadInput(f"{at}.{name} is not text")
        if parse_key(entry["key"]) is None:
            raise BadInput(f"{at}.key is not a suggestion key (START-END-HASH)")
        if not entry["reason"].strip():
            raise BadInput(f"{at} has no reason")
        for name in ("reason", "reviewer", "decided_at"):
            check_one_line(entry[name], f"{at}.{name}")
        score, reasons = entry.get("score"), entry.get("reasons")
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise BadInput(f"{at}.score is not a number")
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise BadInput(f"{at}.reasons is not a list of text")
        dismissals.append(
            Dismissal(
                entry["key"],
                entry["sentence"],
                float(score),
                tuple(reasons),
                entry["reason"],
                entry["reviewer"],
                entry["decided_at"],
            )
        )
    if len({d.key for d in dismissals}) != len(dismissals):
        raise BadInput(f"{where}.dismissals names a sentence twice")
    return SuggestionRecord(bool(enforced), float(threshold), tuple(dismissals))
