"""Print the cold build time of each control-plane component, the warm (cached) time, the start-up time of the
control plane, and the wall time of the apply tier.

Cold means an empty project cache directory (with --cold-go also empty Go module and build caches: what a clean
CI machine sees). `--warm` skips the cold build and uses the project cache as it is, for a machine busy with
other builds. Run: `.venv/bin/python bench/cluster.py [--cold-go | --warm] [--no-tier]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tooling import clusterbuild, localcluster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    build = parser.add_mutually_exclusive_group()
    build.add_argument("--cold-go", action="store_true", help="also start from empty Go caches (full builds)")
    build.add_argument("--warm", action="store_true", help="no cold build: time the project cache as it is")
    parser.add_argument("--no-tier", action="store_true", help="skip running the apply tier")
    args = parser.parse_args()
    if args.warm:
        _warm()
    else:
        _cold(args.cold_go)
    if not args.no_tier:
        _tier()


def _start_up(binaries: clusterbuild.Binaries) -> None:
    started = time.monotonic()
    with localcluster.start(binaries):
        print(f"control plane start-up to healthy: {time.monotonic() - started:.1f} s")


def _warm() -> None:
    started = time.monotonic()
    binaries = clusterbuild.ensure(log=lambda _: None)
    print(f"warm (cached) lookup: {time.monotonic() - started:.2f} s (project cache; no cold build measured)")
    _start_up(binaries)


def _cold(cold_go: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="tfdom-bench-cluster-") as tmp:
        root = Path(tmp) / "cache"
        if cold_go:
            os.environ.update(GOMODCACHE=str(Path(tmp) / "gomod"), GOCACHE=str(Path(tmp) / "gobuild"))
        started = time.monotonic()
        binaries = clusterbuild.ensure(root=root, log=lambda _: None)
        cold = time.monotonic() - started
        for component, seconds in binaries.built.items():
            print(f"cold build {component}: {seconds:.0f} s")
        print(f"cold build total: {cold:.0f} s{' (empty Go caches)' if cold_go else ' (Go caches as they are)'}")
        started = time.monotonic()
        clusterbuild.ensure(root=root, log=lambda _: None)
        print(f"warm (cached) lookup: {time.monotonic() - started:.2f} s")
        _start_up(binaries)
        if cold_go:
            subprocess.run(["chmod", "-R", "u+w", tmp], check=False)


def _tier() -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [str(ROOT / "run"), "test", "-m", "apply", "-q", "tests/apply/test_cluster_apply.py"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    summary = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    elapsed = time.monotonic() - started
    print(f"apply tier (tests/apply/test_cluster_apply.py, warm caches): {elapsed:.0f} s; {summary}")


if __name__ == "__main__":
    main()
