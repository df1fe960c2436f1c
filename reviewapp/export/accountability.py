"""AI involvement, editorial responsibility and review scope in the exports: one JSON shape (the
bundle's, and the attestation's predicate), the signed Markdown's front matter keys (read back
by ``accountability_from_front_matter``) and its human-readable section."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from reviewapp.core import scales
from reviewapp.core.errors import BadInput, ReviewAppError
from reviewapp.core.model import AiInvolvement, EditorialResponsibility, ReviewData, ReviewScope
from reviewapp.core.sourcetypes import (
    IPTC_DIGITAL_SOURCE_TYPE,
    SOURCE_TYPE,
    check_source_type,
    source_type_label,
)
from reviewapp.core.states import AiAssisted, AiRole
from reviewapp.export import mdtext as md

SECTION_TITLE = "AI involvement and editorial responsibility"
NOT_RECORDED = (
    "Not recorded: this review was made before reviewapp recorded AI involvement, editorial "
    "responsibility and the review's scope, and nobody has answered for them since."
)


@dataclass(frozen=True)
class Accountability:
    """The three records of a review, and whether they were recorded at all."""

    ai: AiInvolvement = field(default_factory=AiInvolvement)
    responsibility: EditorialResponsibility = field(default_factory=EditorialResponsibility)
    scope: ReviewScope = field(default_factory=ReviewScope)
    recorded: bool = True

    @classmethod
    def of(cls, data: ReviewData) -> Accountability:
        return cls(data.ai, data.responsibility, data.scope, data.accountability_recorded)


# ---------------------------------------------------------------------- JSON
def accountability_json(data: ReviewData) -> dict[str, Any]:
    """The JSON shape of the three records (source_type_uri is derived and not read back)."""
    ai = data.ai
    return {
        "recorded": data.accountability_recorded,
        "ai_involvement": {
            "assisted": str(ai.assisted),
            "unknown_reason": ai.unknown_reason,
            "tools": ai.tools,
            "roles": [str(r) for r in ai.roles],
            "role_other": ai.role_other,
            "source_type": ai.source_type,
            "source_type_uri": IPTC_DIGITAL_SOURCE_TYPE + ai.source_type if ai.source_type else "",
            "disclosure": ai.disclosure,
            "disclosure_start": ai.disclosure_start,
            "disclosure_end": ai.disclosure_end,
        },
        "editorial_responsibility": asdict(data.responsibility),
        "review_scope": asdict(data.scope),
    }


def _field(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise BadInput(f"{where} has no {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise BadInput(f"{where}.{key} has the wrong type")
    return value


def accountability_from_json(obj: Any, where: str = "accountability") -> Accountability:
    """The inverse of accountability_json; BadInput naming the first problem."""
    recorded = _field(obj, "recorded", bool, where)
    ai_obj = _field(obj, "ai_involvement", dict, where)
    w = f"{where}.ai_involvement"
    strings = {
        k: _field(ai_obj, k, str, w)
        for k in ("assisted", "unknown_reason", "tools", "role_other", "source_type", "disclosure")
    }
    roles = _field(ai_obj, "roles", list, w)
    positions = [
        _field(ai_obj, k, (int, type(None)), w) for k in ("disclosure_start", "disclosure_end")
    ]
    resp_obj = _field(obj, "editorial_responsibility", dict, where)
    scope_obj = _field(obj, "review_scope", dict, where)
    try:
        check_source_type(strings["source_type"])
        ai = AiInvolvement(
            assisted=AiAssisted.parse(strings["assisted"]),
            unknown_reason=strings["unknown_reason"],
            tools=strings["tools"],
            roles=tuple(AiRole.parse(r) for r in roles),
            role_other=strings["role_other"],
            source_type=strings["source_type"],
            disclosure=strings["disclosure"],
            disclosure_start=positions[0],
            disclosure_end=positions[1],
        )
    except ReviewAppError as exc:
        raise BadInput(f"{w}: {exc}") from exc
    responsibility = EditorialResponsibility(
        **{
            f.name: _field(resp_obj, f.name, str, f"{where}.editorial_responsibility")
            for f in fields(EditorialResponsibility)
        }
    )
    scope = ReviewScope(
        **{
            f.name: _field(scope_obj, f.name, bool, f"{where}.review_scope")
            for f in fields(ReviewScope)
        }
    )
    return Accountability(ai, responsibility, scope, recorded)


# ---------------------------------------------------------------------- front matter
def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def front_matter_fields(data: ReviewData) -> list[tuple[str, str | int]]:
    """The front matter keys of the three records; none for a review that never recorded them."""
    if not data.accountability_recorded:
        return []
    ai, resp, scope = data.ai, data.responsibility, data.scope
    out: list[tuple[str, str | int]] = [
        ("ai_assisted", str(ai.assisted)),
        ("ai_unknown_reason", ai.unknown_reason),
        ("ai_tools", ai.tools),
        ("ai_roles", ", ".join(ai.roles)),
        ("ai_role_other", ai.role_other),
        ("ai_source_type", ai.source_type),
        ("ai_source_type_uri", IPTC_DIGITAL_SOURCE_TYPE + ai.source_type if ai.source_type else ""),
        ("ai_disclosure", ai.disclosure),
    ]
    if ai.disclosure_start is not None and ai.disclosure_end is not None:
        out += [
            ("ai_disclosure_start", ai.disclosure_start),
            ("ai_disclosure_end", ai.disclosure_end),
        ]
    out += [
        ("responsibility_holder", resp.holder),
        ("responsibility_role", resp.role),
        ("responsibility_contact", resp.contact),
    ]
    return out + [(f"scope_{f.name}", _yes(getattr(scope, f.name))) for f in fields(ReviewScope)]


def accountability_from_front_matter(values: dict[str, str]) -> Accountability:
    """The records as a signed Markdown's front matter states them (front_matter_fields read
    back); recorded is False when it has none (a review signed before they were recorded)."""
    if "ai_assisted" not in values:
        return Accountability(recorded=False)

    def position(key: str) -> int | None:
        return int(values[key]) if values.get(key, "").isdigit() else None

    roles = [r.strip() for r in values.get("ai_roles", "").split(",") if r.strip()]
    ai = AiInvolvement(
        assisted=AiAssisted.parse(values["ai_assisted"]),
        unknown_reason=values.get("ai_unknown_reason", ""),
        tools=values.get("ai_tools", ""),
        roles=tuple(AiRole.parse(r) for r in roles),
        role_other=values.get("ai_role_other", ""),
        source_type=values.get("ai_source_type", ""),
        disclosure=values.get("ai_disclosure", ""),
        disclosure_start=position("ai_disclosure_start"),
        disclosure_end=position("ai_disclosure_end"),
    )
    responsibility = EditorialResponsibility(
        values.get("responsibility_holder", ""),
        values.get("responsibility_role", ""),
        values.get("responsibility_contact", ""),
    )
    scope = ReviewScope(
        **{f.name: values.get(f"scope_{f.name}") == "yes" for f in fields(ReviewScope)}
    )
    return Accountability(ai, responsibility, scope)


# ---------------------------------------------------------------------- plain words
def accountability_text(data: ReviewData) -> str:
    """The record in a few plain sentences (the W3C export's body)."""
    if not data.accountability_recorded:
        return NOT_RECORDED
    ai, resp, scope = data.ai, data.responsibility, data.scope
    lines = [f"AI assisted: {scales.AI_ASSISTED[ai.assisted]}."]
    if ai.assisted == AiAssisted.UNKNOWN and ai.unknown_reason:
        lines.append(f"Why unknown: {ai.unknown_reason}.")
    if ai.tools:
        lines.append(f"Tools, as the writer declared them: {ai.tools}.")
    if ai.roles:
        roles = [scales.AI_ROLES[r] for r in ai.roles if r != AiRole.OTHER]
        if AiRole.OTHER in ai.roles:
            roles.append(ai.role_other or "other")
        lines.append(f"What the AI did: {'; '.join(roles)}.")
    if ai.source_type:
        lines.append(f"Digital source type: {source_type_label(ai.source_type)}.")
    holder = resp.holder or "nobody named"
    lines.append(f"Editorial responsibility: {holder}" + (f" ({resp.role})" if resp.role else ""))
    if resp.contact:
        lines[-1] += f", {resp.contact}"
    lines[-1] += "."
    ticked = [label for name, label in scales.REVIEW_SCOPE.items() if getattr(scope, name)]
    lines.append("The reviewer attests: " + ("; ".join(ticked) if ticked else "nothing") + ".")
    return " ".join(lines)


# ---------------------------------------------------------------------- Markdown section
def source_type_text(code: str) -> str:
    """'Created by AI (IPTC: trainedAlgorithmicMedia)', as the Markdown writes it."""
    known = SOURCE_TYPE.get(code)
    label = known.label if known else code
    iptc = md.link(code, IPTC_DIGITAL_SOURCE_TYPE + code)
    return f"{md.inline(label)} (IPTC digital source type {iptc})"


def markdown_section(data: ReviewData) -> list[str]:
    """The "AI involvement and editorial responsibility" section of the Markdown export."""
    head = f"## {SECTION_TITLE}"
    if not data.accountability_recorded:
        return [head, NOT_RECORDED]
    ai, resp, scope = data.ai, data.responsibility, data.scope
    assisted = md.inline(scales.AI_ASSISTED[ai.assisted])
    if ai.assisted == AiAssisted.UNKNOWN:
        why = md.inline(ai.unknown_reason) if ai.unknown_reason else "no reason given"
        assisted += f" ({why})"
    roles = [scales.AI_ROLES[r] for r in ai.roles if r != AiRole.OTHER]
    if AiRole.OTHER in ai.roles:
        roles.append(f"Other: {ai.role_other}" if ai.role_other else "Other")
    holder = md.inline(resp.holder) if resp.holder else "nobody named"
    if resp.role:
        holder += f" ({md.inline(resp.role)})"
    facts = [
        ("AI assisted", assisted),
        ("AI tools, as the writer declared them", md.inline(ai.tools)),
        ("What the AI did", md.inline("; ".join(roles))),
        ("Digital source type", source_type_text(ai.source_type) if ai.source_type else ""),
        ("The writer's disclosure", f"“{md.inline(ai.disclosure)}”" if ai.disclosure else ""),
        ("Editorial responsibility", holder),
        ("Public contact", md.inline(resp.contact)),
    ]
    lines = "\n".join(f"- **{label}:** {value}" for label, value in facts if value)
    attested = "\n".join(
        f"- {md.inline(label)}: **{_yes(getattr(scope, name))}**"
        for name, label in scales.REVIEW_SCOPE.items()
    )
    return [head, lines, "The reviewer attests to the scope of this review:", attested]
