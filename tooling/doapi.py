"""The few DigitalOcean API calls the operator verbs make: what is left of an instance, cluster credentials.

The base URL is `DIGITALOCEAN_API_URL` when set (the variable the Terraform provider reads too), so tests point
it at a local server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

DEFAULT_BASE_URL = "https://api.digitalocean.com"


class ApiError(RuntimeError):
    """The API refused or failed; the message is one line."""


@dataclass(frozen=True)
class Leftover:
    kind: str
    name: str
    id: str
    why: str  # what ties it to the instance: its name, a tag


class Api:
    def __init__(self, token: str, base_url: str | None = None, timeout: float = 30.0) -> None:
        base = base_url or os.environ.get("DIGITALOCEAN_API_URL") or DEFAULT_BASE_URL
        self.client = httpx.Client(
            base_url=base.rstrip("/"), timeout=timeout, headers={"Authorization": f"Bearer {token}"}
        )

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        try:
            response = self.client.get(path, params=params or None)
        except httpx.HTTPError as exc:
            raise ApiError(f"DigitalOcean API unreachable ({self.client.base_url}): {exc}") from exc
        if response.status_code >= 400:
            try:
                message = response.json().get("message", response.text)
            except ValueError:
                message = response.text
            raise ApiError(f"GET {path}: HTTP {response.status_code} {str(message)[:200]}")
        return dict(response.json())

    def list(self, path: str, key: str) -> list[dict[str, Any]]:
        """Every item of a paginated list (following links.pages.next)."""
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"per_page": 200}
        while True:
            page = self.get(path, **params)
            items += page.get(key) or []
            following = ((page.get("links") or {}).get("pages") or {}).get("next")
            if not following:
                return items
            parts = urlsplit(following)
            path, params = parts.path, dict(httpx.QueryParams(parts.query))

    def cluster_credentials(self, cluster_id: str, expiry_seconds: int) -> dict[str, Any]:
        return self.get(f"/v2/kubernetes/clusters/{cluster_id}/credentials", expiry_seconds=expiry_seconds)


def _ours(name: str, item_name: str) -> bool:
    return item_name == name or item_name.startswith(f"{name}-")


# What to look at: (kind, list path, key, how an item's name is read).
LISTS = (
    ("load balancer", "/v2/load_balancers", "load_balancers"),
    ("volume", "/v2/volumes", "volumes"),
    ("kubernetes cluster", "/v2/kubernetes/clusters", "kubernetes_clusters"),
    ("database cluster", "/v2/databases", "databases"),
    ("spaces key", "/v2/spaces/keys", "keys"),
    ("vpc", "/v2/vpcs", "vpcs"),
)


def match(name: str, cluster_id: str | None, kind: str, item: dict[str, Any]) -> Leftover | None:
    item_name = str(item.get("name", ""))
    # Volumes carry `tags`; a load balancer's `tag` names the droplets it targets (the cluster's k8s:<id>).
    tags = [str(t) for t in [*(item.get("tags") or []), item.get("tag")] if t]
    ident = str(item.get("id") or item.get("access_key") or item_name)
    if _ours(name, item_name):
        return Leftover(kind, item_name, ident, f"name {item_name}")
    if cluster_id and f"k8s:{cluster_id}" in tags:
        return Leftover(kind, item_name, ident, f"tag k8s:{cluster_id} (created by the cluster)")
    if name in tags:
        return Leftover(kind, item_name, ident, f"tag {name}")
    return None


def leftovers(api: Api, name: str, cluster_id: str | None, kinds: tuple[str, ...] | None = None) -> list[Leftover]:
    found = []
    for kind, path, key in LISTS:
        if kinds is not None and kind not in kinds:
            continue
        for item in api.list(path, key):
            hit = match(name, cluster_id, kind, item)
            if hit:
                found.append(hit)
    return found
