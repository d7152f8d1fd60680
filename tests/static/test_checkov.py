"""checkov (isolated environment, offline) finds nothing on the root, the modules and the examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tooling import checkov, hcl
from tooling.pins import ROOT

pytestmark = pytest.mark.static

SCANNED = [p for p in hcl.module_dirs() if not p.is_relative_to(ROOT / "tests")]


def _var_files(path: Path) -> list[Path]:
    # checkov treats `count = 0` resources as absent: scan examples with the variables users start from.
    return sorted(path.glob("*.tfvars.example"))


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)) if p != ROOT else ".")
def test_checkov_finds_no_failed_checks(path: Path) -> None:
    result = checkov.scan(path, _var_files(path))
    failed = [f"{c['check_id']} {c['resource']} ({c['check_name']})" for c in result["failed"]]  # type: ignore[index,union-attr]
    assert failed == [], "\n".join(failed)
    assert result["returncode"] == 0, result["stderr"]


def test_every_checkov_skip_gives_a_reason() -> None:
    skip = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?")
    missing = []
    for tf in ROOT.rglob("*.tf"):
        if ".terraform" in tf.parts:
            continue
        for number, line in enumerate(tf.read_text().splitlines(), 1):
            for match in skip.finditer(line):
                if not (match.group(2) or "").strip():
                    missing.append(f"{tf.relative_to(ROOT)}:{number} {match.group(1)}")
    assert missing == []
