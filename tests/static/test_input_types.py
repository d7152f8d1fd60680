"""One home per input rule: what the root hands a submodule as it is, it declares with the submodule's type and
without validations; the submodule holds the rules, and its messages name the input as the user writes it.

Read with python-hcl2; types are compared attribute by attribute (tooling.hcltypes), so a new attribute, a changed
default or a changed type on one side only fails here instead of drifting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from tooling import hcl, hcltypes


@dataclass(frozen=True)
class PassThrough:
    """Root variable `name` reaches `module_call`'s argument of the same name as `var.<name>`."""

    name: str
    module_call: str
    # Attributes of the root's object that this submodule does not take, and who checks them instead.
    elsewhere: dict[str, str] = field(default_factory=dict)
    # The submodule passes it on as it is to this module of its own, which holds the rules.
    rules_in: str | None = None
    # The root requires a value the submodule lets default.
    required_at_root: bool = False
    # The root takes null for "off" (the submodule is then not called), the submodule needs a value.
    null_turns_off: bool = False
    # The root resolves the input first (e.g. a preset's default) and passes this local, built from var.<name>.
    via_local: str | None = None
    # Attributes whose type or default the root declares otherwise on purpose, with the reason.
    differs: dict[str, str] = field(default_factory=dict)
    # Several submodules check this input: the root hands it to one, and this one reads it back from that
    # module's output ("module.output"), so a bad value is reported once.
    via_output: str | None = None


PASS_THROUGH = [
    PassThrough("name", "doks"),
    PassThrough("name", "databases", via_output="doks.name"),
    PassThrough("name", "spaces", via_output="doks.name"),
    PassThrough("name", "monitoring", via_output="doks.name"),
    PassThrough("domain", "monitoring", via_output="mastodon.web_host"),
    PassThrough("tags", "doks"),
    PassThrough("tags", "databases", via_output="doks.tags"),
    PassThrough("vpc", "doks"),
    PassThrough("cluster", "doks"),
    PassThrough("node_pools", "doks"),
    PassThrough(
        "postgres",
        "databases",
        {"ssl_mode": "mastodon-helm's postgres.ssl_mode"},
        via_local="databases_postgres",
        differs={"read_replicas": "count null takes the sizing preset's; local.databases_postgres resolves it"},
    ),
    PassThrough("valkey", "databases"),
    PassThrough("opensearch", "databases"),
    PassThrough("smtp", "mastodon"),
    PassThrough("admin", "mastodon", required_at_root=True),
    PassThrough("existing_secrets", "mastodon", rules_in="modules/mastodon-helm/modules/secrets"),
    # The application layer whole: version, namespace, ACME, sizing, maintenance, charts and metrics.
    PassThrough("mastodon", "mastodon"),
    PassThrough("monitoring", "monitoring", null_turns_off=True),
    PassThrough(
        "spaces",
        "spaces",
        {
            "create_admin_key": "the root, which creates the key the caller's digitalocean.spaces provider uses",
            "key_wait_seconds": "the root, which waits for that key",
        },
    ),
]
# Attributes a submodule offers that the root does not (yet) expose, with the reason.
NOT_EXPOSED: dict[tuple[str, str], str] = {}

ROOT = hcl.load_module(hcl.ROOT)
CALLS = {name: body for block in ROOT.blocks.get("module", []) for name, body in block.items()}


def _submodule(call: str) -> hcl.Module:
    source = str(CALLS[call]["source"]).removeprefix("./")
    return hcl.load_module(hcl.ROOT / source)


def _validations(body: dict[str, Any]) -> list[dict[str, str]]:
    found = body.get("validation", []) or []
    return list(found) if isinstance(found, list) else [found]


def _is_root_only(passing: PassThrough, condition: str) -> bool:
    """A condition that reads another root input, or an attribute of this one that no submodule takes."""
    for variable, attribute in re.findall(r"var\.([a-z_]+)(?:\.([a-z_]+))?", condition):
        if variable != passing.name or attribute in passing.elsewhere:
            return True
    return False


IDS = [f"{p.name}->{p.module_call}" for p in PASS_THROUGH]


@pytest.mark.parametrize("passing", PASS_THROUGH, ids=IDS)
def test_root_passes_the_input_straight_through(passing: PassThrough) -> None:
    argument = CALLS[passing.module_call].get(passing.name)
    if passing.via_output is not None:
        assert argument == f"${{module.{passing.via_output}}}", (
            f"module.{passing.module_call}.{passing.name} must be module.{passing.via_output}, checked there once"
        )
        return
    if passing.via_local is None:
        assert argument == f"${{var.{passing.name}}}", (
            f"module.{passing.module_call}.{passing.name} must be var.{passing.name} as it is"
        )
        return
    assert argument == f"${{local.{passing.via_local}}}", f"module.{passing.module_call}.{passing.name}: {argument}"
    built = {name: value for block in ROOT.blocks.get("locals", []) for name, value in block.items()}
    assert f"var.{passing.name}" in str(built.get(passing.via_local)), (
        f"local.{passing.via_local} must be built from var.{passing.name}"
    )


