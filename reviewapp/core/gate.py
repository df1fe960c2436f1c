"""The sign-off gate: what must be true before a reviewer may sign a review off.

Rules (DESIGN.md, "Scales"): no unchecked claim; every claim firmly anchored; every verified,
partly-true or false claim linked to a source or overridden with a written reason; a verdict;
a reviewer's name.

A review with no claims at all may be signed off, provided it has a verdict (required anyway):
an opinion piece or a short note can contain nothing checkable, and the signed record then says
so plainly ("0 claims") next to the editor's verdict and name, which is the editorial control
the record exists to show. Refusing it would push editors to invent claims to get past the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewapp.core.model import Claim, ReviewData
from reviewapp.core.scales import ANCHOR_STATES, FIRM_ANCHOR_STATES, NEEDS_SOURCE


@dataclass(frozen=True)
class GateCheck:
    """One line of the sign-off checklist: what is checked and, if it fails, what is missing."""

    key: str
    label: str
    problem: str = ""  # empty when the check passes; plain words, for the GUI and the CLI
    claim_numbers: tuple[int, ...] = field(default=())
    command: str = ""  # the reviewapp command that fixes it, shown by the CLI only

    @property
    def ok(self) -> bool:
        return not self.problem


def _numbers(claims: list[Claim]) -> str:
    nums = [str(c.number) for c in claims]
    return ("claim " if len(nums) == 1 else "claims ") + ", ".join(nums)


def _claims_check(
    key: str, label: str, bad: list[Claim], problem: str, command: str = ""
) -> GateCheck:
    if not bad:
        return GateCheck(key, label)
    return GateCheck(
        key, label, f"{_numbers(bad)} {problem}", tuple(c.number for c in bad), command
    )


def gate_checklist(data: ReviewData, reviewer: str | None = None) -> list[GateCheck]:
    """Every check of the gate, passed or not, in the order an editor would fix them.

    reviewer is the name of the person signing, when known; otherwise the review's own.
    """
    review_id = data.review.id
    claims = data.claims
    unchecked = [c for c in claims if c.status == "unchecked"]
    loose = [c for c in claims if c.anchor_state not in FIRM_ANCHOR_STATES]
    unsourced = [
        c
        for c in claims
        if c.status in NEEDS_SOURCE and not c.source_ids and not c.source_override.strip()
    ]

    def n(bad: list[Claim]) -> str:
        """The claim number in a suggested command: the real one when there is only one."""
        return str(bad[0].number) if len(bad) == 1 else "N"

    states = sorted({ANCHOR_STATES.get(c.anchor_state, c.anchor_state).lower() for c in loose})
    plural = len(unchecked) != 1
    checks = [
        _claims_check(
            "unchecked", "Every claim has a status", unchecked,
            f"{'are' if plural else 'is'} still unchecked: give {'each' if plural else 'it'} a "
            "status",
            f"reviewapp claim set {review_id} {n(unchecked)} --status ...",
        ),
        _claims_check(
            "anchoring", "Every claim is firmly anchored to its passage", loose,
            f"{'are' if len(loose) != 1 else 'is'} not firmly anchored ({', '.join(states)}): "
            "confirm or re-attach to the passage",
            f"reviewapp anchor confirm {review_id} {n(loose)}",
        ),
        _claims_check(
            "sources", "Every verified, partly-true or false claim has a source", unsourced,
            f"{'have' if len(unsourced) != 1 else 'has'} no source: link one or record why "
            "none is needed",
            f"reviewapp source add {review_id} --url URL --claim {n(unsourced)}, or "
            f"reviewapp claim set {review_id} {n(unsourced)} --source-override REASON",
        ),
    ]  # fmt: skip
    verdict_problem = verdict_command = ""
    if not data.review.verdict:
        verdict_problem = "no verdict is set"
        if not claims:
            verdict_problem += " (a review with no claims needs a verdict above all)"
        verdict_command = (
            f"reviewapp review {review_id} --verdict "
            "publish|publish-with-corrections|do-not-publish"
        )
    checks.append(
        GateCheck("verdict", "A verdict is set", verdict_problem, command=verdict_command)
    )
    name = (reviewer or data.review.reviewer).strip()
    checks.append(
        GateCheck(
            "reviewer",
            "The reviewer is named",
            "" if name else "no reviewer is named: give the name of the person signing off",
        )
    )
    return checks


def gate_problems(
    data: ReviewData, reviewer: str | None = None, *, commands: bool = True
) -> list[str]:
    """Exactly what is missing before sign-off, one line each; empty when it may be signed.

    With commands, each line ends with the reviewapp command that fixes it (for the terminal).
    """
    return [
        f"{check.problem} ({check.command})" if commands and check.command else check.problem
        for check in gate_checklist(data, reviewer)
        if not check.ok
    ]
