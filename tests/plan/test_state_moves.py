"""A refactor moves state, it replaces nothing: modules/databases' two Valkey clusters, once the resources `valkey`
and `valkey_cache[0]` (with their firewalls), are one `for_each` by role. State applied (against the provider
double) and put back at the earlier addresses must plan as moves alone: no cluster destroyed and created again.
The same state shows that the unchanged outputs still read each one's own cluster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tooling import hcl, tfrun
from tooling.pins import ROOT

pytestmark = pytest.mark.providers("digitalocean")

MODULE = "modules/databases"
# Earlier address -> address now. Written out here, not read from the moved blocks, so a moved block that names
# the wrong earlier address fails.
MOVES = {
    "digitalocean_database_cluster.valkey": 'digitalocean_database_cluster.valkey["valkey"]',
    "digitalocean_database_firewall.valkey": 'digitalocean_database_firewall.valkey["valkey"]',
    "digitalocean_database_cluster.valkey_cache[0]": 'digitalocean_database_cluster.valkey["valkey-cache"]',
    "digitalocean_database_firewall.valkey_cache[0]": 'digitalocean_database_firewall.valkey["valkey-cache"]',
}
VARS = {
    "name": "social",
    "region": "fra1",
    "vpc_id": "0d3176ad-41e0-4021-b831-0c5c45c60959",
    "kubernetes_cluster_id": "5f1c8a2e-0000-4000-8000-000000000001",
    "valkey_cache": {},
}


def _ok(result: tfrun.Result) -> tfrun.Result:
    assert result.returncode == 0, result.output
    return result


def _show(runner: tfrun.Runner, work: Path, *args: str) -> dict[str, Any]:
    return dict(json.loads(_ok(runner.run(["show", "-json", *args], work)).stdout))


def test_the_moved_blocks_are_these() -> None:
    def bare(address: str) -> str:
        return address.removeprefix("${").removesuffix("}")

    moved = {bare(m["from"]): bare(m["to"]) for m in hcl.load_dir(ROOT / MODULE).get("moved", [])}
    assert moved == MOVES


@pytest.fixture(scope="module")
def applied(workdirs: tfrun.Workdirs) -> tuple[Path, dict[str, Any]]:
    """The module applied with both clusters: the work directory and `terraform show -json` of its state."""
    work = workdirs.get(MODULE, files={"terraform.tfvars.json": json.dumps(VARS)})
    _ok(workdirs.runner.run(["apply", "-input=false", "-no-color", "-auto-approve"], work))
    return work, _show(workdirs.runner, work)


def test_each_valkey_output_reads_its_own_cluster(applied: tuple[Path, dict[str, Any]]) -> None:
    """The double's values differ between the two clusters (the mocks' do not), so a swapped output shows."""
    values = applied[1]["values"]
    clusters = {r["address"]: r["values"] for r in values["root_module"]["resources"]}
    outputs = {name: out["value"] for name, out in values["outputs"].items()}
    for prefix, key in (("valkey", "valkey"), ("valkey_cache", "valkey-cache")):
        cluster = clusters[f'digitalocean_database_cluster.valkey["{key}"]']
        for attribute, output in (("id", "cluster_id"), ("urn", "cluster_urn"), ("private_host", "host")):
            assert outputs[f"{prefix}_{output}"] == cluster[attribute], f"{prefix}_{output}"
        assert outputs[f"{prefix}_port"] == cluster["port"] and outputs[f"{prefix}_password"] == cluster["password"]
    assert outputs["valkey_host"] != outputs["valkey_cache_host"]


@pytest.fixture(scope="module")
def state_at_earlier_addresses(
    applied: tuple[Path, dict[str, Any]], workdirs: tfrun.Workdirs
) -> tuple[Path, dict[str, str]]:
    """The applied state, each instance moved back to where earlier versions kept it. Returns the work directory
    and each earlier address's cluster or firewall id."""
    runner = workdirs.runner
    work = applied[0]
    # The cache instance first: the main one can leave its key only once it is the resource's last instance.
    for earlier, now in sorted(MOVES.items(), key=lambda move: "valkey-cache" not in move[1]):
        _ok(runner.run(["state", "mv", "-no-color", now, earlier], work))
    state = _show(runner, work)["values"]["root_module"]["resources"]
    ids = {r["address"]: str(r["values"]["id"]) for r in state if r["address"] in MOVES}
    assert sorted(ids) == sorted(MOVES), f"state holds {sorted(r['address'] for r in state)}"
    return work, ids


def test_state_at_the_earlier_addresses_plans_as_moves_alone(
    state_at_earlier_addresses: tuple[Path, dict[str, str]], workdirs: tfrun.Workdirs
) -> None:
    work, ids = state_at_earlier_addresses
    runner = workdirs.runner
    _ok(runner.run(["plan", "-input=false", "-no-color", "-out=tfplan"], work))
    changes = _show(runner, work, "tfplan")["resource_changes"]
    acting = {c["address"]: c["change"]["actions"] for c in changes if c["change"]["actions"] != ["no-op"]}
    assert acting == {}, f"a move must change nothing else: {acting}"
    moved = {c["previous_address"]: c["address"] for c in changes if c.get("previous_address")}
    assert moved == MOVES
    # The very objects move: the planned instance carries the id the earlier address had.
    planned = {c["address"]: c["change"]["after"] for c in changes}
    assert {earlier: str(planned[now]["id"]) for earlier, now in MOVES.items()} == ids
