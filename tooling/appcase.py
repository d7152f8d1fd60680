"""What the apply tier takes from an example: its node pools (as the doks module hands them to
modules/mastodon-helm) and its Mastodon sizing, read from the example's HCL so the tier follows the example.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tooling import hcl
from tooling.localcluster import NodeSpec
from tooling.pins import ROOT

POOL_LABEL = "doks.digitalocean.com/node-pool"


@dataclass(frozen=True)
class AppCase:
    example: str
    node_pools: dict[str, dict[str, Any]]  # the doks module's `node_pools` output shape
    sizing: dict[str, Any]
    nodes: list[NodeSpec]


def _module_block(example: str) -> dict[str, Any]:
    blocks = hcl.load_dir(ROOT / "examples" / example).get("module", [])
    for block in blocks:
        if "mastodon" in block:
            body: dict[str, Any] = block["mastodon"]
            return body
    raise ValueError(f'examples/{example} has no module "mastodon" block')


def from_example(example: str, name: str) -> AppCase:
    """The example's pools named as modules/doks names them (`<name>-<role>`), with one fake node per node the
    pool starts with (node_count, else min_nodes)."""
    body = _module_block(example)
    pools: dict[str, dict[str, Any]] = {}
    nodes: list[NodeSpec] = []
    for role, pool in body.get("node_pools", {}).items():
        pool_name = f"{name}-{role}"
        labels = {**pool.get("labels", {}), POOL_LABEL: pool_name}
        taints = [{"key": t["key"], "value": t.get("value", ""), "effect": t["effect"]} for t in pool.get("taints", [])]
        pools[role] = {"name": pool_name, "labels": labels, "taints": taints}
        count = int(pool.get("node_count") or pool.get("min_nodes") or 1)
        nodes += [NodeSpec(f"{pool_name}-{i}", labels, tuple(taints)) for i in range(count)]
    sizing = body.get("mastodon", {}).get("sizing", {}) if isinstance(body.get("mastodon"), dict) else {}
    return AppCase(example=example, node_pools=pools, sizing=dict(sizing), nodes=nodes)
