"""`terraform validate` passes for the root, every submodule and every example (real provider schemas)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tooling import hcl, lint, tfrun
from tooling import toolchain as toolchain_module

DIRS = lint.shipped_dirs()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=hcl.load_module(p).relative,
            marks=pytest.mark.providers(*sorted(hcl.load_module(p).required_providers)),
        )
        for p in DIRS
    ],
)
def test_validate(path: Path, tmp_path: Path, terraform: tfrun.Runner) -> None:
    module = hcl.load_module(path)
    workdir = tfrun.copy_project(tmp_path / "project", terraform.opentofu) / module.relative
    # The same check `./run lint` runs (with empty configurations of any aliased providers the module takes).
    report = lint.validate_dir(terraform, workdir, module)
    assert report["valid"], json.dumps(report["diagnostics"], indent=1)
    assert report["warning_count"] == 0, json.dumps(report["diagnostics"], indent=1)


@pytest.mark.providers("digitalocean", "helm", "kubernetes", "random", "tls")
def test_lint_validates_every_root_in_one_copy(toolchain: toolchain_module.Toolchain) -> None:
    """`./run lint` validates all roots in one copy: what one root needs must not leak into the next."""
    outcome = lint.validate(toolchain, DIRS)
    assert outcome.ok and outcome.findings == [], outcome.findings
    assert outcome.summary.startswith(f"{len(DIRS)} roots valid"), outcome.summary
