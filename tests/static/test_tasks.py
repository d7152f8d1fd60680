"""Every `./run` task ends an error with one clear line on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tooling.pins import ROOT


def _invoke(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_one_line(proc: subprocess.CompletedProcess[str], verb: str, says: str) -> None:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"{verb}: ") and says in lines[0], lines[0]


@pytest.mark.parametrize(
    "args",
    [("setup",), ("env",), ("inventory", "--case", "example-minimal")],
    ids=lambda args: args[0],
)
def test_a_toolchain_failure_is_one_line(args: tuple[str, ...], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-terraform"
    proc = _invoke(*args, TERRAFORM=str(missing), TFDOM_CACHE_DIR=str(tmp_path / "cache"))
    _assert_one_line(proc, args[0], f"TERRAFORM={missing}: no such executable")


def test_a_missing_example_is_one_line() -> None:
    proc = _invoke("deploy", "--example", "no-such-example", DIGITALOCEAN_TOKEN="dummy")
    _assert_one_line(proc, "deploy", "examples/no-such-example does not exist")


def test_an_unknown_plan_case_is_one_line(tmp_path: Path) -> None:
    proc = _invoke("inventory", "--case", "no-such-case")
    _assert_one_line(proc, "inventory", "no case no-such-case")
