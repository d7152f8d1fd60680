"""Shared fixtures: the toolchain (built or found once per session) and temporary project copies."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tooling import clusterbuild, tfrun, tiers
from tooling import localcluster as kube
from tooling import toolchain as tc
from tooling.pins import ROOT

DOUBLE_OVERRIDES_ENV = "TFDOM_DOUBLE_OVERRIDES"
DOUBLE_OVERRIDES = ROOT / "tests" / "data" / "provider-double-overrides.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--binary",
        choices=tc.BINARY_KINDS,
        default=None,
        help="run the session on this binary (tofu is built into the cache when not on PATH); sets TFDOM_BINARY",
    )


def pytest_configure(config: pytest.Config) -> None:
    binary = config.getoption("binary")
    if binary:
        # Read by the toolchain (and inherited by xdist workers and every terraform the tests start).
        os.environ["TFDOM_BINARY"] = binary
        os.environ.pop("TERRAFORM", None)
    config.addinivalue_line("markers", "providers(*names): providers the test needs; skipped where one cannot be had")
    config.addinivalue_line(
        "markers",
        "real_provider(*names, why=...): the test's meaning depends on these providers' own code (not only their"
        " schema): skipped where only a schema double stands in, saying why",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    misplaced = tiers.misplaced(items)
    if misplaced:
        raise pytest.UsageError(
            "every test needs exactly one tier, given by its folder under tests/ (see tooling/tiers.py):\n  "
            + "\n  ".join(misplaced)
        )
    opted_in = os.environ.get("DIGITALOCEAN_TOKEN") and os.environ.get("TFDOM_E2E") == "1"
    skip = pytest.mark.skip(reason="e2e needs DIGITALOCEAN_TOKEN and TFDOM_E2E=1 (creates billable resources)")
    for item in items:
        if "e2e" in item.keywords and not opted_in:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def toolchain() -> tc.Toolchain:
    """The binary and providers, built or found once; fails with one line saying what is missing."""
    try:
        return tc.setup(log=lambda message: print(message, file=sys.stderr))
    except tc.ToolchainError as exc:
        pytest.fail(f"toolchain: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def terraform(toolchain: tc.Toolchain) -> tfrun.Runner:
    """The toolchain's terraform as the tests run it: its CLI config (schema doubles allowed) and the values the
    schema double answers instead of generated ones (e.g. a realistic Kubernetes version list)."""
    overrides = os.environ.get(DOUBLE_OVERRIDES_ENV, str(DOUBLE_OVERRIDES))
    return tfrun.Runner.of(toolchain, tests=True, **{DOUBLE_OVERRIDES_ENV: overrides})


def _missing_real(chain: tc.Toolchain, marker: pytest.Mark) -> str | None:
    reason = chain.real_provider_missing(list(marker.args))
    return f"{reason}; {marker.kwargs['why']}" if reason else None


# What each marker asks of the toolchain: the reason to skip when it lacks it, else None.
_REQUIRES: dict[str, Callable[[tc.Toolchain, pytest.Mark], str | None]] = {
    "providers": lambda chain, marker: chain.unavailable(list(marker.args)),
    "real_provider": _missing_real,
}


@pytest.fixture(autouse=True)
def _require_toolchain(request: pytest.FixtureRequest) -> None:
    """Skip a test whose `providers` or `real_provider` marker names what this machine's toolchain lacks."""
    for name, missing in _REQUIRES.items():
        marker = request.node.get_closest_marker(name)
        if marker is None:
            continue
        reason = missing(request.getfixturevalue("toolchain"), marker)
        if reason:
            pytest.skip(reason)


@pytest.fixture(scope="session")
def workdirs(tmp_path_factory: pytest.TempPathFactory, terraform: tfrun.Runner) -> tfrun.Workdirs:
    """`workdirs.get("examples/minimal", files={...})`: a private copy of the project with that directory
    initialized; `terraform init` runs once per session for each distinct content of a directory."""
    return tfrun.Workdirs(terraform, tmp_path_factory.mktemp("workdirs"))


@pytest.fixture(scope="session")
def initialized(workdirs: tfrun.Workdirs) -> Callable[[str], Path]:
    """`initialized("examples/minimal")`: one initialized copy of that directory per session, shared by
    read-only tests (a test that writes into its directory takes `workdirs.get` instead)."""
    done: dict[str, Path] = {}

    def get(relative: str) -> Path:
        if relative not in done:
            done[relative] = workdirs.get(relative)
        return done[relative]

    return get


@pytest.fixture(scope="session")
def cluster() -> Iterator[kube.Cluster]:
    """A local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok), built into the
    cache on first use, started once per session and stopped at its end whatever happened."""
    log = lambda message: print(message, file=sys.stderr)  # noqa: E731 - one-line logger
    try:
        binaries = clusterbuild.ensure(log=log)
    except clusterbuild.ClusterBuildError as exc:
        pytest.fail(f"cluster: {exc}", pytrace=False)
    try:
        with kube.start(binaries, log=log) as running:
            yield running
    except kube.ClusterError as exc:
        pytest.fail(f"cluster: {exc}", pytrace=False)
