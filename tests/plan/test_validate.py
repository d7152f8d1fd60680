"""`terraform validate` passes for the root, every submodule and every example (real provider schemas), run as
`./run lint` runs it: in a view of the project (symlinks), so the tree gains no `.terraform` and no lock file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tooling import hcl, lint, tfrun
from tooling import toolchain as toolchain_module

DIRS = lint.shipped_dirs()


def _terraform_files() -> dict[Path, bytes]:
    """Every `.terraform` directory and lock file under the shipped directories, with a lock file's bytes."""
    found: dict[Path, bytes] = {}
    for directory in DIRS:
        if (directory / ".terraform").exists():
            found[directory / ".terraform"] = b""
        if (directory / tfrun.LOCK).is_file():
            found[directory / tfrun.LOCK] = (directory / tfrun.LOCK).read_bytes()
    return found


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
    # The same check `./run lint` runs (with empty configurations of any aliased providers the module takes).
    report = lint.validate_dir(terraform, module, tmp_path / "view")
    assert report["valid"], json.dumps(report["diagnostics"], indent=1)
    assert report["warning_count"] == 0, json.dumps(report["diagnostics"], indent=1)


@pytest.mark.providers("digitalocean", "helm", "kubernetes", "random", "tls")
def test_lint_validates_every_root_and_leaves_the_tree_as_it_was(toolchain: toolchain_module.Toolchain) -> None:
    """`./run lint` validates all roots, each in its own view: what one root needs must not leak into the next,
    and no `.terraform` or lock file appears in the tree, nor does an existing one change."""
    before = _terraform_files()
    outcome = lint.validate(toolchain, DIRS)
    assert outcome.ok and outcome.findings == [], outcome.findings
    assert outcome.summary.startswith(f"{len(DIRS)} roots valid"), outcome.summary
    assert _terraform_files() == before
    assert [d for d in DIRS if (d / "zz_validate_callers_providers.tf").exists()] == []
