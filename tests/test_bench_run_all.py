"""benchmarks/run_all.py --only reruns some benchmarks and puts their sections in place of the
old ones: every other section of RESULTS.md stays byte for byte, in its order."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

RESULTS = """# Benchmark results

Written by `make bench` on 2026-12-04 19:09 UTC.

## bench_archive.py

(66 s)

```
archive figures
```

## bench_capture.py

(1 s)

```
capture figures
```

## bench_gui.py

(4 s)

```
gui figures
```
"""


CAPTURE_ONLY = ("--only", "bench_capture.py")  # a benchmark of about a second


def test_a_rerun_replaces_only_its_own_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text(RESULTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "benchmarks/run_all.py", "--quick", "--out", str(out), *CAPTURE_ONLY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    head, archive, capture, gui = text.split("\n## ")
    assert head == RESULTS.split("\n## ")[0]
    assert archive == RESULTS.split("\n## ")[1]
    assert gui == RESULTS.split("\n## ")[3]
    assert capture.startswith("bench_capture.py\n\n(") and "rerun on " in capture
    assert "capture figures" not in capture and "record + store" in capture


def test_an_unknown_benchmark_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text(RESULTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "benchmarks/run_all.py", "--out", str(out), "--only", "bench_nope.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "no such benchmark: bench_nope.py" in done.stderr
    assert out.read_text(encoding="utf-8") == RESULTS
