"""Plan cases as data: a YAML file names a directory, its variables, and the expected plan (an inventory).

Case file (tests/plan/cases/<id>.yaml):

    dir: examples/minimal          # relative to the project root
    vars: {name: social, ...}      # written as terraform.tfvars.json in a temporary copy
    inventory:
      values:                      # address -> subset of planned values; `__missing__` asserts absence
        module.doks.digitalocean_kubernetes_cluster.this: {ha: false}
      counts:                      # resource type -> number of planned instances
        digitalocean_kubernetes_node_pool: 0
      outputs: {cluster_name: social}
      depends_on:                  # configuration address -> explicit dependencies it must declare (a subset)
        module.spaces: [terraform_data.spaces_admin_key_active]

`./run inventory <id>` prints a full inventory from a fresh plan, to be trimmed into the case file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tooling import tfrun
from tooling.pins import ROOT

CASES = ROOT / "tests" / "plan" / "cases"
MISSING = "__missing__"
DUMMY_ENV = {"DIGITALOCEAN_TOKEN": "dummy-token-for-offline-plans"}


@dataclass(frozen=True)
class Case:
    id: str
    dir: str
    vars: dict[str, Any]
    inventory: dict[str, Any]


class _StrictLoader(yaml.SafeLoader):
    """A repeated key would silently drop the first set of expectations: refuse it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
        if repeated:
            raise yaml.constructor.ConstructorError(None, None, f"repeated keys {repeated}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.load(path.read_text(), Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
        cases.append(Case(path.stem, data["dir"], data.get("vars") or {}, data.get("inventory") or {}))
    return cases


@dataclass(frozen=True)
class PlanSummary:
    values: dict[str, dict[str, Any]]
    counts: dict[str, int]
    outputs: dict[str, Any]
    depends_on: dict[str, list[str]] = field(default_factory=dict)


def _dependencies(module: dict[str, Any], prefix: str, into: dict[str, list[str]]) -> None:
    """The `depends_on` of every resource and module call in the configuration, by full configuration address."""
    for resource in module.get("resources", []):
        if resource.get("depends_on"):
            into[prefix + resource["address"]] = list(resource["depends_on"])
    for name, call in module.get("module_calls", {}).items():
        address = f"{prefix}module.{name}"
        if call.get("depends_on"):
            into[address] = list(call["depends_on"])
        _dependencies(call.get("module", {}), address + ".", into)


def _walk(module: dict[str, Any], into: dict[str, dict[str, Any]]) -> None:
    for resource in module.get("resources", []):
        values = dict(resource.get("values", {}))
        if resource.get("type") == "helm_release" and isinstance(values.get("values"), list):
            # Chart values are YAML documents: decoded, an inventory can assert single settings in them.
            values["values"] = [yaml.safe_load(doc) if isinstance(doc, str) else doc for doc in values["values"]]
        into[resource["address"]] = values
    for child in module.get("child_modules", []):
        _walk(child, into)


def summarize(plan_json: dict[str, Any]) -> PlanSummary:
    values: dict[str, dict[str, Any]] = {}
    _walk(plan_json.get("planned_values", {}).get("root_module", {}), values)
    counts = Counter(
        change["type"] for change in plan_json.get("resource_changes", []) if change.get("mode") == "managed"
        and change["change"]["actions"] != ["delete"]
    )
    outputs = {
        name: out.get("value") for name, out in plan_json.get("planned_values", {}).get("outputs", {}).items()
        if not out.get("sensitive")
    }
    depends_on: dict[str, list[str]] = {}
    _dependencies(plan_json.get("configuration", {}).get("root_module", {}), "", depends_on)
    return PlanSummary(values, dict(counts), outputs, depends_on)


def plan(case: Case, workdir: Path, terraform: tfrun.Runner) -> PlanSummary:
    """Plan `case` in `workdir` (an initialized copy of its directory) through tftest."""
    (workdir / "terraform.tfvars.json").write_text(json.dumps(case.vars))
    # A dummy token: the provider is configured but, with exact slugs and no data sources, never called.
    result = terraform.with_env(**DUMMY_ENV).tftest(workdir).plan(output=True, refresh=False)
    return summarize(dict(result))


def diff(expected: dict[str, Any], actual: PlanSummary) -> list[str]:
    """Mismatches between an inventory and a plan summary (empty when the inventory holds)."""
    problems: list[str] = []
    for address, wanted in (expected.get("values") or {}).items():
        if wanted == MISSING:
            if address in actual.values:
                problems.append(f"{address}: expected absent, is planned")
            continue
        if address not in actual.values:
            problems.append(f"{address}: not planned")
            continue
        problems += _subset(address, wanted, actual.values[address])
    for kind, number in (expected.get("counts") or {}).items():
        if actual.counts.get(kind, 0) != number:
            problems.append(f"count of {kind}: expected {number}, planned {actual.counts.get(kind, 0)}")
    for address, wanted in (expected.get("depends_on") or {}).items():
        absent = sorted(set(wanted) - set(actual.depends_on.get(address, [])))
        if absent:
            problems.append(f"{address}: declares no dependency on {', '.join(absent)}")
    for name, wanted in (expected.get("outputs") or {}).items():
        if name not in actual.outputs:
            problems.append(f"output {name}: not planned (or unknown until apply)")
        else:
            problems += _subset(f"output {name}", wanted, actual.outputs[name])
    return problems


def _subset(where: str, wanted: Any, actual: Any) -> list[str]:
    if isinstance(wanted, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key, value in wanted.items():
            if value == MISSING:
                if actual.get(key) not in (None, [], {}):
                    out.append(f"{where}.{key}: expected absent, is {actual.get(key)!r}")
            elif key not in actual:
                out.append(f"{where}.{key}: missing")
            else:
                out += _subset(f"{where}.{key}", value, actual[key])
        return out
    if isinstance(wanted, list) and isinstance(actual, list) and len(wanted) == len(actual):
        pairs = enumerate(zip(wanted, actual, strict=True))
        positional = [p for i, (w, a) in pairs for p in _subset(f"{where}[{i}]", w, a)]
        if not positional or _matches_unordered(wanted, actual):
            return []
        return positional
    return [] if wanted == actual else [f"{where}: expected {wanted!r}, planned {actual!r}"]


def _matches_unordered(wanted: list[Any], actual: list[Any]) -> bool:
    """Sets (firewall rules, taints) plan in no fixed order: each wanted item must match a distinct planned one."""
    free = list(range(len(actual)))
    for item in wanted:
        hit = next((i for i in free if not _subset("", item, actual[i])), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def generate(case: Case, workdir: Path, terraform: tfrun.Runner) -> str:
    summary = plan(case, workdir, terraform)
    return yaml.safe_dump(
        {
            "values": summary.values, "counts": summary.counts, "outputs": summary.outputs,
            "depends_on": summary.depends_on,
        },
        sort_keys=True, width=120,
    )
