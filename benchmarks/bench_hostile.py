"""Benchmark: every hostile input of tests/hostile/*_cases.py, with the DEFAULT limits.

Not a test. Run from the project root:

    .venv/bin/python benchmarks/bench_hostile.py [--only SUBSTRING]

Each case runs `reviewapp --db DB ARGS` as a child process on a fresh database; its wall
time and peak memory (the child's own VmHWM, read as it exits: a child's ru_maxrss would start
at this process's size, which the bundle cases grow while building) are printed with whether it
ended as the case expects, then the worst time and memory, beside a floor measured in the
same run (`import trafilatura`, and bare trafilatura on a normal page). Exits 1 if any case
takes more than 20 s or 1 GB, or does not end as expected.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tests.hostile import HostileCase, all_cases  # noqa: E402

MAX_SECONDS = 20.0
MAX_MB = 1024.0
FLOOR_PAGE = (
    "import trafilatura; trafilatura.extract('<html><body><article>'"
    " + '<p>The council approved the budget on Monday after a long debate.</p>' * 40"
    " + '</article></body></html>')"
)


# Runs argv[1:] as `python -c` or `python -m` would, and writes the process's peak resident
# memory (VmHWM, kB: this process's own, fresh since exec) to the file named by BENCH_HWM_FILE.
PEAK_REPORTER = """
import atexit, os, runpy, sys
def report():
    with open('/proc/self/status') as status:
        peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))
    with open(os.environ['BENCH_HWM_FILE'], 'w') as out:
        out.write(peak)
atexit.register(report)
mode, target, *sys.argv = sys.argv[1:]
sys.argv.insert(0, target)
if mode == '-m':
    runpy.run_module(target, run_name='__main__', alter_sys=True)
else:
    exec(compile(target, '<string>', 'exec'), {'__name__': '__main__'})
"""


@dataclass
class Run:
    seconds: float
    mb: float
    code: int
    err: str


def run_child(mode: str, target: str, *args: str) -> Run:
    """`python MODE TARGET ARGS` to its end: wall time, peak memory, exit code, stderr."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as err:
        peak_file = Path(tmp) / "peak"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_HWM_FILE": str(peak_file)}
        command = [sys.executable, "-c", PEAK_REPORTER, mode, target, *args]
        start = time.perf_counter()
        code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=err, env=env).returncode
        seconds = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        peak_kb = int(peak_file.read_text()) if peak_file.exists() else 0
    return Run(seconds, peak_kb / 1024, code, text)


def run_case(case: HostileCase, directory: Path) -> tuple[Run, bool]:
    args = case.build(directory)
    run = run_child("-m", "reviewapp", "--db", str(directory / "r.db"), *args)
    if case.expect:
        ok = run.code == 2 and case.expect in run.err and run.err.count("\n") <= 1
    else:
        ok = run.code == 0
    return run, ok and "Traceback" not in run.err


def median_run(code: str, repeat: int = 3) -> Run:
    runs = sorted((run_child("-c", code) for _ in range(repeat)), key=lambda r: r.seconds)
    return runs[len(runs) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name holds this")
    parser.add_argument("--quick", action="store_true", help="only the first three cases")
    options = parser.parse_args(argv)
    cases = [c for c in all_cases() if options.only in c.name]
    if options.quick:
        cases = cases[:3]

    floors = {
        "python -c 'import trafilatura'": median_run("import trafilatura"),
        "trafilatura on a normal page": median_run(FLOOR_PAGE),
    }
    print(f"{'case':<62} {'s':>6} {'MB':>6}  result")
    for name, run in floors.items():
        print(f"{'floor: ' + name:<62} {run.seconds:>6.2f} {run.mb:>6.0f}")
    worst_time = worst_mb = 0.0
    worst_time_case = worst_mb_case = ""
    failed: list[str] = []
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            run, ok = run_case(case, Path(tmp))
        over = run.seconds > MAX_SECONDS or run.mb > MAX_MB
        verdict = "ok" if ok and not over else "FAIL"
        if verdict == "FAIL":
            failed.append(case.name)
        message = run.err.strip().splitlines()[-1][:70] if run.err.strip() else "(imported)"
        print(f"{case.name[:62]:<62} {run.seconds:>6.2f} {run.mb:>6.0f}  {verdict}: {message}")
        if run.seconds > worst_time:
            worst_time, worst_time_case = run.seconds, case.name
        if run.mb > worst_mb:
            worst_mb, worst_mb_case = run.mb, case.name
    floor = floors["python -c 'import trafilatura'"].seconds
    print(f"\n{len(cases)} cases; bounds {MAX_SECONDS:g} s and {MAX_MB:g} MB per case")
    print(
        f"worst time:   {worst_time:.2f} s ({worst_time / floor:.0f}x the import floor), "
        f"{worst_time_case}"
    )
    print(f"worst memory: {worst_mb:.0f} MB, {worst_mb_case}")
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
