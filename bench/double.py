"""Print the build time and size of the test-only provider doubles, cold (empty Go module and build caches) and
warm (caches from the cold run), and the time `terraform validate` takes on the double's fixture with it.

Run: `.venv/bin/python bench/double.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tooling import gobuild, pins, tfrun, toolchain


def timed_build(double: pins.Double, address: str, output: Path) -> float:
    started = time.monotonic()
    gobuild.build_double(double, address, output)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="validate runs to take the median of")
    args = parser.parse_args()
    pinned = pins.load()
    with tempfile.TemporaryDirectory(prefix="tfdom-bench-double-") as tmp:
        os.environ.update(GOMODCACHE=str(Path(tmp) / "gomod"), GOCACHE=str(Path(tmp) / "gobuild"))
        for name, double in pinned.doubles.items():
            pin = pinned.providers[name]
            output = Path(tmp) / "out" / f"terraform-provider-{pin.type}"
            cold = timed_build(double, pin.address, output)
            warm = timed_build(double, pin.address, output)
            print(
                f"{name} double: cold build {cold:.1f} s (empty Go caches), warm build {warm:.1f} s, "
                f"binary {output.stat().st_size / 1e6:.1f} MB"
            )
        os.system(f"chmod -R u+w {tmp}")  # noqa: S605 - the Go module cache is read-only by design
        del os.environ["GOMODCACHE"], os.environ["GOCACHE"]
        chain = toolchain.setup(log=lambda _: None)
        double_config = toolchain.double_only_cli_config(chain, "digitalocean")
        terraform = tfrun.Runner.of(chain, TF_CLI_CONFIG_FILE=str(double_config))
        work = Path(tmp) / "fixture"
        shutil.copytree(pins.ROOT / "tests" / "fixtures" / "double", work)
        terraform.run(["init", "-backend=false", "-input=false"], work)
        times = []
        for _ in range(args.runs):
            started = time.monotonic()
            terraform.run(["validate", "-no-color"], work)
            times.append(time.monotonic() - started)
        print(f"terraform validate with the double: median {statistics.median(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
