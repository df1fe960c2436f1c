"""The sign-off gate: what must be true before a reviewer may sign a review off.

Rules (docs/architecture.md): no unchecked claim; every claim firmly anchored; every verified,
partly-true or false claim linked to a source or overridden with a written reason; no claim
whose status its sources contradict (marked verified while its sources only refute it, or false
while they only support it) unless a written reason says why the status stands; a verdict; a
reviewer's name; every check-worthy sentence (core/coverage.py) examined, i.e. claimed or
dismissed with a reason, unless the library switched that rule off or the text is not English;
whether AI helped write the draft (yes or no, or unknown with the reason); a person or
organisation named as holding editorial responsibility (the two things AI Act
Art. 50(4) asks of a reviewed AI-assisted text besides the review itself); and, when the
review requires a second review (a per-review flag, by default the library's setting), a second
editor's signed assessment of the same claims on the same revision, every claim the two did not
agree on settled by the first editor (a status and a note); an assessment that is in but was not
asked for must be settled as well.
 The gate answers with structured problems (which rule, which claims); the
CLI and the GUI each phrase how to fix them.

A review with no claims at all may be signed off, provided it has a verdict (required anyway):
an opinion piece or a short note can contain nothing checkable, and the signed record then says
so plainly ("0 claims") next to the editor's verdict and name, which is the editorial control
the record exists to show. Refusing it would push editors to invent claims to get past the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewapp.core.model import Claim, ReviewData
from reviewapp.core.scales import ANCHOR_STATES, NEEDS_SOURCE
from reviewapp.core.second_review import ClaimFacts, Role, compare
from reviewapp.core.states import AnchorState, ClaimStatus, Stance


class GateRule(StrEnum):
    """The rules of the gate, in the order an editor would settle them."""

    UNCHECKED = "unchecked"  # every claim has a status
    ANCHORING = "anchoring"  # every claim is firmly anchored to its passage
    SOURCES = "sources"  # every verified, partly-true or false claim has a source or a reason
    STANCE = "stance"  # no verified claim only refuted, no false claim only supported (or a reason)
    SUGGESTIONS = "suggestions"  # every check-worthy sentence claimed or dismissed with a reason
    VERDICT = "verdict"  # a verdict is set
    REVIEWER = "reviewer"  # the person signing is named
    AI_INVOLVEMENT = "ai-involvement"  # AI helped: yes, no, or unknown with a reason
    RESPONSIBILITY = "responsibility"  # someone is named as holding editorial responsibility
    SECOND_REVIEW = "second-review"  # a required second review is in, on this text, and settled


@dataclass(frozen=True)
class GateProblem:
    """What one rule finds missing, and for which claims (by id and by display number).

    Says nothing about how to fix it: the CLI names the command, the GUI the control.
    """

    kind: GateRule
    review_id: int
    claim_ids: tuple[int, ...] = ()
    claim_numbers: tuple[int, ...] = ()
    anchor_states: tuple[AnchorState, ...] = ()  # ANCHORING: the loose states, in scale order
    no_claims: bool = False  # VERDICT: the review has no claims at all
    claim_status: ClaimStatus | None = None  # STANCE: the status the claims' sources contradict
    suggestions_open: int = 0  # SUGGESTIONS: how many check-worthy sentences are not examined
    suggestions_total: int = 0  # SUGGESTIONS: how many there are
    second_review: str = ""  # SECOND_REVIEW: "missing", "revision" or "unsettled"

    def __str__(self) -> str:
        """What is missing, in one plain line, e.g. 'claims 1, 3 are still unchecked'."""
        many = len(self.claim_numbers) != 1
        claims = ("claims " if many else "claim ") + ", ".join(map(str, self.claim_numbers))
        if self.kind is GateRule.UNCHECKED:
            return f"{claims} {'are' if many else 'is'} still unchecked"
        if self.kind is GateRule.ANCHORING:
            states = ", ".join(sorted(ANCHOR_STATES[s].lower() for s in self.anchor_states))
            return f"{claims} {'are' if many else 'is'} not firmly anchored ({states})"
        if self.kind is GateRule.SOURCES:
            return f"{claims} {'have' if many else 'has'} no source"
        if self.kind is GateRule.STANCE:
            return _stance_line(claims, many, self.claim_status)
        if self.kind is GateRule.SUGGESTIONS:
            one = self.suggestions_open == 1
            return (
                f"{self.suggestions_open} of {self.suggestions_total} check-worthy sentences "
                f"{'is' if one else 'are'} not examined yet (neither claimed nor dismissed "
                "with a reason)"
            )
        if self.kind is GateRule.VERDICT:
            why = " (a review with no claims needs a verdict above all)" if self.no_claims else ""
            return "no verdict is set" + why
        if self.kind is GateRule.AI_INVOLVEMENT:
            return (
                "whether AI helped write the draft is not recorded (yes, no, or unknown with "
                "the reason it cannot be known)"
            )
        if self.kind is GateRule.RESPONSIBILITY:
            return "nobody is named as holding editorial responsibility for the publication"
        if self.kind is GateRule.SECOND_REVIEW:
            return _second_review_line(claims, many, self.second_review)
        return "no reviewer is named"


def _stance_line(claims: str, many: bool, status: ClaimStatus | None) -> str:
    they, them = ("their", "them") if many else ("its", "it")
    marked = f"{claims} {'are' if many else 'is'} marked {status}"
    if status is ClaimStatus.FALSE:
        return f"{marked}, but {they} sources only support {them}"
    return f"{marked}, but {they} sources only refute {them}"


def _second_review_line(claims: str, many: bool, issue: str) -> str:
    if issue == "missing":
        return "a second review is required, and no second reviewer's signed assessment is in"
    if issue == "revision":
        return "the second reviewer assessed another revision of the text than this one"
    return (
        f"{claims}: the two reviewers disagree or one of them is unsure, and "
        f"{'they are' if many else 'it is'} not settled yet"
    )


def _claims_problem(
    kind: GateRule,
    review_id: int,
    bad: list[Claim],
    states: tuple[AnchorState, ...] = (),
    status: ClaimStatus | None = None,
) -> list[GateProblem]:
    if not bad:
        return []
    ids, numbers = tuple(c.id for c in bad), tuple(c.number for c in bad)
    return [GateProblem(kind, review_id, ids, numbers, states, claim_status=status)]


# A status its sources contradict: the stance the status would need, and the one that
# contradicts it. Context sources count for neither.
CONTRADICTED = {
    ClaimStatus.VERIFIED: (Stance.SUPPORTS, Stance.REFUTES),
    ClaimStatus.FALSE: (Stance.REFUTES, Stance.SUPPORTS),
}


def sources_contradict(claim: Claim) -> bool:
    """True when the claim's sources contradict its status: marked verified while none supports
    it and some refute it, or false while none refutes it and some support it."""
    if claim.status not in CONTRADICTED:
        return False
    needed, against = CONTRADICTED[claim.status]
    stances = {claim.stance_of(s) for s in claim.source_ids}
    return against in stances and needed not in stances


def _suggestions_problem(data: ReviewData) -> list[GateProblem]:
    """The coverage rule: none when the library does not enforce it, the text is not English
    (suggestions are English-only) or every suggestion is examined."""
    record = data.suggestions
    if record is None or not record.enforced:
        return []
    # Imported here: the detector's word lists are not needed until a gate is asked.
    from reviewapp.core.coverage import coverage

    found = coverage(data.revision.text, data.claims, record)
    if not found.english or found.complete:
        return []
    return [
        GateProblem(
            GateRule.SUGGESTIONS,
            data.review.id,
            suggestions_open=found.total - found.examined,
            suggestions_total=found.total,
        )
    ]


def gate_problems(data: ReviewData, reviewer: str | None = None) -> list[GateProblem]:
    """Exactly what is missing before sign-off, in rule order; empty when it may be signed.

    reviewer is the name of the person signing, when known; otherwise the review's own.
    """
    review_id = data.review.id
    claims = data.claims
    unchecked = [c for c in claims if c.status == ClaimStatus.UNCHECKED]
    loose = [c for c in claims if not c.anchor_state.firm]
    loose_states = tuple(s for s in AnchorState if s in {c.anchor_state for c in loose})
    unsourced = [
        c
        for c in claims
        if c.status in NEEDS_SOURCE and not c.source_ids and not c.source_override.strip()
    ]
    problems = [
        *_claims_problem(GateRule.UNCHECKED, review_id, unchecked),
        *_claims_problem(GateRule.ANCHORING, review_id, loose, loose_states),
        *_claims_problem(GateRule.SOURCES, review_id, unsourced),
    ]
    for status in CONTRADICTED:
        odd = [
            c
            for c in claims
            if c.status == status and sources_contradict(c) and not c.stance_override.strip()
        ]
        problems += _claims_problem(GateRule.STANCE, review_id, odd, status=status)
    problems += _suggestions_problem(data)
    if not data.review.verdict:
        problems.append(GateProblem(GateRule.VERDICT, review_id, no_claims=not claims))
    if not (reviewer or data.review.reviewer).strip():
        problems.append(GateProblem(GateRule.REVIEWER, review_id))
    if not data.ai.known:
        problems.append(GateProblem(GateRule.AI_INVOLVEMENT, review_id))
    if not data.responsibility.holder.strip():
        problems.append(GateProblem(GateRule.RESPONSIBILITY, review_id))
    problems += _second_review_problem(data)
    return problems


def _second_review_problem(data: ReviewData) -> list[GateProblem]:
    """The second-review rule: when required, a signed assessment is imported; once one is in,
    it is of this revision, and every claim the two did not agree on is settled."""
    record = data.second_review
    if record is None or record.role is not Role.FIRST:
        return []
    review_id = data.review.id
    if not record.assessed:
        if record.required:
            return [GateProblem(GateRule.SECOND_REVIEW, review_id, second_review="missing")]
        return []
    if record.content_hash != data.revision.content_hash:
        return [GateProblem(GateRule.SECOND_REVIEW, review_id, second_review="revision")]
    rows = compare(claim_facts(data.claims), record)
    open_numbers = {r.number for r in rows if not r.settled}
    bad = [c for c in data.claims if c.number in open_numbers]
    if not bad:
        return []
    ids, numbers = tuple(c.id for c in bad), tuple(c.number for c in bad)
    return [GateProblem(GateRule.SECOND_REVIEW, review_id, ids, numbers, second_review="unsettled")]


def claim_facts(claims: list[Claim]) -> list[ClaimFacts]:
    """What the second-review comparison needs of each claim."""
    return [ClaimFacts(c.number, c.stable_id, c.quote, c.status, c.note) for c in claims]
