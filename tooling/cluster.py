"""Reaching the instance's cluster: fresh credentials from the DigitalOcean API, then the Kubernetes API.

The `kubernetes` Python client is used rather than a kubectl subprocess: it installs from PyPI with the rest of
the tooling, so `./run status` and `./run admin` work on a machine without kubectl. Credentials are asked for
with a short expiry on every call and stay in memory; only `./run kubeconfig` writes them, to a path outside
the repository, mode 0600.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tooling import doapi
from tooling.instance import OperateError
from tooling.pins import ROOT

# The kubernetes client is imported where a verb first talks to a cluster: it is most of the start-up time of
# every `./run` task (tasks.py imports this module), and most tasks never reach a cluster.
if TYPE_CHECKING:
    from kubernetes import client as k8s

ADMIN_SECRET = "mastodon-admin-credentials"  # noqa: S105 - the Secret's name, not a password
SESSION_EXPIRY_SECONDS = 3600
APP_SELECTOR = "app.kubernetes.io/name=mastodon"


def kubeconfig(cluster_name: str, creds: dict[str, Any]) -> dict[str, Any]:
    """A kubeconfig from the API's credentials (a bearer token, or a client certificate)."""
    user: dict[str, Any] = {}
    if creds.get("token"):
        user["token"] = creds["token"]
    if creds.get("client_certificate_data"):
        user["client-certificate-data"] = creds["client_certificate_data"]
        user["client-key-data"] = creds["client_key_data"]
    cluster: dict[str, Any] = {"server": creds["server"]}
    if creds.get("certificate_authority_data"):
        cluster["certificate-authority-data"] = creds["certificate_authority_data"]
    context = f"do-{cluster_name}"
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": context, "cluster": cluster}],
        "users": [{"name": f"{context}-admin", "user": user}],
        "contexts": [{"name": context, "context": {"cluster": context, "user": f"{context}-admin"}}],
        "current-context": context,
    }


def expires(creds: dict[str, Any]) -> datetime | None:
    value = creds.get("expires_at")
    if not value:
        return None
    # The API gives nanoseconds (2019-11-09T11:50:28.889080521Z); datetime keeps microseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", str(value)).replace("Z", "+00:00")
    return datetime.fromisoformat(text)


def write_kubeconfig(path: Path, config: dict[str, Any]) -> Path:
    """Write to `path` (never inside the repository), private to the user."""
    target = path.expanduser().resolve()
    if target.is_relative_to(ROOT.resolve()):
        raise OperateError(f"{target} is inside the repository; give a path outside it, e.g. ~/.kube/mastodon")
    if target.is_dir():
        raise OperateError(f"{target} is a directory; give a file path, e.g. {target}/mastodon")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(config, handle, sort_keys=False)
    target.chmod(0o600)
    return target


def cluster_id(outputs: dict[str, Any]) -> str:
    value = outputs.get("cluster_id")
    if not value:
        raise OperateError("no cluster_id in the state's outputs: deploy the instance first (./run deploy)")
    return str(value)


@dataclass(frozen=True)
class Pod:
    name: str
    component: str
    phase: str
    ready: bool
    restarts: int


class Cluster:
    """The few Kubernetes calls the verbs make."""

    def __init__(self, api_client: k8s.ApiClient) -> None:
        from kubernetes import client as k8s

        self.core = k8s.CoreV1Api(api_client)

    @classmethod
    def connect(cls, api: doapi.Api, cluster: str) -> Cluster:
        from kubernetes import config as k8s_config

        creds = api.cluster_credentials(cluster, SESSION_EXPIRY_SECONDS)
        api_client: k8s.ApiClient = k8s_config.new_client_from_config_dict(kubeconfig(cluster, creds))  # type: ignore[no-untyped-call]
        return cls(api_client)

    def pods(self, namespace: str) -> list[Pod]:
        from kubernetes import client as k8s

        found = []
        for item in self.core.list_namespaced_pod(namespace, label_selector=APP_SELECTOR).items:
            meta, status = item.metadata or k8s.V1ObjectMeta(), item.status or k8s.V1PodStatus()
            statuses = status.container_statuses or []
            found.append(
                Pod(
                    name=str(meta.name),
                    component=(meta.labels or {}).get("app.kubernetes.io/component", "?"),
                    phase=status.phase or "Unknown",
                    ready=bool(statuses) and all(s.ready for s in statuses),
                    restarts=sum(s.restart_count or 0 for s in statuses),
                )
            )
        return found

    def running_pod(self, namespace: str, component: str) -> str:
        for pod in self.pods(namespace):
            if pod.component == component and pod.phase == "Running" and pod.ready:
                return pod.name
        raise OperateError(f"no ready {component} pod in namespace {namespace}: see ./run status")

    def read_secret(self, namespace: str, name: str) -> dict[str, str]:
        from kubernetes import client as k8s

        try:
            secret = self.core.read_namespaced_secret(name, namespace)
        except k8s.ApiException as exc:
            if exc.status == 404:
                raise OperateError(
                    f"Secret {namespace}/{name} does not exist: was the instance deployed with an admin?"
                ) from exc
            raise
        return {k: base64.b64decode(v).decode() for k, v in (secret.data or {}).items()}

    def update_secret(self, namespace: str, name: str, values: dict[str, str]) -> None:
        data = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
        self.core.patch_namespaced_secret(name, namespace, {"data": data})

    def exec(self, namespace: str, pod: str, command: list[str]) -> str:
        from kubernetes.stream import stream

        return str(
            stream(
                self.core.connect_get_namespaced_pod_exec,
                pod,
                namespace,
                command=command,
                stderr=True,
                stdin=False,
                stdout=True,
                tty=False,
            )
        )


