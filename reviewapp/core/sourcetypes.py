"""The IPTC digital source types a text can have, in plain words, and the one an AI's roles
suggest.

The codes and URIs are those of the IPTC NewsCodes vocabulary "Digital Source Type"
(http://cv.iptc.org/newscodes/digitalsourcetype/), which schema.org's ``digitalSourceType``, C2PA
and the IPTC photo and video standards share. The vocabulary was made for images and video; only
the terms that can describe a written text are offered here, with a label an editor reads at a
glance beside the IPTC name (shown as a tip and written in the exports).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewapp.core.errors import BadInput
from reviewapp.core.states import AiAssisted, AiRole

IPTC_DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@dataclass(frozen=True)
class SourceType:
    """One IPTC digital source type as the editor sees it."""

    code: str  # e.g. "trainedAlgorithmicMedia"
    label: str  # the plain words the editor chooses from
    iptc_name: str  # the IPTC's own name (en-GB)
    explanation: str  # what it means for a written text
    # The schema.org IPTCDigitalSourceEnumeration member (digitalSourceType), "" when
    # schema.org has none for this code
    schema_org: str = ""

    @property
    def uri(self) -> str:
        return IPTC_DIGITAL_SOURCE_TYPE + self.code


# From most to least AI: the order of the editor's list. schema.org names the IPTC's former
# "digitalArt" (now digitalCreation) and has no member for humanEdits.
SOURCE_TYPES: tuple[SourceType, ...] = (
    SourceType(
        "trainedAlgorithmicMedia",
        "Created by AI",
        "Created using Generative AI",
        "A generative AI model wrote the text (or most of it) from a prompt or from other texts.",
        "https://schema.org/TrainedAlgorithmicMediaDigitalSource",
    ),
    SourceType(
        "compositeWithTrainedAlgorithmicMedia",
        "AI-assisted edit of human work",
        "Edited using Generative AI",
        "A person wrote the text and a generative AI model rewrote, translated or extended it.",
        "https://schema.org/CompositeWithTrainedAlgorithmicMediaDigitalSource",
    ),
    SourceType(
        "compositeSynthetic",
        "Human text with AI-written parts",
        "Composite including synthetic elements",
        "A person wrote the text; some parts, such as a headline or a summary box, came from AI.",
        "https://schema.org/CompositeSyntheticDigitalSource",
    ),
    SourceType(
        "algorithmicallyEnhanced",
        "Human text, lightly corrected by software",
        "Algorithmically-altered media",
        "Spelling or grammar software corrected the text without changing what it says.",
        "https://schema.org/AlgorithmicallyEnhancedDigitalSource",
    ),
    SourceType(
        "dataDrivenMedia",
        "Generated from data by a program",
        "Data-driven media",
        "A program wrote the text from data, e.g. results or weather reports, without AI.",
        "https://schema.org/DataDrivenMediaDigitalSource",
    ),
    SourceType(
        "humanEdits",
        "Human text, edited by people",
        "Human-edited media",
        "People wrote and edited the text with ordinary (non-generative) tools.",
    ),
    SourceType(
        "digitalCreation",
        "Written by a person",
        "Created by human using digital tools",
        "A person wrote the text with ordinary digital tools; no AI wrote any of it.",
        "https://schema.org/DigitalArtDigitalSource",
    ),
)
SOURCE_TYPE: dict[str, SourceType] = {t.code: t for t in SOURCE_TYPES}

# What each role of an AI suggests; a draft with several roles takes the most AI of them (the
# earliest in SOURCE_TYPES). "Other" suggests nothing: only the editor can say what it means.
ROLE_SOURCE_TYPE: dict[AiRole, str] = {
    AiRole.DRAFTED: "trainedAlgorithmicMedia",
    AiRole.SUMMARISED: "trainedAlgorithmicMedia",
    AiRole.REWROTE: "compositeWithTrainedAlgorithmicMedia",
    AiRole.TRANSLATED: "compositeWithTrainedAlgorithmicMedia",
    AiRole.HEADLINES: "compositeSynthetic",
}


def suggested_source_type(assisted: AiAssisted, roles: Iterable[AiRole]) -> str:
    """The source type the answers suggest (the editor may choose another); "" for none."""
    if assisted == AiAssisted.NO:
        return "digitalCreation"
    if assisted != AiAssisted.YES:
        return ""
    order = [t.code for t in SOURCE_TYPES]
    codes = [ROLE_SOURCE_TYPE[r] for r in roles if r in ROLE_SOURCE_TYPE]
    return min(codes, key=order.index) if codes else ""


def source_type_label(code: str) -> str:
    """The plain words for a code ("" for none); an unknown code is shown as it is."""
    known = SOURCE_TYPE.get(code)
    return known.label if known else code


def check_source_type(code: str) -> str:
    """code when it is one of SOURCE_TYPES or ""; BadInput naming the known codes otherwise."""
    if code and code not in SOURCE_TYPE:
        known = ", ".join(SOURCE_TYPE)
        raise BadInput(f"unknown digital source type {code!r}; known: {known}")
    return code
