"""Print how long CI's `.ci/run` takes on a fresh clone, phase by phase, as a clean CI machine would see it.

Cold (the default) means empty caches of every kind the run fills: the project cache (`TFDOM_CACHE_DIR`: built
providers, terraform/tofu, helm, the control plane), Go's module and build caches, pip's and npm's download
caches. `--warm` keeps the caches as they are, for the figure a second CI run on the same machine gives.
Runs `.ci/run` of a `git clone` of the given revision (default HEAD), so uncommitted files never count.
Run: `.venv/bin/python bench/ci.py [--warm] [--rev REV]`. A cold run takes most of an hour on two cores.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `.ci/run` reports each phase as "ci: <what> in <n> s"; pytest ends with its own summary line.
PHASE = re.compile(r"^ci: (?P<what>.+) in (?P<seconds>\d+) s")
SUMMARY = re.compile(r"^=+ (?P<counts>.*(passed|failed|error).*) in (?P<time>[\d.]+s.*?) =+$")


def cold_env(tmp: Path) -> dict[str, str]:
    """Point every cache the run fills at an empty directory under tmp."""
    caches = {"TFDOM_CACHE_DIR": "project", "GOMODCACHE": "gomod", "GOCACHE": "gobuild",
              "PIP_CACHE_DIR": "pip", "npm_config_cache": "npm"}
    return {variable: str(tmp / folder) for variable, folder in caches.items()}


def run_ci(clone: Path, env: dict[str, str]) -> tuple[int, float, list[str]]:
    """Run `.ci/run` in clone, echoing its output with elapsed minutes; return status, wall seconds, the lines."""
    started = time.monotonic()
    lines: list[str] = []
    with subprocess.Popen([str(clone / ".ci" / "run")], cwd=clone, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        for line in process.stdout or ():
            lines.append(line.rstrip("\n"))
            print(f"[{(time.monotonic() - started) / 60:5.1f} min] {line}", end="", flush=True)
    return process.returncode, time.monotonic() - started, lines


def report(status: int, wall: float, lines: list[str], cold: bool) -> None:
    print(f"\n.ci/run on a fresh clone, {'cold caches' if cold else 'warm caches'}:")
    for line in lines:
        if match := PHASE.match(line):
            print(f"  {match['what']}: {int(match['seconds']) / 60:.1f} min")
    for line in lines:
        if match := SUMMARY.match(line):
            print(f"  pytest: {match['counts']} ({match['time']})")
    print(f"  wall time: {wall / 60:.1f} min, exit status {status}")
    print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warm", action="store_true", help="keep the caches as they are")
    parser.add_argument("--rev", default="HEAD", help="revision of this checkout to clone (default HEAD)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfdom-bench-ci-") as name:
        tmp = Path(name)
        clone = tmp / "clone"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", args.rev], check=True)
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        if not args.warm:
            env.update(cold_env(tmp))
        status, wall, lines = run_ci(clone, env)
        report(status, wall, lines, cold=not args.warm)
        # Go writes its module cache read-only; make it removable.
        subprocess.run(["chmod", "-R", "u+w", name], check=False)
    sys.exit(status)


if __name__ == "__main__":
    main()
