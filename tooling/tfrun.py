"""Run terraform on temporary copies of the project, with the toolchain's binary and CLI config."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import tftest

from tooling.pins import ROOT

# What a copy needs: every Terraform source plus the local charts modules carry. Never state or caches.
_IGNORE = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate*", ".git", ".venv", "__pycache__", ".pytest_cache", "*.pyc"
)
COPIED = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "modules", "examples", "tests", "scripts")


def copy_project(dest: Path) -> Path:
    """Copy the project's Terraform tree into `dest` (tftest's cleanup deletes files in the module dir)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_IGNORE, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for tf in ROOT.glob("*.tf"):
        shutil.copy2(tf, dest / tf.name)
    return dest


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def terraform(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> Result:
    """Run the toolchain's terraform (`TERRAFORM`, set by the toolchain fixture or `invoke env`)."""
    binary = os.environ.get("TERRAFORM", "terraform")
    proc = subprocess.run(
        [binary, *args],
        cwd=cwd,
        env={**os.environ, "TF_IN_AUTOMATION": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def init(cwd: Path) -> Result:
    result = terraform(["init", "-backend=false", "-input=false", "-no-color"], cwd)
    if result.returncode != 0:
        raise RuntimeError(f"terraform init failed in {cwd}:\n{result.output}")
    return result


def tftest_for(workdir: Path) -> tftest.TerraformTest:
    """A tftest handle on an already-copied directory, using the toolchain's binary."""
    return tftest.TerraformTest(tfdir=str(workdir), binary=os.environ.get("TERRAFORM", "terraform"))


def test_json(cwd: Path, *extra: str) -> tuple[Result, list[dict[str, object]]]:
    """`terraform test -json`: the raw result and its parsed event lines."""
    result = terraform(["test", "-no-color", "-json", *extra], cwd)
    events = []
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            events.append(json.loads(line))
    return result, events
