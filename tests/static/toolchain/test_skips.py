"""The strict-skips plugin: CI fails when a test is skipped for a reason that is not on the allow-list."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tooling import skips
from tooling.pins import ROOT

SAMPLE = """
import pytest

def test_runs():
    assert True

def test_skipped_for_an_allowed_reason():
    pytest.skip("needs the chart: MASTODON_CHART is not set")

def test_skipped_for_another_reason():
    pytest.skip("provider foo is unavailable here")
"""


def _run(tmp_path: Path, strict: bool, allowlist: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "allow.yaml").write_text(allowlist)
    env = {**os.environ, "TFDOM_SKIP_ALLOWLIST": str(tmp_path / "allow.yaml"), "PYTHONPATH": str(ROOT)}
    env[skips.STRICT_ENV] = "1" if strict else "0"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tooling.skips",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


ONE_ENTRY = '- match: "MASTODON_CHART is not set"\n  why: the chart is not in any registry\n'


def test_an_unlisted_skip_fails_a_strict_run(tmp_path: Path) -> None:
    result = _run(tmp_path, strict=True, allowlist=ONE_ENTRY)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 test(s) skipped for a reason not on allow.yaml" in result.stdout
    assert "test_skipped_for_another_reason: provider foo is unavailable here" in result.stdout
    assert "test_skipped_for_an_allowed_reason" not in result.stdout.split("skips:")[1]


def test_listed_skips_pass_a_strict_run(tmp_path: Path) -> None:
    result = _run(tmp_path, strict=True, allowlist=ONE_ENTRY + '- match: "^provider foo"\n  why: foo is optional\n')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 2 skipped" in result.stdout


def test_without_strict_mode_skips_are_only_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, strict=False, allowlist=ONE_ENTRY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_entry_of_the_project_allowlist_gives_a_reason(tmp_path: Path) -> None:
    assert len(skips.load(skips.ALLOWLIST)) >= 3
    (tmp_path / "bad.yaml").write_text('- match: "x"\n  why: ""\n')
    with pytest.raises(ValueError, match="gives no reason"):
        skips.load(tmp_path / "bad.yaml")
