"""Bad root inputs are rejected at plan, with a message that names the variable (tests/data/invalid_inputs.yaml).

Each case becomes a generated `terraform test` file of its own (mock providers, one `command = plan` run: a run
that errors makes later runs of the same file skip); one `terraform test -json` runs them all, and each case is
judged from the diagnostics of its own file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml

from tooling import hcl, mocks, tfrun
from tooling.pins import ROOT

DATA = ROOT / "tests" / "data" / "invalid_inputs.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(DATA.read_text()) if DATA.exists() else []
BASE_VARS = {
    "name": "mastodon",
    "domain": "social.example.com",
    "admin": {"email": "admin@example.com"},
    "smtp": {
        "server": "smtp.example.net",
        "login": "apikey",
        "password": "x",
        "from_address": "notifications@example.com",
    },
}
ROOT_PROVIDERS = sorted(hcl.load_module(ROOT).required_providers) if list(ROOT.glob("*.tf")) else []


def _hcl_value(value: Any) -> str:
    # JSON is valid HCL expression syntax; only template sequences need escaping.
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


# random and tls run for real, as in the native tests: they need no credentials, and their mocked values (random
# strings) are not the shapes the module decodes (a PEM key, hex digits).
REAL_PROVIDERS = {"random", "tls"}


def _mock_block(name: str, alias: str | None = None) -> str:
    shared = mocks.MOCKS / name
    if shared.is_dir():
        return mocks.provider_block(name, shared, alias)
    return f'mock_provider "{name}" {{\n  alias = "{alias}"\n}}' if alias else f'mock_provider "{name}" {{}}'


def _mock_providers() -> list[str]:
    """A mock of every provider the root needs but random and tls, with the native tests' shared defaults."""
    blocks = []
    for name, spec in sorted(hcl.load_module(ROOT).required_providers.items()):
        if name in REAL_PROVIDERS:
            continue
        blocks.append(_mock_block(name))
        for alias in spec.get("configuration_aliases", []) or []:
            blocks.append(_mock_block(name, str(alias).removeprefix("${").removesuffix("}").split(".")[-1]))
    return blocks


def generated_test_file(variables: dict[str, Any], run_name: str = "plan") -> str:
    assignments = "\n".join(f"    {key} = {_hcl_value(value)}" for key, value in variables.items())
    run = f'run "{run_name}" {{\n  command = plan\n\n  variables {{\n{assignments}\n  }}\n}}'
    return "\n\n".join([*_mock_providers(), run]) + "\n"


def _selected_cases(items: list[pytest.Item]) -> list[dict[str, Any]]:
    """The cases this session's tests ask about (all of them unless -k narrowed the selection).

    Only this file's items count: other files parametrize a `case` of their own (of other types and ids).
    """
    here = Path(__file__).resolve()
    params = [getattr(getattr(item, "callspec", None), "params", {}) for item in items
              if Path(str(getattr(item, "path", ""))).resolve() == here]
    ids = {p["case"]["id"] for p in params if "case" in p}
    return [case for case in CASES if case["id"] in ids] if ids else CASES


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest, toolchain: Any, workdirs: tfrun.Workdirs) -> dict[str, dict[str, Any]]:
    reason = toolchain.unavailable(ROOT_PROVIDERS)
    if reason:
        pytest.skip(reason)
    cases = _selected_cases(request.session.items)
    files = {
        f"validation_cases/{case['id']}.tftest.hcl": generated_test_file({**BASE_VARS, **case["vars"]})
        for case in cases
    }
    root = workdirs.get(".", files=files)
    result, events = workdirs.runner.test_json(root, "-test-directory=validation_cases")
    runs: dict[str, dict[str, Any]] = {case["id"]: {"status": None, "diagnostics": []} for case in cases}
    for event in cast(list[dict[str, Any]], events):
        run = str(event.get("@testfile", "")).rsplit("/", 1)[-1].removesuffix(".tftest.hcl")
        if run not in runs or not event.get("@testrun"):
            continue
        if event.get("type") == "diagnostic":
            runs[run]["diagnostics"].append(event["diagnostic"])
        # Terraform reports a run's progress and its status once "complete"; OpenTofu only the final status.
        if event.get("type") == "test_run" and event.get("test_run", {}).get("progress", "complete") == "complete":
            runs[run]["status"] = event["test_run"].get("status")
    assert any(r["status"] for r in runs.values()), result.output[-4000:]
    return runs


