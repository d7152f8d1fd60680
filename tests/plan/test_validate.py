"""`terraform validate` passes for the root, every submodule and every example (real provider schemas)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tooling import hcl, tfrun
from tooling.pins import ROOT

pytestmark = pytest.mark.plan

DIRS = [p for p in hcl.module_dirs() if not p.is_relative_to(ROOT / "tests")]


def _aliases(module: hcl.Module) -> list[tuple[str, str]]:
    found = []
    for name, spec in module.required_providers.items():
        for alias in spec.get("configuration_aliases", []) or []:
            found.append((name, str(alias).removeprefix("${").removesuffix("}").split(".")[-1]))
    return found


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=hcl.load_module(p).relative, marks=pytest.mark.providers(*sorted(hcl.load_module(p).required_providers))) for p in DIRS],
)
def test_validate(path: Path, tmp_path: Path, toolchain: object) -> None:
    module = hcl.load_module(path)
    workdir = tfrun.copy_project(tmp_path / "project") / module.relative
    aliases = _aliases(module)
    if aliases:
        # A module that takes an aliased configuration from its caller is only complete with one: validate it
        # as a caller would use it, with empty configurations of those aliases.
        blocks = [f'provider "{name}" {{\n  alias = "{alias}"\n}}\n' for name, alias in aliases]
        (workdir / "zz_validate_callers_providers.tf").write_text("\n".join(blocks))
    tfrun.init(workdir)
    result = tfrun.terraform(["validate", "-json", "-no-color"], workdir)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["diagnostics"], indent=1)
    assert report["warning_count"] == 0, json.dumps(report["diagnostics"], indent=1)
