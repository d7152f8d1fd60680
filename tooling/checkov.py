"""checkov in an isolated virtual environment.

checkov depends on `bc-python-hcl2`, which installs a package also named `hcl2` and would overwrite
python-hcl2 8 in the project's own environment; so it lives in a venv of its own, keyed by version.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from tooling import toolchain

VERSION = "3.3.30"


def ensure(log=print) -> Path:  # type: ignore[no-untyped-def]
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


def scan(directory: Path, var_files: list[Path] | None = None, skip_paths: list[str] | None = None) -> dict[str, object]:
    """Run checkov offline on one directory tree; returns its failed checks, pass count and exit status."""
    args = [str(ensure()), "-d", str(directory), "--framework", "terraform", "--skip-download", "--quiet",
            "--compact", "-o", "json", "--download-external-modules", "false"]
    for var_file in var_files or []:
        args += ["--var-file", str(var_file)]
    for skip in skip_paths or []:
        args += ["--skip-path", skip]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    data = json.loads(proc.stdout) if proc.stdout.strip().startswith(("{", "[")) else {}
    reports = data if isinstance(data, list) else [data]
    failed = [check for report in reports for check in report.get("results", {}).get("failed_checks", [])]
    passed = sum(report.get("summary", {}).get("passed", 0) for report in reports)
    return {"failed": failed, "passed": passed, "returncode": proc.returncode, "stderr": proc.stderr[-2000:]}
