"""Each YAML case under tests/plan/cases: plan a temporary copy offline and compare with its inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import hcl, inventory, tfrun
from tooling.pins import ROOT

pytestmark = pytest.mark.plan

CASES = inventory.load_cases()


def _providers(case: inventory.Case) -> list[str]:
    return sorted(hcl.load_module(ROOT / case.dir).required_providers)


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=pytest.mark.providers(*_providers(c))) for c in CASES]
)
def test_plan_matches_inventory(case: inventory.Case, tmp_path: Path, toolchain: object) -> None:
    workdir = tfrun.copy_project(tmp_path / "project") / case.dir
    tfrun.init(workdir)
    summary = inventory.plan(case, workdir)
    problems = inventory.diff(case.inventory, summary)
    assert problems == [], (
        "\n".join(problems) + f"\nregenerate with `./run inventory {case.id}` and trim into tests/plan/cases/{case.id}.yaml"
    )


def test_inventory_diff_reports_mismatches() -> None:
    summary = inventory.PlanSummary(
        values={"a.b": {"name": "x", "tags": ["t"], "nested": [{"k": 1}]}}, counts={"a": 1}, outputs={"o": "v"}
    )
    assert inventory.diff({"values": {"a.b": {"name": "x", "nested": [{"k": 1}]}}, "counts": {"a": 1}}, summary) == []
    assert inventory.diff({"values": {"a.b": {"name": "y"}}}, summary) == ["a.b.name: expected 'y', planned 'x'"]
    assert inventory.diff({"values": {"a.c": "__missing__", "a.b": "__missing__"}}, summary) == [
        "a.b: expected absent, is planned"
    ]
    assert inventory.diff({"counts": {"a": 2}}, summary) == ["count of a: expected 2, planned 1"]
    assert inventory.diff({"outputs": {"o": "w"}}, summary) == ["output o: expected 'w', planned 'v'"]