CHAINED = [p for p in PASS_THROUGH if p.via_output]


@pytest.mark.parametrize("passing", CHAINED, ids=[f"{p.name}->{p.module_call}" for p in CHAINED])
def test_a_shared_input_is_read_back_from_the_module_that_checks_it(passing: PassThrough) -> None:
    """The output is the input's value, given that module as var.<name>: no resource, so no ordering added."""
    assert passing.via_output is not None
    call, output = passing.via_output.split(".")
    assert f"var.{passing.name}" in str(CALLS[call]), f"module.{call} must be given var.{passing.name}"
    value = str(_submodule(call).outputs[output]["value"])
    assert re.fullmatch(r"\$\{(var|local)\.[a-z_]+\}", value), f"module.{passing.via_output} is not an input: {value}"


@pytest.mark.parametrize("passing", PASS_THROUGH, ids=IDS)
def test_root_and_submodule_declare_the_same_type(passing: PassThrough) -> None:
    root = ROOT.variables[passing.name]
    sub = _submodule(passing.module_call).variables[passing.name]
    root_type = hcltypes.parse_type(str(root["type"]))
    sub_type = hcltypes.parse_type(str(sub["type"]))
    root_attrs, sub_attrs = hcltypes.attributes(root_type), hcltypes.attributes(sub_type)
    if root_attrs is None or sub_attrs is None:
        assert hcltypes.render(root_type) == hcltypes.render(sub_type)
    else:
        for attr in sorted(set(root_attrs) | set(sub_attrs)):
            where = f"{passing.name}.{attr}"
            if attr not in sub_attrs:
                assert attr in passing.elsewhere, f"{where} is in the root only; say who checks it (elsewhere=)"
            elif attr not in root_attrs:
                assert (passing.name, attr) in NOT_EXPOSED, f"{where} is in modules' {passing.module_call} only"
            elif attr not in passing.differs:
                assert hcltypes.render(root_attrs[attr]) == hcltypes.render(sub_attrs[attr]), (
                    f"{where} differs: root {hcltypes.render(root_attrs[attr])}, "
                    f"{passing.module_call} {hcltypes.render(sub_attrs[attr])}"
                )
    keys = [key for key in ("default", "nullable") if not (key == "default" and passing.required_at_root)]
    for key in keys if not passing.null_turns_off else [key for key in keys if key != "nullable"]:
        assert root.get(key) == sub.get(key), f"{passing.name}: {key} differs ({root.get(key)!r} vs {sub.get(key)!r})"


@pytest.mark.parametrize("passing", PASS_THROUGH, ids=IDS)
def test_the_rules_live_in_the_submodule_only(passing: PassThrough) -> None:
    # The root keeps only what the submodule cannot see: rules across inputs and on attributes it keeps.
    own = [
        rule
        for rule in _validations(ROOT.variables[passing.name])
        if not _is_root_only(passing, str(rule["condition"]))
    ]
    assert not own, f"root variable {passing.name} repeats rules that belong to modules' {passing.module_call}: {own}"
    holder = hcl.load_module(hcl.ROOT / passing.rules_in) if passing.rules_in else _submodule(passing.module_call)
    if passing.rules_in:
        assert not _validations(_submodule(passing.module_call).variables[passing.name]), (
            f"modules' {passing.module_call} repeats the rules of {passing.rules_in} for {passing.name}"
        )
    rules = _validations(holder.variables[passing.name])
    assert rules, f"{holder.relative}: {passing.name} has no validation"
    for rule in rules:
        # The submodule's name for the input is the root's, so its message names what the user set.
        assert re.match(rf"Variable {re.escape(passing.name)}\b", str(rule["error_message"])), rule["error_message"]


def test_no_root_rule_repeats_a_submodule_rule() -> None:
    def conditions(module: hcl.Module) -> set[str]:
        return {
            re.sub(r"\s+", " ", str(rule["condition"]))
            for body in module.variables.values()
            for rule in _validations(body)
        }

    root = conditions(ROOT)
    for call in CALLS:
        repeated = root & conditions(_submodule(call))
        assert not repeated, f"the root repeats rules of modules' {call}: {sorted(repeated)}"


def test_the_type_reader_sees_every_attribute() -> None:
    node = hcltypes.parse_type(
        '${map(object({a = optional(string, "x, y"), b = optional(list(object({c = number})), []), '
        "d = optional(object({e = bool}), {})}))}"
    )
    attrs = hcltypes.attributes(node)
    assert attrs is not None and sorted(attrs) == ["a", "b", "d"]
    assert hcltypes.render(attrs["a"]) == 'optional(string, "x, y")'
    assert hcltypes.render(attrs["b"]) == "optional(list(object({c = number})), [])"
    with pytest.raises(ValueError):
        hcltypes.parse_type("${object({a = })}")