# --- admin ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admin:
    username: str
    email: str
    password: str


def admin_secret(outputs: dict[str, Any]) -> tuple[str, str]:
    """(namespace, name) of the Secret holding the first admin's credentials."""
    ref = outputs.get("mastodon_admin_secret")
    if ref and "/" in str(ref):
        namespace, name = str(ref).split("/", 1)
        return namespace, name
    return str(outputs.get("mastodon_namespace") or "mastodon"), ADMIN_SECRET


def read_admin(cluster: Cluster, outputs: dict[str, Any]) -> Admin:
    namespace, name = admin_secret(outputs)
    data = cluster.read_secret(namespace, name)
    missing = [k for k in ("username", "email", "password") if not data.get(k)]
    if missing:
        raise OperateError(f"Secret {namespace}/{name} lacks {', '.join(missing)}")
    return Admin(data["username"], data["email"], data["password"])


NEW_PASSWORD = re.compile(r"New password:\s*(\S+)")


def reset_admin(cluster: Cluster, outputs: dict[str, Any]) -> Admin:
    """A new password through tootctl in a web pod, written back to the Secret; returned once."""
    current = read_admin(cluster, outputs)
    namespace, name = admin_secret(outputs)
    pod = cluster.running_pod(namespace, "web")
    output = cluster.exec(namespace, pod, ["bin/tootctl", "accounts", "modify", current.username, "--reset-password"])
    found = NEW_PASSWORD.search(output)
    if not found:
        raise OperateError(f"tootctl did not print a new password: {output.strip()[:200]!r}")
    cluster.update_secret(namespace, name, {"password": found.group(1)})
    return Admin(current.username, current.email, found.group(1))


# --- status ---------------------------------------------------------------------------------------------------

SIDEKIQ_STATS = (
    'require "sidekiq/api"; s = Sidekiq::Stats.new; '
    'puts [s.enqueued, s.scheduled_size, s.retry_size, s.dead_size].join(" ")'
)


def sidekiq_queues(cluster: Cluster, namespace: str) -> dict[str, int]:
    pod = next((p.name for p in cluster.pods(namespace) if p.component.startswith("sidekiq") and p.ready), None)
    if pod is None:
        raise OperateError("no ready Sidekiq pod")
    output = cluster.exec(namespace, pod, ["bin/rails", "runner", SIDEKIQ_STATS])
    numbers = re.findall(r"^(\d+) (\d+) (\d+) (\d+)\s*$", output, re.M)
    if not numbers:
        raise OperateError(f"unexpected answer from Sidekiq: {output.strip()[-120:]!r}")
    return dict(zip(("enqueued", "scheduled", "retries", "dead"), map(int, numbers[-1]), strict=True))


def component_lines(pods: list[Pod]) -> list[str]:
    by: dict[str, list[Pod]] = {}
    for pod in pods:
        by.setdefault(pod.component, []).append(pod)
    lines = []
    for component in sorted(by):
        group = by[component]
        ready = sum(1 for p in group if p.ready or p.phase == "Succeeded")
        restarts = sum(p.restarts for p in group)
        not_running = [f"{p.name} {p.phase}" for p in group if p.phase not in ("Running", "Succeeded")]
        extra = f"; {', '.join(not_running)}" if not_running else ""
        lines.append(f"  {component:<22} {ready}/{len(group)} ready or done, {restarts} restarts{extra}")
    return lines


def now() -> datetime:
    return datetime.now(tz=UTC)
