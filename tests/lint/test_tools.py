"""`./run lint`: each tool passes on the project, fails on a fixture that breaks its rules, and the task exits
non-zero with one summary line per tool. The lint tier runs the very functions the task runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tooling import lint
from tooling.pins import ROOT

# fmt has tests/lint/test_format.py, checkov tests/lint/test_checkov.py, validate tests/plan/test_validate.py.
OWN_TESTS = ("tflint", "ruff", "mypy", "shellcheck")


@pytest.mark.parametrize("tool", OWN_TESTS)
def test_the_project_passes(tool: str) -> None:
    outcome = lint.run_tool(tool, log=print)
    assert outcome.ok, f"{outcome.line()}\n" + "\n".join(outcome.findings)


def test_every_tool_is_tested_somewhere() -> None:
    assert set(lint.TOOLS) == {*OWN_TESTS, "fmt", "validate", "checkov"}



def test_tflint_flags_a_deprecated_interpolation(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_version = ">= 1.9.0"\n}\n\n'
        'variable "name" {\n  type        = string\n  description = "A name."\n}\n\n'
        'output "name" {\n  value       = "${var.name}"\n  description = "The name."\n}\n'
    )
    outcome = lint.tflint(lint.tflint_binary(print), [tmp_path])
    assert not outcome.ok
    assert any("terraform_deprecated_interpolation" in finding for finding in outcome.findings), outcome.findings


def test_tflint_runs_without_network() -> None:
    """The bundled terraform ruleset needs no plugin download: tflint works in an empty network namespace, or,
    where one cannot be made, with every HTTP(S) request sent to a proxy that does not exist."""
    dead_proxy = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    isolated = shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True, check=False
    ).returncode == 0
    binary = lint.tflint_binary(print)
    proc = subprocess.run(
        [*(["unshare", "-n"] if isolated else []), str(binary), f"--chdir={ROOT / 'modules' / 'spaces'}",
         f"--config={lint.TFLINT_CONFIG}", "--format=json"],
        capture_output=True, text=True, check=False,
        env={"TFLINT_DISABLE_VERSION_CHECK": "1", "PATH": "/usr/bin:/bin", **dead_proxy},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"issues":[]' in proc.stdout.replace(" ", "")


def test_ruff_flags_an_unused_import(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import os\n")
    outcome = lint.ruff(["bad.py"], root=tmp_path)
    assert not outcome.ok and any("F401" in finding for finding in outcome.findings), outcome


def test_mypy_flags_a_type_error(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text('def f() -> int:\n    return "x"\n')
    outcome = lint.mypy(["bad.py"], root=tmp_path)
    assert not outcome.ok and any("return-value" in finding for finding in outcome.findings), outcome


def test_shellcheck_flags_an_unquoted_variable(tmp_path: Path) -> None:
    script = tmp_path / "bad"
    script.write_text('#!/usr/bin/env bash\nrm -rf $1/cache\n')
    assert lint.shell_scripts(tmp_path) == [script]
    outcome = lint.shellcheck([script])
    assert not outcome.ok and any("SC2086" in finding for finding in outcome.findings), outcome


def test_fmt_flags_an_unformatted_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n  bb = 2\n}\n')
    outcome = lint.fmt(lint.terraform_binary(print), root=tmp_path)
    assert not outcome.ok and outcome.findings == ["main.tf"], outcome


def test_the_task_prints_one_line_per_tool_and_fails_when_one_fails(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "invoke", "lint", "--only", "ruff,fmt"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "TERRAFORM": str(tmp_path / "missing")},
    )
    summary = [line for line in proc.stdout.splitlines() if not line.startswith("  ")]
    missing = tmp_path / "missing"
    assert summary == ["ruff: ok: 0 issues", f"terraform fmt: FAILED: TERRAFORM={missing}: no such executable"]
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["lint: 1 of 2 failed: terraform fmt"]



def test_fmt_fixes_what_it_flags(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  bb = 2\n}\n")
    binary = lint.terraform_binary(print)
    assert lint.fmt(binary, root=tmp_path, write=True).ok
    assert (tmp_path / "main.tf").read_text() == "locals {\n  a  = 1\n  bb = 2\n}\n"
    assert lint.fmt(binary, root=tmp_path).ok
