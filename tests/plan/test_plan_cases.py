"""Each YAML case under tests/plan/cases: plan a temporary copy offline and compare with its inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import hcl, inventory, tfrun
from tooling.pins import ROOT

CASES = inventory.load_cases()


def _providers(case: inventory.Case) -> list[str]:
    return sorted(hcl.load_module(ROOT / case.dir).required_providers)


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=pytest.mark.providers(*_providers(c))) for c in CASES]
)
def test_plan_matches_inventory(case: inventory.Case, workdirs: tfrun.Workdirs) -> None:
    summary = inventory.plan(case, workdirs.get(case.dir), workdirs.runner)
    problems = inventory.diff(case.inventory, summary)
    assert problems == [], (
        "\n".join(problems)
        + f"\nregenerate with `./run inventory {case.id}` and trim into tests/plan/cases/{case.id}.yaml"
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


def test_inventory_checks_declared_dependencies_from_the_configuration() -> None:
    bucket = {"address": "aws_s3_bucket.this", "depends_on": ["random_id.x"]}
    spaces = {"depends_on": ["terraform_data.wait"], "module": {"resources": [bucket]}}
    plan = {"configuration": {"root_module": {
        "resources": [{"address": "terraform_data.wait"}],
        "module_calls": {"app": {"module": {"module_calls": {"spaces": spaces}}}},
    }}}
    summary = inventory.summarize(plan)
    assert summary.depends_on == {
        "module.app.module.spaces": ["terraform_data.wait"],
        "module.app.module.spaces.aws_s3_bucket.this": ["random_id.x"],
    }
    assert inventory.diff({"depends_on": {"module.app.module.spaces": ["terraform_data.wait"]}}, summary) == []
    wrong = {"depends_on": {"module.app.module.spaces.aws_s3_bucket.this": ["terraform_data.wait"]}}
    assert inventory.diff(wrong, summary) == [
        "module.app.module.spaces.aws_s3_bucket.this: declares no dependency on terraform_data.wait"
    ]


def test_inventory_lists_match_in_any_order_and_helm_values_decode(tmp_path: Path) -> None:
    summary = inventory.PlanSummary(
        values={"r": {"rule": [{"type": "k8s", "value": "b"}, {"type": "ip_addr", "value": "a"}]}},
        counts={},
        outputs={},
    )
    assert inventory.diff({"values": {"r": {"rule": [{"value": "a"}, {"value": "b"}]}}}, summary) == []
    assert inventory.diff({"values": {"r": {"rule": [{"value": "a"}, {"value": "a"}]}}}, summary) != []
    plan = {
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": "helm_release.x", "type": "helm_release", "values": {"values": ['"a":\n  "b": 1\n']}}
                ]
            }
        }
    }
    assert inventory.summarize(plan).values["helm_release.x"]["values"] == [{"a": {"b": 1}}]


def test_repeated_keys_in_a_case_are_refused(tmp_path: Path) -> None:
    import yaml

    with pytest.raises(yaml.constructor.ConstructorError, match="repeated keys"):
        yaml.load("a: 1\na: 2\n", Loader=inventory._StrictLoader)  # noqa: S506
