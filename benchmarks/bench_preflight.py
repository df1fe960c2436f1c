"""What the display preflight adds to `reviewapp`'s start: importing it and checking X11.

.venv/bin/python benchmarks/bench_preflight.py [--quick]

Each figure is the median over fresh processes of the time inside the process (interpreter
start-up and the CLI's own imports excluded, as `reviewapp` has them loaded when it opens the
window): importing reviewapp.launch.preflight and running it on an X11 environment
(every library of Qt's xcb plugin looked up in the loader's cache), beside the floor of
importing PySide6.QtWidgets measured the same way in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREFLIGHT = """
import time
import reviewapp.cli  # loaded before open_gui runs the preflight: not its cost
began = time.perf_counter()
from reviewapp.launch.preflight import preflight
result = preflight({"DISPLAY": ":0"})
print(time.perf_counter() - began)
"""
QT_IMPORT = """
import time
began = time.perf_counter()
import PySide6.QtWidgets
print(time.perf_counter() - began)
"""


def median_seconds(script: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> int:
    runs = 3 if "--quick" in sys.argv[1:] else 15
    preflight = median_seconds(PREFLIGHT, runs)
    qt = median_seconds(QT_IMPORT, runs)
    print(f"preflight (import + X11 check), median of {runs}: {preflight * 1000:.1f} ms")
    print(f"floor: import PySide6.QtWidgets, median of {runs}: {qt * 1000:.1f} ms")
    print(f"preflight / Qt import: {preflight / qt:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
