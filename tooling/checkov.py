"""checkov in an isolated virtual environment, with the project's own DigitalOcean policies.

checkov depends on `bc-python-hcl2`, which installs a package also named `hcl2` and would overwrite
python-hcl2 8 in the project's own environment; so it lives in a venv of its own, keyed by version.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling import toolchain
from tooling.pins import ROOT

VERSION = "3.3.30"
POLICIES = ROOT / "policies" / "checkov"


class CheckovError(RuntimeError):
    """checkov did not produce a report; the message is one line saying why."""


@dataclass(frozen=True)
class Scan:
    """One checkov report: its failed checks, how many passed, and the ids of every check that ran."""

    failed: list[dict[str, Any]]
    passed: int
    check_ids: frozenset[str]
    results: list[dict[str, Any]]  # every passed and failed check (id, resource, file_path, result)


def ensure(log: Callable[[str], None] = print) -> Path:
    """Path of the checkov executable, creating its venv on first use (idempotent)."""
    home = toolchain.cache_dir() / f"checkov-{VERSION}"
    exe = home / "bin" / "checkov"
    stamp = home / ".installed"
    if stamp.is_file() and exe.is_file():
        return exe
    log(f"creating checkov {VERSION} environment in {home}")
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"checkov=={VERSION}"], check=True, stdout=sys.stderr)
    stamp.write_text(VERSION + "\n")
    return exe


def parse(stdout: str, returncode: int, stderr: str) -> Scan:
    """A checkov JSON report; no report at all (a crash, a policy that does not load) is an error."""
    try:
        data = json.loads(stdout)
    except ValueError:
        data = None
    if not isinstance(data, list | dict) or returncode not in (0, 1):
        last = [line for line in stderr.splitlines() if line.strip()][-1:] or [f"exit status {returncode}"]
        raise CheckovError(f"checkov printed no report ({last[0].strip()})")
    reports = data if isinstance(data, list) else [data]
    if not all("results" in report for report in reports):
        raise CheckovError("checkov found nothing to scan (no resources in its report)")
    results = [
        check for report in reports for key in ("passed_checks", "failed_checks")
        for check in report["results"].get(key, [])
    ]
    return Scan(
        failed=[check for report in reports for check in report["results"].get("failed_checks", [])],
        passed=sum(report.get("summary", {}).get("passed", 0) for report in reports),
        check_ids=frozenset(str(check["check_id"]) for check in results),
        results=results,
    )


def scan(directory: Path, var_files: list[Path] | None = None, skip_paths: list[str] | None = None) -> Scan:
    """Run checkov offline, with the project's policies, on one directory tree."""
    args = [str(ensure()), "-d", str(directory), "--framework", "terraform", "--skip-download", "--compact",
            "-o", "json", "--download-external-modules", "false", "--external-checks-dir", str(POLICIES)]
    for var_file in var_files or []:
        args += ["--var-file", str(var_file)]
    for skip in skip_paths or []:
        args += ["--skip-path", skip]
    # The ConfigMap policy reads the scanned files: checkov names them relative to the scanned directory.
    proc = subprocess.run(args, capture_output=True, text=True, check=False, cwd=directory)
    return parse(proc.stdout, proc.returncode, proc.stderr)


def example_var_files(path: Path) -> list[Path]:
    # checkov treats `count = 0` resources as absent: scan each example with the variables users start from.
    return sorted(path.glob("*.tfvars.example"))


def scan_project(examples: list[Path]) -> dict[Path, Scan]:
    """The whole tree (root, modules, examples) without variables, and each example with its variables, in
    parallel: each scan is a separate checkov process."""
    ensure()
    with ThreadPoolExecutor(max_workers=1 + len(examples)) as pool:
        futures = {ROOT: pool.submit(scan, ROOT, None, ["tests", ".venv"])}
        futures.update({path: pool.submit(scan, path, example_var_files(path)) for path in examples})
        return {path: future.result() for path, future in futures.items()}


def policy_ids() -> set[str]:
    """The ids of the project's own policies (Python checks and YAML graph policies)."""
    ids: set[str] = set()
    for path in POLICIES.glob("*"):
        if path.suffix in (".py", ".yaml"):
            ids.update(re.findall(r"\b(CKV2?_TFDOM_\d+)\b", path.read_text()))
    return ids
