"""The checkov wrapper without checkov: the project's policy ids, a scan without a report is an error, every
`checkov:skip` gives a reason (the scans themselves run in tests/lint/test_checkov.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tooling import checkov
from tooling.pins import ROOT

POLICIES = sorted(checkov.policy_ids())


def test_the_project_has_its_policies() -> None:
    assert POLICIES == ["CKV2_TFDOM_1", *[f"CKV_TFDOM_{n}" for n in range(2, 8)]]


@pytest.mark.parametrize(
    ("stdout", "returncode", "stderr"),
    [
        ("", 0, ""),
        ("", 2, "Traceback ...\njson.decoder.JSONDecodeError: Expecting value"),
        ('{"passed": 0, "failed": 0, "resource_count": 0}', 0, ""),
        ('{"check_type": "terraform", "results": {"failed_checks": []}, "summary": {}}', 2, "crashed"),
    ],
    ids=["no-output", "crash", "nothing-scanned", "bad-status"],
)
def test_a_scan_without_a_report_is_an_error(stdout: str, returncode: int, stderr: str) -> None:
    with pytest.raises(checkov.CheckovError, match="checkov"):
        checkov.parse(stdout, returncode, stderr)


def test_a_scan_that_prints_nothing_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def silent(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    monkeypatch.setattr(checkov, "ensure", lambda log=print: Path("checkov"))
    monkeypatch.setattr(subprocess, "run", silent)
    with pytest.raises(checkov.CheckovError):
        checkov.scan(tmp_path)


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