def _texts(diagnostic: dict[str, Any]) -> Iterator[str]:
    yield diagnostic.get("summary", "")
    yield diagnostic.get("detail", "")
    for value in (diagnostic.get("snippet") or {}).get("values", []):
        yield value.get("traversal", "")


def _errors(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in outcome["diagnostics"] if d.get("severity") == "error"]


def _where(diagnostic: dict[str, Any]) -> str:
    span = diagnostic.get("range") or {}
    return f"{span.get('filename', '?')}:{(span.get('start') or {}).get('line', '?')}"


def _expected_error_count(case: dict[str, Any]) -> int:
    """One error per bad input, unless the case declares more (`errors: {count, reason}`)."""
    return int(case.get("errors", {}).get("count", 1))


def test_the_selection_ignores_other_files_cases() -> None:
    """A whole-suite session holds other files' `case` parameters; they neither break nor narrow the selection."""
    def item(path: str, case: object) -> Any:
        return SimpleNamespace(path=Path(path), callspec=SimpleNamespace(params={"case": case}))

    foreign = item("tests/static/operate/test_tasks.py", SimpleNamespace(id="teardown-without-yes"))
    assert _selected_cases([foreign]) == CASES
    mine = item(__file__, CASES[0])
    assert _selected_cases([foreign, mine]) == [CASES[0]]


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25
    assert len({case["id"] for case in CASES}) == len(CASES), "case ids must be unique"


@pytest.mark.parametrize("case", [c for c in CASES if "errors" in c], ids=lambda c: c["id"])
def test_a_case_expecting_more_than_one_error_says_why(case: dict[str, Any]) -> None:
    declared = case["errors"]
    assert set(declared) == {"count", "reason"}, f"{case['id']}: errors takes count and reason, got {declared}"
    assert isinstance(declared["count"], int) and declared["count"] > 1, f"{case['id']}: count must be above 1"
    assert str(declared["reason"]).strip(), f"{case['id']}: errors.reason is empty"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_invalid_input_is_rejected_naming_the_variable(
    case: dict[str, Any], outcomes: dict[str, dict[str, Any]]
) -> None:
    outcome = outcomes[case["id"]]
    assert outcome["status"] in ("fail", "error"), f"{case['id']} was accepted: {outcome}"
    errors = _errors(outcome)
    assert errors, f"{case['id']}: no error diagnostic"
    variable = case["variable"]
    naming = [d for d in errors if any(re.search(rf"\b(var\.)?{re.escape(variable)}\b", t) for t in _texts(d))]
    assert naming, f"{case['id']}: no error names {variable}: {[d.get('detail') for d in errors]}"
    assert any(re.search(case["message"], d.get("detail", "")) for d in naming), (
        f"{case['id']}: message /{case['message']}/ not found in {[d.get('detail') for d in naming]}"
    )


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_invalid_input_gives_one_error(case: dict[str, Any], outcomes: dict[str, dict[str, Any]]) -> None:
    """A bad value is reported once, not once per submodule it reaches."""
    errors = _errors(outcomes[case["id"]])
    expected = _expected_error_count(case)
    assert len(errors) == expected, (
        f"{case['id']}: {len(errors)} error diagnostics, expected {expected}: "
        f"{[_where(d) + ': ' + (d.get('detail') or d.get('summary', '')) for d in errors]}"
    )


def test_the_valid_baseline_plans(toolchain: Any, workdirs: tfrun.Workdirs) -> None:
    """The base variables alone pass, so each case fails because of its own bad value."""
    reason = toolchain.unavailable(ROOT_PROVIDERS)
    if reason:
        pytest.skip(reason)
    files = {"validation_cases/baseline.tftest.hcl": generated_test_file(BASE_VARS, "baseline")}
    root = workdirs.get(".", files=files)
    result = workdirs.runner.run(["test", "-no-color", "-test-directory=validation_cases"], root)
    assert result.returncode == 0, result.output
