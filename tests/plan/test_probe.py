"""The toolchain end to end: a probe root that uses every pinned provider."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tooling import pins, tfrun
from tooling import toolchain as tc

PROBE = "tests/fixtures/probe"
ALL = tuple(pins.load().providers)


@pytest.mark.providers(*ALL)
def test_probe_validates_against_real_provider_schemas(
    terraform: tfrun.Runner, initialized: Callable[[str], Path]
) -> None:
    result = terraform.run(["validate", "-json", "-no-color"], initialized(PROBE))
    report = json.loads(result.stdout)
    assert report["valid"], result.output
    assert report["error_count"] == 0


@pytest.mark.providers(*ALL)
def test_providers_come_from_the_pinned_versions(initialized: Callable[[str], Path], toolchain: tc.Toolchain) -> None:
    workdir = initialized(PROBE)
    lock = (workdir / ".terraform.lock.hcl").read_text()
    # Each binary resolves `hashicorp/helm` against its own registry host, in the lock file and on disk.
    host = toolchain.binary.registry_host
    for pin in pins.load().providers.values():
        address = f"{host}/{pin.source}"
        assert re.search(rf'provider "{re.escape(address)}" {{\s*version\s*=\s*"{re.escape(pin.version)}"', lock), (
            pin,
            lock,
        )
    if toolchain.mode == "mirror":
        # Installed from the local mirror: the binaries terraform unpacked are the ones the mirror holds.
        for pin in pins.load().providers.values():
            installed = workdir / ".terraform/providers" / host / pin.source / pin.version / tc.platform_dir()
            assert installed.exists(), installed
