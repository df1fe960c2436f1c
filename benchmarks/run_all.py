"""Run every benchmarks/bench_*.py and write benchmarks/RESULTS.md (figures, machine, date).

.venv/bin/python benchmarks/run_all.py [--quick] [--out PATH] [--only NAME ...]

Every benchmark must accept --quick (a short run: fewer repetitions, smaller inputs, skipping
what needs an absent corpus) and print its figures on stdout. --quick passes it on and writes
no RESULTS.md unless --out is given: CI runs it so that no benchmark rots, without judging times.
--only runs the benchmarks named (bench_start.py ...) and puts their sections in place of the
ones RESULTS.md holds, each saying when it was rerun (a run disturbed by other work, redone).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def run(bench: Path, quick: bool) -> tuple[int, str, float]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(bench), *(["--quick"] if quick else [])],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
    )
    output = done.stdout.strip()
    if done.returncode:
        output += "\n" + done.stderr.strip()
    return done.returncode, output, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    parser.add_argument("--out", type=Path, help="where to write the results (Markdown)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="rerun these benchmarks")
    args = parser.parse_args()
    out = args.out or (None if args.quick else HERE / "RESULTS.md")
    benches = sorted(HERE.glob("bench_*.py"))
    if args.only:
        unknown = set(args.only) - {b.name for b in benches}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        benches = [b for b in benches if b.name in args.only]
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    sections: dict[str, str] = {}
    failed = []
    for bench in benches:
        print(f"== {bench.name}", flush=True)
        code, output, seconds = run(bench, args.quick)
        print(output, flush=True)
        if code:
            failed.append(bench.name)
        status = f"exit {code}, " if code else ""
        rerun = f"; rerun on {when}" if args.only else ""
        sections[bench.name] = (
            f"## {bench.name}\n\n({status}{seconds:.0f} s{rerun})\n\n```\n{output}\n```\n"
        )
    if out is not None and args.only:
        head, kept = split_results(out.read_text(encoding="utf-8"))
        out.write_text(head + "\n".join({**kept, **sections}.values()), encoding="utf-8")
        print(f"updated {out}")
    elif out is not None:
        head = (
            "# Benchmark results\n\n"
            f"Written by `make bench` (benchmarks/run_all.py{' --quick' if args.quick else ''}) "
            f"on {when}.\n\nMachine: {machine()}.\n\n"
        )
        out.write_text(head + "\n".join(sections.values()), encoding="utf-8")
        print(f"wrote {out}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def split_results(text: str) -> tuple[str, dict[str, str]]:
    """RESULTS.md as its head and its sections by benchmark name, in their order."""
    head, *parts = text.split("\n## ")
    sections = {}
    for part in parts:
        name = part.split("\n", 1)[0].strip()
        sections[name] = f"## {part.rstrip()}\n"
    return head + "\n", sections


if __name__ == "__main__":
    sys.exit(main())
