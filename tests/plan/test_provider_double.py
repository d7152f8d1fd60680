"""The schema double of the DigitalOcean provider (tests/provider-double), tried the way Terraform uses it.

These tests install the double even where the real provider is available, so they hold on every machine: they
prove the stand-in, not the module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tooling import pins, schemas, tfrun
from tooling import toolchain as tc
from tooling.pins import ROOT

pytestmark = pytest.mark.providers("digitalocean")

FIXTURE = ROOT / "tests" / "fixtures" / "double"
HEADER = 'terraform {\n  required_providers {\n    digitalocean = { source = "digitalocean/digitalocean" }\n  }\n}\n'

CLUSTER = (
    'resource "digitalocean_kubernetes_cluster" "x" {{\n'
    '  name    = "x"\n  region  = "fra1"\n  version = "1.35.1-do.0"\n{pools}}}\n'
)
POOL = '  node_pool {{\n    name = "{}"\n    size = "s-1vcpu-2gb"\n  }}\n'

# Each configuration breaks one schema rule; Terraform's own message for it is expected, as with the real provider.
INVALID = {
    "misspelled-argument": (
        'resource "digitalocean_vpc" "x" {\n  name   = "x"\n  regoin = "fra1"\n}\n',
        "Unsupported argument",
    ),
    "wrong-type": (
        'resource "digitalocean_vpc" "x" {\n  name   = "x"\n  region = ["fra1"]\n}\n',
        "Incorrect attribute value type",
    ),
    "missing-required": ('resource "digitalocean_vpc" "x" {\n  name = "x"\n}\n', "Missing required argument"),
    "unknown-resource-type": ('resource "digitalocean_droplet_cluster" "x" {}\n', "Invalid resource type"),
    "unknown-data-source": ('data "digitalocean_droplet_cluster" "x" {}\n', "Invalid data source"),
    "too-many-blocks": (CLUSTER.format(pools=POOL.format("a") + POOL.format("b")), "Too many node_pool blocks"),
    "too-few-blocks": (CLUSTER.format(pools=""), "Insufficient node_pool blocks"),
}


@pytest.fixture(scope="session")
def double_env(toolchain: tc.Toolchain, terraform: tfrun.Runner) -> tfrun.Runner:
    """Terraform whose CLI config installs the double for digitalocean and the toolchain's other providers."""
    return terraform.with_env(
        TF_CLI_CONFIG_FILE=str(tc.double_only_cli_config(toolchain, "digitalocean")), TFDOM_DOUBLE_OVERRIDES=""
    )


def _workdir(tmp_path: Path, env: tfrun.Runner, files: dict[str, str] | None = None) -> Path:
    work = tmp_path / "work"
    if files is None:
        shutil.copytree(FIXTURE, work)
    else:
        work.mkdir()
        for name, text in files.items():
            (work / name).write_text(text)
    result = env.run(["init", "-backend=false", "-input=false", "-no-color"], work)
    assert result.returncode == 0, result.output
    return work


def _json(result: tfrun.Result) -> dict[str, Any]:
    assert result.stdout.strip().startswith("{"), result.output
    return dict(json.loads(result.stdout))


def _plan(work: Path, env: tfrun.Runner, *extra: str) -> dict[str, Any]:
    result = env.run(["plan", "-input=false", "-no-color", "-out=tfplan", *extra], work)
    assert result.returncode == 0, result.output
    return _json(env.run(["show", "-json", "tfplan"], work))


def _apply(work: Path, env: tfrun.Runner, *extra: str) -> dict[str, Any]:
    result = env.run(["apply", "-input=false", "-no-color", "-auto-approve", *extra], work)
    assert result.returncode == 0, result.output
    return _json(env.run(["show", "-json"], work))


