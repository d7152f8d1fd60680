"""Print the wall time and test count of test tiers: by default the static tier (the fast gate, pure file reads)
and the lint tier (the linters of `./run lint`), each in its own pytest session as `./run test -m <tier>` runs it.

Run: `.venv/bin/python bench/tiers.py [--tiers static,lint] [--workers 2]`. The machine's other work shows in
the wall time (the load average is printed beside it); the CPU time, of the session and every process it waited
for, is the steadier figure to compare.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTCOMES = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tier(tier: str, workers: int) -> tuple[float, float, dict[str, int], int]:
    """Wall seconds, CPU seconds (the session and every process it waited for), outcome counts from pytest's
    last line, and the exit status of one tier's session."""
    args = [sys.executable, "-m", "pytest", "-m", tier, "-q", "-p", "no:cacheprovider", "-n", str(workers)]
    started, cpu = time.monotonic(), _children_cpu()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    wall, cpu = time.monotonic() - started, _children_cpu() - cpu
    last = next((line for line in reversed(proc.stdout.splitlines()) if OUTCOMES.search(line)), "")
    counts = {kind.rstrip("s") if kind.startswith("error") else kind: int(n) for n, kind in OUTCOMES.findall(last)}
    return wall, cpu, counts, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiers", default="static,lint", help="comma-separated tier markers (default static,lint)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers, as `-n` (default 2; 0: none)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    failed = False
    for tier in [name.strip() for name in args.tiers.split(",") if name.strip()]:
        wall, cpu, counts, status = run_tier(tier, args.workers)
        ran = sum(n for kind, n in counts.items() if kind != "deselected")
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items() if kind != "deselected")
        print(f"{tier}: {ran} tests ({detail or 'no summary'}) in {wall:.1f} s wall, {cpu:.0f} s CPU, -n {args.workers}"
              + ("" if status == 0 else f" (pytest exit status {status})"))
        failed = failed or status != 0
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
