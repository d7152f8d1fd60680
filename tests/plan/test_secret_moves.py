"""The `moved` blocks of modules/mastodon-helm's Secrets, planned: a state holding each Secret at the address it had
as a resource of its own plans as a move into the one `kubernetes_secret_v1.this` map, never a destroy and create.

The state is written from a first plan of tests/fixtures/plan/secrets-moved (every optional Secret on): each
Secret's planned attributes (computed ones filled in, as a cluster would) under its former address, beside the
namespaces it lives in. The second plan reads that state without refreshing, so no cluster is needed.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tooling import tfrun

FIXTURE = "tests/fixtures/plan/secrets-moved"
MODULE_CALL = "module.mastodon"
MAP = "kubernetes_secret_v1.this"

pytestmark = pytest.mark.providers("helm", "kubernetes", "random", "tls")


# Where each Secret of the map was before the map, as a resource of its own (the optional ones counted).
FORMER = {
    **{key: f"kubernetes_secret_v1.{key}" for key in ["app", "postgres", "db_ca", "redis", "s3", "smtp"]},
    **{key: f"kubernetes_secret_v1.{key}[0]" for key in ["opensearch", "postgres_admin", "digitalocean_dns"]},
}


def _plan(workdir: Path, terraform: tfrun.Runner, name: str) -> dict[str, Any]:
    plan = terraform.run(["plan", "-input=false", "-no-color", "-refresh=false", f"-out={name}"], workdir)
    assert plan.returncode == 0, plan.output
    show = terraform.run(["show", "-json", name], workdir)
    assert show.returncode == 0, show.output
    return dict(json.loads(show.stdout))


def _filled(after: Any, unknown: Any, name: str = "") -> Any:
    """The planned value with what the cluster would compute filled in (uid, resource_version, generation, id)."""
    if unknown is True:
        # The app Secret's data (the generated keys, unknown at plan) stands in as an empty map.
        return {"generation": 1, "data": {}}.get(name, f"seeded-{name or 'value'}")
    if isinstance(after, dict):
        keys = set(after) | (set(unknown) if isinstance(unknown, dict) else set())
        return {k: _filled(after.get(k), unknown.get(k) if isinstance(unknown, dict) else None, k) for k in keys}
    if isinstance(after, list):
        unknowns = unknown if isinstance(unknown, list) else []
        return [_filled(v, unknowns[i] if i < len(unknowns) else None, name) for i, v in enumerate(after)]
    return after


def _sensitive_paths(marks: Any, path: list[dict[str, Any]] | None = None) -> list[list[dict[str, Any]]]:
    """The plan's `after_sensitive` as the state's `sensitive_attributes` (a list of attribute paths)."""
    path = path or []
    if marks is True:
        return [path]
    if isinstance(marks, dict):
        return [p for k, v in marks.items() for p in _sensitive_paths(v, [*path, {"type": "get_attr", "value": k}])]
    if isinstance(marks, list):
        return [
            p
            for i, v in enumerate(marks)
            for p in _sensitive_paths(v, [*path, {"type": "index", "value": {"value": i, "type": "number"}}])
        ]
    return []


def _schema_versions(workdir: Path, terraform: tfrun.Runner) -> dict[tuple[str, str], int]:
    result = terraform.run(["providers", "schema", "-json"], workdir)
    assert result.returncode == 0, result.output
    schemas = json.loads(result.stdout)["provider_schemas"]
    return {
        (provider, kind): int(schema.get("version", 0))
        for provider, body in schemas.items()
        for kind, schema in (body.get("resource_schemas") or {}).items()
    }


def _state_resource(change: dict[str, Any], name: str, key: str | int | None, version: int) -> dict[str, Any]:
    instance: dict[str, Any] = {
        "schema_version": version,
        "attributes": _filled(change["change"]["after"], change["change"]["after_unknown"]),
        "sensitive_attributes": _sensitive_paths(change["change"]["after_sensitive"]),
    }
    resource: dict[str, Any] = {
        "module": MODULE_CALL,
        "mode": "managed",
        "type": change["type"],
        "name": name,
        "provider": f'provider["{change["provider_name"]}"]',
        "instances": [instance],
    }
    if key is not None:
        instance["index_key"] = key
        resource["each"] = "map" if isinstance(key, str) else "list"
    return resource


def _current(address: str) -> tuple[str, str | None]:
    """`module.mastodon.kubernetes_namespace_v1.edge["traefik"]` -> ("edge", "traefik")."""
    resource, _, key = address.removeprefix(f"{MODULE_CALL}.").partition("[")
    return resource.split(".")[1], key.removesuffix("]").strip('"') if key else None


def _former(address: str) -> tuple[str, int | None]:
    """`kubernetes_secret_v1.opensearch[0]` -> ("opensearch", 0); `kubernetes_secret_v1.app` -> ("app", None)."""
    name = address.removeprefix("kubernetes_secret_v1.")
    if name.endswith("]"):
        bare, index = name[:-1].split("[")
        return bare, int(index)
    return name, None


def _changes_nothing(key: str, change: dict[str, Any]) -> bool:
    """An update the cluster would not see: the same values, only Terraform's sensitivity marks differ (the
    state's marks are the first plan's, which JSON gives per attribute, not per map key). The app Secret holds the
    generated keys, unknown here (their random and tls resources are not in this state): it may update in place."""
    if change["actions"] != ["update"]:
        return False
    return key == "app" or (change["before"] == change["after"] and not change["after_unknown"])


def test_secrets_at_their_former_addresses_plan_as_moves(workdirs: tfrun.Workdirs) -> None:
    workdir = workdirs.get(FIXTURE)
    terraform = workdirs.runner
    fresh = _plan(workdir, terraform, "fresh.tfplan")
    changes = {c["address"]: c for c in fresh["resource_changes"]}
    versions = _schema_versions(workdir, terraform)

    # The namespaces stay where they are: in the state too, so the Secrets' namespace is known, as it would be.
    resources = [
        _state_resource(change, *_current(change["address"]), versions[(change["provider_name"], change["type"])])
        for change in changes.values()
        if change["type"] == "kubernetes_namespace_v1"
    ]
    for key, old in FORMER.items():
        change = changes[f'{MODULE_CALL}.{MAP}["{key}"]']
        name, index = _former(old)
        resources.append(_state_resource(change, name, index, versions[(change["provider_name"], change["type"])]))
    state = {
        "version": 4,
        "terraform_version": "1.9.0",
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": {},
        "resources": resources,
    }
    (workdir / "terraform.tfstate").write_text(json.dumps(state))

    moved = {c["address"]: c for c in _plan(workdir, terraform, "moved.tfplan")["resource_changes"]}
    problems = []
    for key, old in FORMER.items():
        change = moved[f'{MODULE_CALL}.{MAP}["{key}"]']
        actions = change["change"]["actions"]
        if change.get("previous_address") != f"{MODULE_CALL}.{old}":
            problems.append(f"{key}: previous_address {change.get('previous_address')}, not {MODULE_CALL}.{old}")
        if actions != ["no-op"] and not _changes_nothing(key, change["change"]):
            problems.append(f"{key}: {actions} (from {old}): {change['change']}")
    leftovers = [a for a, c in moved.items() if "delete" in c["change"]["actions"]]
    assert problems == [] and leftovers == [], (problems, leftovers)
