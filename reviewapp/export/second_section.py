"""The "Second review" section read back out of a signed review's Markdown, for the second
reviewer: whom and which assessment it names, and per claim the first editor's status, note
and settlement.

What is read is only a reading: the caller renders the section again (``section_text``) from
it and the second reviewer's own assessment and believes it only when that gives the very same
text, so a misreading can never pass for the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewapp.core import scales
from reviewapp.core.errors import BadInput
from reviewapp.core.second_review import Settlement
from reviewapp.core.states import ClaimStatus
from reviewapp.export.second_review import SECOND_HEADING

NO_STATUS = "—"  # what the table says for a claim the second reviewer did not assess
NO_NOTE = "(none)"

_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&(amp|lt|gt);")
_ENTITY = {"amp": "&", "lt": "<", "gt": ">"}
_FACT = re.compile(r"- \*\*(?P<label>[^*]+):\*\* (?P<value>.*)")
_TABLE_ROW = re.compile(r"\| (?P<n>\d+) \| (?P<first>.*) \| (?P<second>.*) \| (?P<agreement>.*) \|")
_CLAIM = re.compile(r"- \*\*Claim (?P<n>\d+):\*\* (?P<agreement>.*)")
_SETTLED = re.compile(
    r"  - Settled as (?P<label>.+?) by (?P<by>.*?) on (?P<at>\d{4}-\d\d-\d\dT\S*): (?P<note>.*)"
)
_QUOTE_ROW = re.compile(r"\| \[(?P<n>\d+)\]\(#claim-\d+\) \| (?P<quote>.*?) \| ")
_WHO = re.compile(r"(?P<name>.*) \((?P<email>[^()]*)\)")


def unescape(text: str) -> str:
    """The user text an `mdtext.inline` or `mdtext.cell` rendering shows."""
    text = text.replace("<br>", "\n")
    return _UNESCAPE.sub(lambda m: m.group(1) or _ENTITY[m.group(2)], text)


@dataclass(frozen=True)
class SectionRow:
    """One claim as the section states it."""

    number: int
    first_status: ClaimStatus
    second_label: str  # the second reviewer's status as labelled; NO_STATUS when not assessed
    agreement: str
    first_note: str = ""
    second_note: str = ""
    settlement: Settlement | None = None  # its claim_id is not in the section: empty here

    @property
    def assessed(self) -> bool:
        return self.second_label != NO_STATUS


@dataclass(frozen=True)
class SignedSection:
    assessor: str
    assessor_email: str
    fingerprint: str
    assessment_sha256: str
    assessed_at: str
    review_uid: str
    rows: tuple[SectionRow, ...]
    quote_cells: dict[int, str]  # claim number -> its quote as the Claims table writes it
    text: str  # the section exactly as it stands in the file


def _status(label: str, number: int) -> ClaimStatus:
    for scale in scales.CLAIM_STATUSES:
        if scale.label == label:
            return ClaimStatus(scale.key)
    raise BadInput(f"the Second review section gives claim {number} an unknown status {label!r}")


def _code(value: str) -> str:
    return value.strip().strip("`").strip()


def read_section(markdown: bytes) -> SignedSection:
    """The Second review section of a signed review's Markdown; BadInput when it has none or
    it cannot be read."""
    try:
        text = markdown.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"the review file is not UTF-8 text ({exc.reason})") from exc
    start = text.find(f"\n\n{SECOND_HEADING}\n\n")
    if start < 0:
        raise BadInput("the review file has no Second review section: it names no second reviewer")
    start += 2
    end = text.find("\n\n## ", start)
    section = text[start : end if end >= 0 else len(text)]
    facts: dict[str, str] = {}
    rows: list[SectionRow] = []
    details: dict[int, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in section.split("\n"):
        claim = _CLAIM.fullmatch(line)
        if claim is not None:
            current = details.setdefault(int(claim["n"]), {})
            continue
        if current is not None and line.startswith("  - "):
            _detail(line, current)
            continue
        fact = _FACT.fullmatch(line)
        if fact is not None:
            facts[fact["label"]] = fact["value"]
            continue
        row = _TABLE_ROW.fullmatch(line)
        if row is not None:
            number = int(row["n"])
            rows.append(
                SectionRow(
                    number,
                    _status(unescape(row["first"]), number),
                    unescape(row["second"]),
                    unescape(row["agreement"]),
                )
            )
    needed = (
        "Second reviewer",
        "Second reviewer's key",
        "Signed assessment (SHA-256)",
        "Assessed at (UTC)",
        "Review uid",
    )
    missing = [label for label in needed if label not in facts]
    if missing:
        raise BadInput(f"the Second review section does not say: {', '.join(missing)}")
    who = unescape(facts["Second reviewer"])
    named = _WHO.fullmatch(who)
    name, email = (named["name"], named["email"]) if named else (who, "")
    return SignedSection(
        assessor=name,
        assessor_email=email,
        fingerprint=_code(facts["Second reviewer's key"]),
        assessment_sha256=_code(facts["Signed assessment (SHA-256)"]),
        assessed_at=unescape(facts["Assessed at (UTC)"]),
        review_uid=_code(facts["Review uid"]),
        rows=tuple(_with_details(row, details.get(row.number, {})) for row in rows),
        quote_cells=_quote_cells(text),
        text=section,
    )


def _detail(line: str, into: dict[str, str]) -> None:
    for prefix, key in (
        ("  - This review's note: ", "first_note"),
        ("  - Second reviewer's note: ", "second_note"),
    ):
        if line.startswith(prefix):
            value = unescape(line[len(prefix) :])
            into[key] = "" if value == NO_NOTE else value
            return
    settled = _SETTLED.fullmatch(line)
    if settled is None:
        raise BadInput(f"the Second review section has an unreadable line: {line[:60]}")
    into.update(
        settled_label=unescape(settled["label"]),
        settled_by=unescape(settled["by"]),
        settled_at=unescape(settled["at"]),
        settled_note=unescape(settled["note"]),
    )


def _with_details(row: SectionRow, found: dict[str, str]) -> SectionRow:
    settlement = None
    if "settled_label" in found:
        settlement = Settlement(
            "",
            _status(found["settled_label"], row.number),
            found["settled_note"],
            found["settled_by"],
            found["settled_at"],
        )
    return SectionRow(
        row.number,
        row.first_status,
        row.second_label,
        row.agreement,
        found.get("first_note", ""),
        found.get("second_note", ""),
        settlement,
    )


def _quote_cells(text: str) -> dict[int, str]:
    start = text.find("\n\n## Claims\n\n")
    if start < 0:
        return {}
    end = text.find("\n\n## ", start + 2)
    cells = {}
    for line in text[start : end if end >= 0 else len(text)].split("\n"):
        found = _QUOTE_ROW.match(line)
        if found is not None:
            cells[int(found["n"])] = found["quote"]
    return cells
