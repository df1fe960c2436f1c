"""Finding the writer's own AI disclosure line in a draft ("written with AI assistance", ...).

The app only offers what this finds: the editor confirms a line before it is recorded. So the
rule is built to stay quiet on news *about* AI ("essays written with ChatGPT scored lower"),
which is most of what our users review, at the cost of missing an oddly worded disclosure (the
editor can always type one). A sentence is a disclosure when it names an AI and either

- speaks of this text ("this article", "this story", ...) and how it was made (written,
  generated, "AI-assisted", ...), or
- opens with how it was made ("Written with the help of ChatGPT.", "Generated using Claude."),
  or with a disclosure label ("Disclosure: ...", "AI note: ...").

Offsets are code points into the canonical text; sentences never cross blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from reviewapp.core.text import BLOCK_SEPARATOR

if TYPE_CHECKING:
    from reviewapp.core.model import ReviewData

# Names of AI systems and words for AI that a disclosure uses. Word-bounded; "AI" only in
# capitals (so "ai" inside other words or languages does not count).
_AI = re.compile(
    r"\b(?:A\.?I\.?|(?i:artificial intelligence|generative|machine[- ]learning|"
    r"(?:large )?language models?|LLMs?|chat ?bots?|ChatGPT|GPT-?\d[\w.-]*|OpenAI|Claude|"
    r"Anthropic|Gemini|Bard|Copilot|Llama|Mistral|Perplexity|Jasper|DeepSeek|Grok))\b"
)
_MADE = (
    r"writ(?:e|es|ten|ing)|wrote|produc(?:e|ed|ing)|creat(?:e|ed|ing)|generat(?:e|ed|ing)|"
    r"draft(?:ed|ing)?|prepar(?:e|ed|ing)|compos(?:e|ed|ing)|edit(?:ed|ing)?|"
    r"translat(?:e|ed|ing)|summari[sz](?:e|ed|ing)|compil(?:e|ed|ing)|assisted"
)
# "this article", "the following story", "parts of this piece"
_THIS_TEXT = re.compile(
    r"\b(?i:this|the following|the present)\s+(?i:article|story|piece|post|report|text|"
    r"summary|translation|newsletter|column|commentary|editorial|analysis|draft|explainer|"
    r"blog post)\b"
)
_MADE_WORD = re.compile(rf"\b(?i:{_MADE})\b|\bAI[- ](?i:assisted|generated|written|produced)\b")
_OPENS_MADE = re.compile(rf"^\W*(?i:{_MADE})\s+(?i:with|using|by|through|in\s+part)\b")
_OPENS_LABEL = re.compile(
    r"^\W*(?i:(?:AI|artificial intelligence)\s+)?(?i:disclosure|transparency note|"
    r"note on (?:AI|artificial intelligence)|AI note|AI use)\s*[:\-–—]"
)
# Where a sentence ends: after . ! ? (and any closing quote or bracket), before whitespace and
# a capital letter, a digit or an opening quote. "U.S. and EU" stays one sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


# Each name _AI matches contains one of these (case-folded; "AI" and "A.I" are tested as
# written, since _AI takes them in capitals only). A block with none cannot match _AI.
_AI_HINTS = (
    "artificial intelligence", "generative", "machine", "language model", "llm", "chat",
    "gpt", "openai", "claude", "anthropic", "gemini", "bard", "copilot", "llama", "mistral",
    "perplexity", "jasper", "deepseek", "grok",
)  # fmt: skip


def _may_name_an_ai(text: str) -> bool:
    """False only when _AI cannot match anywhere in text (a cheap test before the pattern)."""
    if "AI" in text or "A.I" in text:
        return True
    folded = text.casefold()
    return any(hint in folded for hint in _AI_HINTS)


@dataclass(frozen=True)
class DisclosureLine:
    """A sentence of the draft that reads as the writer's AI disclosure."""

    start: int  # code points into the canonical text
    end: int
    text: str


def is_disclosure(sentence: str) -> bool:
    """Whether one sentence reads as the writer saying AI helped make this text."""
    if not _AI.search(sentence):
        return False
    if _OPENS_LABEL.search(sentence) or _OPENS_MADE.search(sentence):
        return True
    return bool(_THIS_TEXT.search(sentence) and _MADE_WORD.search(sentence))


def _sentences(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one block, without the spaces between them."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(block)))
    return [(s, e) for s, e in spans if block[s:e].strip()]


def find_disclosures(text: str) -> list[DisclosureLine]:
    """Every sentence of the canonical text that reads as an AI disclosure, in text order."""
    found, offset = [], 0
    for block in text.split(BLOCK_SEPARATOR):
        # Every disclosure names an AI, so a block without a hint of one has none: plain
        # substring tests in C (~3 ms for 100,000 words) instead of the word-bounded pattern
        # per sentence (~50 ms, held on the reader thread while the review opens).
        if not _may_name_an_ai(block):
            offset += len(block) + len(BLOCK_SEPARATOR)
            continue
        for start, end in _sentences(block):
            sentence = block[start:end]
            if is_disclosure(sentence):
                found.append(DisclosureLine(offset + start, offset + end, sentence))
        offset += len(block) + len(BLOCK_SEPARATOR)
    return found


@lru_cache(maxsize=4)
def disclosures_of(text: str) -> tuple[DisclosureLine, ...]:
    """find_disclosures, remembered for the last few texts: the window's review header asks
    after every edit (the reader thread asks first, when it reads a review to open)."""
    return tuple(find_disclosures(text))


def pending_disclosure(data: ReviewData) -> DisclosureLine | None:
    """The first disclosure line found in the draft that is not the one recorded, if any."""
    pinned = data.ai.disclosure_span(data.revision.text)
    # Read once per text (disclosures_of remembers it; the reader thread asks first when a
    # review opens): the review header asks after every edit.
    for line in disclosures_of(data.revision.text):
        if (line.start, line.end) != pinned and line.text != data.ai.disclosure:
            return line
    return None