def _resources(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    module = state["values"]["root_module"]
    return {r["address"]: r["values"] for r in module["resources"]}


@pytest.mark.parametrize(("snippet", "message"), list(INVALID.values()), ids=list(INVALID))
def test_validate_rejects_what_the_schema_rejects(
    snippet: str, message: str, tmp_path: Path, double_env: tfrun.Runner
) -> None:
    work = _workdir(tmp_path, double_env, {"main.tf": HEADER + snippet})
    report = _json(double_env.run(["validate", "-json", "-no-color"], work))
    assert report["valid"] is False
    summaries = [d["summary"] for d in report["diagnostics"]]
    assert message in summaries, summaries


def test_validate_accepts_a_valid_configuration(tmp_path: Path, double_env: tfrun.Runner) -> None:
    work = _workdir(tmp_path, double_env)
    report = _json(double_env.run(["validate", "-json", "-no-color"], work))
    assert report["valid"] is True, report
    assert report["warning_count"] == 0, report


def test_plan_leaves_computed_values_unknown_and_keeps_config(tmp_path: Path, double_env: tfrun.Runner) -> None:
    plan = _plan(_workdir(tmp_path, double_env), double_env)
    changes = {c["address"]: c["change"] for c in plan["resource_changes"]}
    vpc = changes["digitalocean_vpc.this"]
    assert vpc["actions"] == ["create"]
    assert vpc["after"]["name"] == "double-vpc" and vpc["after"]["region"] == "fra1"
    assert {"id", "urn", "ip_range", "created_at"} <= set(vpc["after_unknown"])
    cluster = changes["digitalocean_kubernetes_cluster.this"]
    # Computed attributes inside a list block, and a whole computed list of objects.
    assert cluster["after_unknown"]["node_pool"][0]["id"] is True
    assert cluster["after_unknown"]["kube_config"] is True
    assert cluster["after"]["node_pool"][0]["node_count"] == 2
    # A data source is read at plan time with deterministic, type-correct values.
    assert isinstance(cluster["after"]["version"], str) and cluster["after"]["version"]
    firewall = changes["digitalocean_database_firewall.this"]
    assert all(rule["uuid"] is True for rule in firewall["after_unknown"]["rule"])


def test_apply_fills_every_unknown_and_a_plan_after_it_shows_no_changes(
    tmp_path: Path, double_env: tfrun.Runner
) -> None:
    work = _workdir(tmp_path, double_env)
    state = _resources(_apply(work, double_env))
    vpc = state["digitalocean_vpc.this"]
    assert vpc["id"] and vpc["urn"] and vpc["ip_range"], vpc
    cluster = state["digitalocean_kubernetes_cluster.this"]
    assert cluster["vpc_uuid"] == vpc["id"]  # a value known only after apply flows on
    assert cluster["node_pool"][0]["id"] and cluster["kube_config"][0]["host"]
    rules = state["digitalocean_database_firewall.this"]["rule"]
    assert len({rule["uuid"] for rule in rules}) == 2
    assert {rule["value"] for rule in rules} == {cluster["id"], "192.0.2.10"}

    again = double_env.run(["plan", "-input=false", "-no-color", "-detailed-exitcode"], work)
    assert again.returncode == 0, again.output  # 2 would mean changes
    assert "No changes" in again.stdout


def test_two_runs_give_equal_values(tmp_path: Path, double_env: tfrun.Runner) -> None:
    first = _resources(_apply(_workdir(tmp_path / "a", double_env), double_env))
    second = _resources(_apply(_workdir(tmp_path / "b", double_env), double_env))
    assert first == second
    other = _resources(_apply(_workdir(tmp_path / "c", double_env), double_env, "-var=name=other"))
    assert other["digitalocean_vpc.this"]["id"] != first["digitalocean_vpc.this"]["id"]


def test_data_source_values_come_from_an_overrides_file(tmp_path: Path, double_env: tfrun.Runner) -> None:
    overrides = tmp_path / "overrides.json"
    overrides.write_text(
        json.dumps({"data_sources": {"digitalocean_kubernetes_versions": {"latest_version": "1.35.9-do.3"}}})
    )
    env = double_env.with_env(TFDOM_DOUBLE_OVERRIDES=str(overrides))
    plan = _plan(_workdir(tmp_path, env), env)
    assert plan["planned_values"]["outputs"]["kubernetes_version"]["value"] == "1.35.9-do.3"


def test_destroy_and_import_pass_through(tmp_path: Path, double_env: tfrun.Runner) -> None:
    work = _workdir(tmp_path, double_env)
    _apply(work, double_env)
    destroyed = double_env.run(["destroy", "-input=false", "-no-color", "-auto-approve"], work)
    assert destroyed.returncode == 0, destroyed.output
    assert "Destroy complete! Resources: 4 destroyed." in destroyed.stdout
    imported = double_env.run(
        ["import", "-input=false", "-no-color", "digitalocean_vpc.this", "3f1c5b1e-0000-4000-8000-000000000001"], work
    )
    assert imported.returncode == 0, imported.output
    shown = double_env.run(["state", "show", "-no-color", "digitalocean_vpc.this"], work)
    assert '"3f1c5b1e-0000-4000-8000-000000000001"' in shown.stdout


@pytest.mark.real_provider("digitalocean", why="it compares the schema fixture with the real provider's own schema")
def test_schema_fixture_matches_the_real_provider(toolchain: tc.Toolchain) -> None:
    double = pins.load().doubles["digitalocean"]
    assert schemas.from_installed(toolchain, "digitalocean") == double.schema.read_text(), "run `./run schemas`"
