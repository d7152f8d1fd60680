"""Conventions every module keeps (docs/architecture.md "Conventions"), read with python-hcl2."""

from __future__ import annotations

import re

import pytest

from tooling import hcl, pins

MODULES = [hcl.load_module(path) for path in hcl.module_dirs()]
IDS = [module.relative for module in MODULES]
# Names that carry a credential: such a variable or output must be marked sensitive.
CREDENTIAL = re.compile(r"(password|secret|token|private_key|kubeconfig|access_key|api_key|valkey_url|smtp_login)")
# ...unless the name says it holds something about the credential, not the credential itself.
NOT_A_VALUE = ("_command", "_commands", "_name", "_names")
# Outputs that say where a Kubernetes Secret is ("namespace/name"), not what it holds.
SECRET_REFERENCES = {"admin_secret", "mastodon_admin_secret"}


def _is_credential(name: str) -> bool:
    return bool(CREDENTIAL.search(name)) and not name.endswith(NOT_A_VALUE) and name not in SECRET_REFERENCES


def _items(kind: str) -> list[tuple[str, str, dict[str, object]]]:
    return [(m.relative, name, body) for m in MODULES for name, body in getattr(m, kind).items()]


@pytest.mark.parametrize(("module", "name", "body"), _items("variables"), ids=lambda v: v if isinstance(v, str) else "")
def test_variables_are_typed_and_described(module: str, name: str, body: dict[str, object]) -> None:
    assert "type" in body, f"{module}: variable {name} has no type"
    assert not re.search(r"\bany\b", str(body["type"])), f"{module}: variable {name} uses `any`"
    assert str(body.get("description", "")).strip(), f"{module}: variable {name} has no description"
    if _is_credential(name) and not name.endswith("_id"):
        assert body.get("sensitive") is True, f"{module}: variable {name} carries a credential but is not sensitive"


@pytest.mark.parametrize(("module", "name", "body"), _items("outputs"), ids=lambda v: v if isinstance(v, str) else "")
def test_outputs_are_described_and_credentials_sensitive(module: str, name: str, body: dict[str, object]) -> None:
    assert str(body.get("description", "")).strip(), f"{module}: output {name} has no description"
    if _is_credential(name):
        assert body.get("sensitive") is True, f"{module}: output {name} carries a credential but is not sensitive"


@pytest.mark.parametrize("module", [m for m in MODULES if not m.is_example], ids=lambda m: m.relative)
def test_modules_configure_no_providers(module: hcl.Module) -> None:
    assert module.providers == [], f"{module.relative} configures providers {module.providers}"


def test_provider_constraints_are_identical_everywhere() -> None:
    seen: dict[str, set[tuple[str, str]]] = {}
    versions = {m.required_version for m in MODULES}
    for module in MODULES:
        for name, spec in module.required_providers.items():
            seen.setdefault(name, set()).add((str(spec.get("source")), str(spec.get("version"))))
    assert versions == {">= 1.9.0"}, versions
    for name, specs in seen.items():
        assert len(specs) == 1, f"provider {name} is constrained differently: {sorted(specs)}"


def test_every_used_provider_is_pinned_and_the_pin_satisfies_its_constraint() -> None:
    pinned = pins.load().providers
    for module in MODULES:
        for name, spec in module.required_providers.items():
            assert name in pinned, f"{module.relative} uses {name}, which toolchain.toml does not pin"
            assert spec["source"] == pinned[name].source, (module.relative, name)
            assert hcl.constraint_allows(str(spec["version"]), pinned[name].version), (module.relative, name)
            assert re.fullmatch(r">= [\d.]+, < \d+\.0\.0", str(spec["version"])), (
                f"{module.relative}: {name} needs a minimum and an upper major bound, got {spec['version']}"
            )


def test_constraint_parser() -> None:
    assert hcl.constraint_allows(">= 2.90.0, < 3.0.0", "2.99.1")
    assert not hcl.constraint_allows(">= 2.90.0, < 3.0.0", "3.0.0")
    assert not hcl.constraint_allows(">= 2.90.0, < 3.0.0", "2.89.9")
