"""checkov (isolated environment, offline) finds nothing on the root, the modules and the examples."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tooling import checkov, hcl
from tooling.pins import ROOT

pytestmark = pytest.mark.static

SCANNED = [p for p in hcl.module_dirs() if not p.is_relative_to(ROOT / "tests")]
EXAMPLES = [p for p in SCANNED if p.is_relative_to(ROOT / "examples")]


def _var_files(path: Path) -> list[Path]:
    # checkov treats `count = 0` resources as absent: scan each example with the variables users start from.
    return sorted(path.glob("*.tfvars.example"))


@pytest.fixture(scope="module")
def scans() -> dict[Path, dict[str, Any]]:
    """The whole tree (root, modules, examples) without variables, and each example with its variables, in
    parallel: each scan is a separate checkov process."""
    jobs = {ROOT: lambda: checkov.scan(ROOT, skip_paths=["tests", ".venv"])}
    jobs.update({p: (lambda p=p: checkov.scan(p, _var_files(p))) for p in EXAMPLES})
    checkov.ensure()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {path: pool.submit(job) for path, job in jobs.items()}
        return {path: future.result() for path, future in futures.items()}


@pytest.fixture(scope="module")
def whole_tree(scans: dict[Path, dict[str, Any]]) -> dict[str, Any]:
    return scans[ROOT]


def _failed_in(result: dict[str, Any], path: Path, recursive: bool) -> list[str]:
    relative = "/" + str(path.relative_to(ROOT)) + "/" if path != ROOT else "/"
    out = []
    for check in result["failed"]:
        file_path = str(check.get("file_path", ""))
        parent = file_path.rsplit("/", 1)[0] + "/"
        if parent == relative or (recursive and file_path.startswith(relative)):
            out.append(f"{check['check_id']} {check['resource']} {file_path} ({check['check_name']})")
    return out


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)) if p != ROOT else ".")
def test_checkov_finds_no_failed_checks(path: Path, whole_tree: dict[str, Any]) -> None:
    assert whole_tree["returncode"] in (0, 1), whole_tree["stderr"]
    assert _failed_in(whole_tree, path, recursive=False) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_checkov_on_examples_with_their_variables(path: Path, scans: dict[Path, dict[str, Any]]) -> None:
    result = scans[path]
    assert result["failed"] == [], [f"{c['check_id']} {c['resource']}" for c in result["failed"]]


def test_every_checkov_skip_gives_a_reason() -> None:
    skip = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?")
    missing = []
    for tf in ROOT.rglob("*.tf"):
        if ".terraform" in tf.parts or ".venv" in tf.parts:
            continue
        for number, line in enumerate(tf.read_text().splitlines(), 1):
            for match in skip.finditer(line):
                if not (match.group(2) or "").strip():
                    missing.append(f"{tf.relative_to(ROOT)}:{number} {match.group(1)}")
    assert missing == []
