"""The toolchain end to end, natively: `terraform test` of the probe root, which uses every pinned provider."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tooling import pins, tfrun

PROBE = "tests/fixtures/probe"
ALL = tuple(pins.load().providers)


@pytest.mark.providers(*ALL)
def test_native_test_with_mock_digitalocean_passes(
    terraform: tfrun.Runner, initialized: Callable[[str], Path]
) -> None:
    result = terraform.run(["test", "-no-color"], initialized(PROBE))
    assert result.returncode == 0, result.output
    assert "1 passed, 0 failed" in result.stdout


@pytest.mark.providers(*ALL)
def test_native_test_assertion_fails_on_a_wrong_value(
    terraform: tfrun.Runner, initialized: Callable[[str], Path]
) -> None:
    result = terraform.run(["test", "-no-color", "-var", "name=other"], initialized(PROBE))
    assert result.returncode == 1, result.output
    assert "VPC name is other-vpc, expected probe-vpc" in result.output
