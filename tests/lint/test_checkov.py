"""checkov (isolated environment, offline) with the project's DigitalOcean policies finds nothing on the root,
the modules and the examples; each policy fails its failing fixture and passes its passing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import checkov, hcl
from tooling.pins import ROOT

SCANNED = [p for p in hcl.module_dirs() if not p.is_relative_to(ROOT / "tests")]
EXAMPLES = [p for p in SCANNED if p.is_relative_to(ROOT / "examples")]
FIXTURES = Path(__file__).parent / "policies"
POLICIES = sorted(checkov.policy_ids())


@pytest.fixture(scope="module")
def scans() -> dict[Path, checkov.Scan]:
    return checkov.scan_project(EXAMPLES)


@pytest.fixture(scope="module")
def whole_tree(scans: dict[Path, checkov.Scan]) -> checkov.Scan:
    return scans[ROOT]


@pytest.fixture(scope="module")
def fixtures_scan() -> checkov.Scan:
    return checkov.scan(FIXTURES)


def _failed_in(result: checkov.Scan, path: Path, recursive: bool) -> list[str]:
    relative = "/" + str(path.relative_to(ROOT)) + "/" if path != ROOT else "/"
    out = []
    for check in result.failed:
        file_path = str(check.get("file_path", ""))
        parent = file_path.rsplit("/", 1)[0] + "/"
        if parent == relative or (recursive and file_path.startswith(relative)):
            out.append(f"{check['check_id']} {check['resource']} {file_path} ({check['check_name']})")
    return out


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)) if p != ROOT else ".")
def test_checkov_finds_no_failed_checks(path: Path, whole_tree: checkov.Scan) -> None:
    assert _failed_in(whole_tree, path, recursive=False) == []


def test_checks_ran_on_the_tree(whole_tree: checkov.Scan) -> None:
    assert whole_tree.passed > 0
    assert set(POLICIES) <= whole_tree.check_ids, set(POLICIES) - whole_tree.check_ids


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_checkov_on_examples_with_their_variables(path: Path, scans: dict[Path, checkov.Scan]) -> None:
    result = scans[path]
    assert result.failed == [], [f"{c['check_id']} {c['resource']}" for c in result.failed]
    assert result.passed > 0
    assert set(POLICIES) <= result.check_ids, set(POLICIES) - result.check_ids


@pytest.mark.parametrize("outcome", ["fail", "pass"])
@pytest.mark.parametrize("policy", POLICIES)
def test_policy_fixture(policy: str, outcome: str, fixtures_scan: checkov.Scan) -> None:
    where = f"/{policy}/{outcome}/"
    results = {
        str(check["check_result"]["result"]) for check in fixtures_scan.results
        if check["check_id"] == policy and str(check["file_path"]).startswith(where)
    }
    assert results == {"FAILED" if outcome == "fail" else "PASSED"}, (policy, outcome, results)
