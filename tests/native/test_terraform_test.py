"""Runs every native `terraform test` file (mock providers) of every module and example, one pytest item each."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tooling import hcl, tfrun
from tooling.pins import ROOT

# Root-level native tests live apart from the pytest tree, which is the root module's default `tests/` directory.
TEST_DIRS = {".": "tests/native_root"}


def _cases() -> list[Any]:
    cases = []
    for path in hcl.module_dirs():
        module = hcl.load_module(path)
        if module.relative.startswith("tests/"):
            continue  # fixtures have their own pytest files
        test_dir = TEST_DIRS.get(module.relative, "tests")
        for test_file in sorted((path / test_dir).glob("*.tftest.hcl")):
            cases.append(
                pytest.param(
                    module.relative,
                    test_dir,
                    test_file.name,
                    marks=pytest.mark.providers(*sorted(module.required_providers)),
                    id=f"{module.relative}/{test_dir}/{test_file.name}",
                )
            )
    return cases


@pytest.mark.parametrize(("module", "test_dir", "test_file"), _cases())
def test_native(
    module: str, test_dir: str, test_file: str, terraform: tfrun.Runner, initialized: Callable[[str], Path]
) -> None:
    workdir = initialized(module)
    result = terraform.run(
        ["test", "-no-color", f"-test-directory={test_dir}", f"-filter={test_dir}/{test_file}"], workdir
    )
    assert result.returncode == 0, result.output
    summary = re.search(r"(\d+) passed, (\d+) failed", result.stdout)
    assert summary and int(summary.group(1)) > 0 and summary.group(2) == "0", result.output


def test_every_module_has_native_tests() -> None:
    """A module without a test is not done (examples are covered by plan tests)."""
    untested = [
        str(path.relative_to(ROOT))
        for path in hcl.module_dirs()
        if path.is_relative_to(ROOT / "modules") and not list((path / "tests").glob("*.tftest.hcl"))
    ]
    assert untested == []
