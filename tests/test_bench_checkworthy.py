"""benchmarks/bench_checkworthy.py and its labelled set: without the corpus it says so and exits
0; the labels keep no corpus text, only where each sentence is and a hash of it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_checkworthy.py"
SETS = ROOT / "benchmarks" / "checkworthy"


def test_the_two_sets_share_no_article():
    def articles(name: str) -> set[str]:
        with (SETS / f"{name}.tsv").open(encoding="utf-8", newline="") as f:
            return {r["article"] for r in csv.DictReader(f, delimiter="\t")}

    assert not articles("labels") & articles("heldout")


def test_without_the_corpus_the_bench_says_so_and_exits_0(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--corpus", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skipped: no evaluation corpus at ")


@pytest.mark.parametrize(
    ("name", "sentences", "articles"), [("labels", 400, 20), ("heldout", 200, 10)]
)
def test_the_labels_hold_no_sentence_text_only_where_each_sentence_is(name, sentences, articles):
    with (SETS / f"{name}.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert list(rows[0]) == ["article", "start", "end", "hash", "label"]
    assert len(rows) >= sentences and len({r["article"] for r in rows}) >= articles
    for r in rows:
        assert r["article"].endswith(".txt") and len(r["article"]) == 68
        assert int(r["end"]) > int(r["start"]) >= 0
        assert len(r["hash"]) == 16 and int(r["hash"], 16) >= 0
        assert r["label"] in ("0", "1")
