"""Print cold and warm `invoke setup` times and the provider mirror's size.

Cold means an empty project cache directory (and, with --cold-go, empty Go module and build caches too);
warm is a second run right after. Run: `.venv/bin/python bench/toolchain.py [--cold-go]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tooling import toolchain


def timed_setup(env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "invoke", "setup"], env=env, check=True, stdout=subprocess.DEVNULL,
                   cwd=Path(__file__).resolve().parent.parent)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cold-go", action="store_true", help="also start from empty Go caches (slow: full builds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfdom-bench-") as tmp:
        env = {**os.environ, "TFDOM_CACHE_DIR": str(Path(tmp) / "cache")}
        if args.cold_go:
            env.update(GOMODCACHE=str(Path(tmp) / "gomod"), GOCACHE=str(Path(tmp) / "gobuild"))
        cold = timed_setup(env)
        warm = timed_setup(env)
        os.environ["TFDOM_CACHE_DIR"] = env["TFDOM_CACHE_DIR"]
        chain = toolchain.setup(log=lambda _: None)
        size = toolchain.mirror_size(chain.mirror)
        print(f"binary: {chain.binary.kind} {chain.binary.version} ({chain.binary.path})")
        built = sorted(chain.built) or "none this run"
        print(f"providers: {chain.mode}; built {built}; unavailable {sorted(chain.missing)}")
        print(f"cold setup: {cold:.1f} s{' (empty Go caches)' if args.cold_go else ' (Go caches as they are)'}")
        print(f"warm setup: {warm:.1f} s")
        print(f"mirror size: {size / 1e6:.1f} MB")
        if args.cold_go:
            subprocess.run(["chmod", "-R", "u+w", tmp], check=False)


if __name__ == "__main__":
    main()
