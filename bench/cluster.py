"""Print the cold build time of each control-plane component, the warm (cached) time, the start-up time of the
control plane, and the wall time of the apply tier.

Cold means an empty project cache directory (with --cold-go also empty Go module and build caches: what a clean
CI machine sees). Run: `.venv/bin/python bench/cluster.py [--cold-go] [--no-tier]`.
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
    parser.add_argument("--cold-go", action="store_true", help="also start from empty Go caches (full builds)")
    parser.add_argument("--no-tier", action="store_true", help="skip running the apply tier")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfdom-bench-cluster-") as tmp:
        root = Path(tmp) / "cache"
        if args.cold_go:
            os.environ.update(GOMODCACHE=str(Path(tmp) / "gomod"), GOCACHE=str(Path(tmp) / "gobuild"))
        started = time.monotonic()
        binaries = clusterbuild.ensure(root=root, log=lambda _: None)
        cold = time.monotonic() - started
        for component, seconds in binaries.built.items():
            print(f"cold build {component}: {seconds:.0f} s")
        print(f"cold build total: {cold:.0f} s{' (empty Go caches)' if args.cold_go else ' (Go caches as they are)'}")
        started = time.monotonic()
        clusterbuild.ensure(root=root, log=lambda _: None)
        print(f"warm (cached) lookup: {time.monotonic() - started:.2f} s")
        started = time.monotonic()
        with localcluster.start(binaries):
            print(f"control plane start-up to healthy: {time.monotonic() - started:.1f} s")
        if args.cold_go:
            subprocess.run(["chmod", "-R", "u+w", tmp], check=False)
    if not args.no_tier:
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
