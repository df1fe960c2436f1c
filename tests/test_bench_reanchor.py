"""benchmarks/bench_reanchor.py without its corpus stops at once with a one-line message and exit
status 1 (it used to loop for ever building its 100,000-word article from no text at all)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_reanchor.py"


def _run(corpus: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), "--corpus", str(corpus), "--seeds", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The benchmark as a module (registered while it runs: its dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location("bench_reanchor", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_reanchor", module)
    monkeypatch.setattr(sys, "path", list(sys.path))  # it puts the project root on the path
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layout", ["missing", "no truth folder", "empty truth", "blank texts"])
def test_without_article_texts_the_benchmark_stops_with_a_message(tmp_path: Path, layout: str):
    corpus = tmp_path / "corpus"
    if layout != "missing":
        corpus.mkdir()
    if layout in ("empty truth", "blank texts"):
        (corpus / "truth").mkdir()
    if layout == "blank texts":
        (corpus / "truth" / "a.txt").write_text(" \n\n \n", encoding="utf-8")
    result = _run(corpus)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"bench_reanchor: no article texts in {corpus / 'truth'} (*.txt): "
        "point --corpus at the evaluation corpus (its truth/ folder holds the articles)"
    )


def test_the_big_article_refuses_texts_without_words(bench: ModuleType):
    with pytest.raises(ValueError, match="no words"):
        bench.big_article(["", " \n "], 1_000)


def test_the_big_article_is_built_from_a_small_corpus_too(bench: ModuleType):
    text = bench.big_article(["One two three four.\n\nFive six seven."], 10)
    assert len(text.split()) >= 10
    assert "four. three two One" in text  # the second round has every line's words reversed


def test_the_big_article_never_repeats_a_line_word_for_word(bench: ModuleType):
    # A third round would repeat the first: a small corpus gives a shorter article instead
    # (2,000 claims on repeated text took minutes to place).
    lines = bench.big_article(["One two three four.\n\nFive six seven."], 1_000).split("\n")
    assert len(lines) == len(set(lines)) == 4
