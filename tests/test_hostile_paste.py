"""A paste is bounded like a file: every hostile HTML and text file of
tests/hostile/ingest_cases.py, pasted instead (as clipboard HTML or as plain text), is refused
with the same one-line reason or imported, under the same limits. The GUI's Paste as New Draft
and a drop of text read through load_pasted_text, so this is the bound they get."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.errors import BadInput
from reviewapp.ingest import load_pasted_text
from reviewapp.ingest.settings import IngestSettings
from tests.hostile import HostileCase
from tests.hostile.ingest_cases import CASES

PASTABLE = {".html": "html", ".txt": "text", ".md": "text"}
# The file-only refusals: a paste has no file name, and an empty one is refused in its own words.
FILE_ONLY = ("over the", "is empty", "cannot import")
CASES_AS_PASTES = [
    c
    for c in CASES
    if c.name.split(":")[0] in ("html", "md", "txt") and not any(e in c.expect for e in FILE_ONLY)
]


def _as_paste(case: HostileCase, folder: Path) -> tuple[dict[str, str], IngestSettings]:
    """The case's file as a paste's keyword arguments, and its command-line limits as settings."""
    args = case.test_build()(folder)
    path = Path(args[-1])
    limits: dict[str, float] = {}
    options = args[1:-1]
    for flag, value in zip(options[::2], options[1::2], strict=True):
        field = flag.removeprefix("--").replace("-", "_")
        limits[field] = float(value) if field == "max_seconds" else int(value)
    data = path.read_bytes()
    # A NUL byte reaches a paste as the character; the clipboard delivers text, not bytes.
    text = data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8")
    return {"text": "", PASTABLE[path.suffix]: text}, IngestSettings(**limits)


@pytest.mark.parametrize("case", CASES_AS_PASTES, ids=[c.name for c in CASES_AS_PASTES])
def test_a_hostile_paste_is_refused_in_one_line_or_imported(case: HostileCase, tmp_path: Path):
    paste, settings = _as_paste(case, tmp_path)
    if not case.expect:
        draft = load_pasted_text(**paste, settings=settings)
        assert draft.document.text.strip()
        return
    with pytest.raises(BadInput) as refused:
        load_pasted_text(**paste, settings=settings)
    message = str(refused.value)
    assert "\n" not in message
    assert case.expect in message, message


def test_the_suite_covers_html_and_text_pastes():
    kinds = {c.name.split(":")[0] for c in CASES_AS_PASTES}
    assert kinds == {"html", "md", "txt"} and len(CASES_AS_PASTES) >= 10


def test_a_paste_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(BadInput, match=r"the paste is .* over the 1 KB limit"):
        load_pasted_text("Title\n\n" + "word " * 400, settings=IngestSettings(max_bytes=1024))


def test_a_paste_past_its_deadline_is_refused():
    grid = ("<p>" + '<a href="/x">a</a> b ' * 90 + "</p>") * 200
    with pytest.raises(BadInput, match=r"took longer than 0\.05 s"):
        load_pasted_text("", f"<article>{grid}</article>", IngestSettings(max_seconds=0.05))
