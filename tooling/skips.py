"""A pytest plugin (loaded by pyproject's addopts): with TFDOM_STRICT_SKIPS=1, as `.ci/run` sets it, a test
skipped for a reason that tests/skip-allowlist.yaml does not list fails the run, so CI cannot pass while blind.

`TFDOM_SKIP_ALLOWLIST` points at another list (the plugin's own tests use it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tooling.pins import ROOT

ALLOWLIST = ROOT / "tests" / "skip-allowlist.yaml"
STRICT_ENV = "TFDOM_STRICT_SKIPS"


@dataclass(frozen=True)
class Allowed:
    pattern: re.Pattern[str]
    why: str


def load(path: Path) -> list[Allowed]:
    entries = yaml.safe_load(path.read_text()) or []
    allowed = []
    for entry in entries:
        if not entry.get("why", "").strip():
            raise ValueError(f"{path}: the entry {entry.get('match')!r} gives no reason (`why`)")
        allowed.append(Allowed(re.compile(entry["match"]), entry["why"]))
    return allowed


def unexpected(skipped: list[tuple[str, str]], allowed: list[Allowed]) -> list[tuple[str, str]]:
    """The (test, reason) pairs whose reason no allow-list entry matches."""
    return [(node, reason) for node, reason in skipped if not any(a.pattern.search(reason) for a in allowed)]


def _reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr)


_skipped: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Under pytest-xdist the controller receives every worker's reports through this same hook.
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _reason(report)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get(STRICT_ENV) != "1" or hasattr(session.config, "workerinput"):
        return
    path = Path(os.environ.get("TFDOM_SKIP_ALLOWLIST", str(ALLOWLIST)))
    found = unexpected(_skipped, load(path))
    if found:
        print(f"\nskips: {len(found)} test(s) skipped for a reason not on {path.name}:")
        for node, reason in found:
            print(f"  {node}: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
