"""A local Kubernetes control plane on 127.0.0.1 for applying modules/mastodon-helm for real.

etcd, kube-apiserver (token authentication, RBAC), kube-controller-manager (Deployments, Jobs, garbage collection,
namespace finalization) and kube-scheduler run as child processes in their own process groups, on random free
ports, with all state in a temporary directory. kwok plays the kubelets: it keeps fake Nodes ready and moves pods
to Running/Ready, and Job pods to Succeeded. A small loop plays DigitalOcean's cloud controller: it gives every
LoadBalancer Service the status DOKS gives it (the do-loadbalancer-hostname annotation's host name, else an IP)
and its load-balancer-id annotation. `start()` is a context manager that stops every process it started,
whatever happens inside it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import ipaddress
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tooling import certs
from tooling.clusterbuild import Binaries

HOST = "127.0.0.1"
SERVICE_CIDR = "10.96.0.0/16"
POD_CIDR = "10.244.0.0/16"
LB_HOSTNAME_ANNOTATION = "service.beta.kubernetes.io/do-loadbalancer-hostname"
LB_ID_ANNOTATION = "kubernetes.digitalocean.com/load-balancer-id"
KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node"
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
# Job pods stay Running this long: Kubernetes records start and completion times in whole seconds, so a Job
# that takes at least a second lets those times show the order the Jobs ran in.
JOB_POD_RUN_MILLISECONDS = 1200
START_TIMEOUT_SECONDS = 120.0

Log = Callable[[str], None]


class ClusterError(RuntimeError):
    """The control plane did not come up (or a request to it failed); the message says which part and why."""


@dataclass(frozen=True)
class NodeSpec:
    """A fake node: its name, labels (e.g. the DOKS pool label) and taints ({key, value, effect})."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    taints: tuple[dict[str, str], ...] = ()


# --- a minimal API client ---------------------------------------------------------------------------------


class Client:
    """JSON over HTTPS with the cluster's CA and bearer token; enough for the fixture, tests and the LB loop."""

    def __init__(self, server: str, token: str, ca_pem: bytes) -> None:
        self.server = server
        self._token = token
        self._context = ssl.create_default_context(cadata=ca_pem.decode())
        self._discovery: dict[str, dict[str, tuple[str, bool]]] = {}

    def request(self, method: str, path: str, body: Any = None, content_type: str = "application/json") -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.server + path, data=data, method=method)  # noqa: S310 - https to loopback
        req.add_header("Authorization", f"Bearer {self._token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, context=self._context, timeout=30) as response:  # noqa: S310 - loopback
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise ClusterError(f"{method} {path}: {exc.code} {exc.read().decode(errors='replace')[:300]}") from exc
        return json.loads(raw) if raw[:1] in (b"{", b"[") else raw.decode()

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def items(self, path: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get(path).get("items", [])
        return result

    def exists(self, path: str) -> bool:
        try:
            self.get(path)
        except ClusterError as exc:
            if ": 404 " in str(exc):
                return False
            raise
        return True

    def merge_patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body, "application/merge-patch+json")

    def object_path(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> str:
        """The REST path of an object, its resource name found through API discovery (cached per group)."""
        resource = self._resources(api_version).get(kind)
        if resource is None:
            raise ClusterError(f"the API server serves no kind {kind} in {api_version}")
        plural, namespaced = resource
        prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        scope = f"/namespaces/{namespace or 'default'}" if namespaced else ""
        return f"{prefix}{scope}/{plural}/{name}"

    def _resources(self, api_version: str) -> dict[str, tuple[str, bool]]:
        if api_version not in self._discovery:
            path = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
            found = self.get(path).get("resources", [])
            self._discovery[api_version] = {
                r["kind"]: (r["name"], bool(r["namespaced"])) for r in found if "/" not in r["name"]
            }
        return self._discovery[api_version]


# --- the running cluster ----------------------------------------------------------------------------------


@dataclass
class Cluster:
    """What a Terraform provider (and a human) needs to reach the control plane."""

    server: str
    token: str
    ca_pem: bytes
    kubeconfig: Path
    workdir: Path
    client: Client

    def provider_vars(self) -> dict[str, str]:
        """Input variables for a Terraform configuration whose kubernetes/helm providers take host/token/CA."""
        return {"kube_host": self.server, "kube_token": self.token, "kube_ca_certificate": self.ca_pem.decode()}

    def add_nodes(self, nodes: list[NodeSpec], timeout: float = 60.0) -> None:
        """Register fake nodes (those not registered yet) and wait until the scheduler may use them."""
        for node in nodes:
            if not self.client.exists(f"/api/v1/nodes/{node.name}"):
                self.client.request("POST", "/api/v1/nodes", _node_object(node))
        wait_for(lambda: all(_node_schedulable(self.client, n.name) for n in nodes), timeout, "fake nodes ready")

    def log_tail(self, component: str, lines: int = 40) -> str:
        path = self.workdir / "logs" / f"{component}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.is_file() else ""


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> None:
    """Poll `condition` until it holds; raise ClusterError naming `what` when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (ClusterError, OSError) as exc:
            last_error = f" (last error: {exc})"
        time.sleep(interval)
    raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}{last_error}")


def _node_object(node: NodeSpec) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": node.name,
            "annotations": {KWOK_NODE_ANNOTATION: "fake"},
            "labels": {
                "kubernetes.io/hostname": node.name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
                **node.labels,
            },
        },
        "spec": {"taints": [dict(t) for t in node.taints]},
        "status": {
            "allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110"},
            "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"},
        },
    }


def _node_schedulable(client: Client, name: str) -> bool:
    node = client.get(f"/api/v1/nodes/{name}")
    ready = any(c["type"] == "Ready" and c["status"] == "True" for c in node.get("status", {}).get("conditions", []))
    taints = [t["key"] for t in node.get("spec", {}).get("taints", [])]
    return ready and NOT_READY_TAINT not in taints


# --- certificates and files -------------------------------------------------------------------------------


def _certificates(directory: Path) -> bytes:
    """A throwaway CA and a serving certificate for 127.0.0.1/localhost; returns the CA's PEM."""
    ca = certs.issue("tfdom-local-ca", 2, constraints=x509.BasicConstraints(ca=True, path_length=0))
    names = [
        x509.DNSName("localhost"),
        x509.DNSName("kubernetes.default.svc"),
        x509.IPAddress(ipaddress.ip_address(HOST)),
        x509.IPAddress(ipaddress.ip_network(SERVICE_CIDR)[1]),
    ]
    server = certs.issue("kube-apiserver", 2, names=names, issuer=ca)
    (directory / "ca.crt").write_bytes(ca.cert_pem)
    (directory / "apiserver.crt").write_bytes(server.cert_pem)
    (directory / "apiserver.key").write_bytes(server.key_pem)
    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "sa.key").write_bytes(certs.pem_key(sa_key))
    (directory / "sa.pub").write_bytes(
        sa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return ca.cert_pem


def kubeconfig_text(server: str, token: str, ca_pem: bytes) -> str:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "local",
                "cluster": {"server": server, "certificate-authority-data": base64.b64encode(ca_pem).decode()},
            }
        ],
        "users": [{"name": "admin", "user": {"token": token}}],
        "contexts": [{"name": "local", "context": {"cluster": "local", "user": "admin"}}],
        "current-context": "local",
    }
    return yaml.safe_dump(config, sort_keys=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _kwok_stages(binaries: Binaries, directory: Path) -> list[Path]:
    """kwok's own stage files; the Job-pod completion waits JOB_POD_RUN_MILLISECONDS (see above)."""
    paths = []
    for source in sorted(binaries.kwok_stages.glob("*.yaml")):
        stage = yaml.safe_load(source.read_text())
        if stage["metadata"]["name"] == "pod-complete":
            stage["spec"]["delay"] = {"durationMilliseconds": JOB_POD_RUN_MILLISECONDS}
        target = directory / source.name
        target.write_text(yaml.safe_dump(stage, sort_keys=False))
        paths.append(target)
    return paths


# --- processes ----------------------------------------------------------------------------------------------


class _Processes:
    """Child processes, each in its own process group, stopped in reverse start order."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        with (self._logs / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self._started.append((name, proc))
        return proc

    def check_alive(self) -> None:
        for name, proc in self._started:
            if proc.poll() is not None:
                tail = "\n".join((self._logs / f"{name}.log").read_text(errors="replace").splitlines()[-15:])
                raise ClusterError(f"{name} exited with status {proc.returncode}:\n{tail}")

    def stop_all(self, grace: float = 10.0) -> None:
        for _, proc in reversed(self._started):
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for _, proc in reversed(self._started):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        self._started.clear()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


# --- DigitalOcean's cloud controller, as far as a LoadBalancer Service's status goes ------------------------


class LoadBalancerStandIn:
    """Gives each LoadBalancer Service the status DOKS's cloud controller gives it: with the
    do-loadbalancer-hostname annotation only that host name (no IP), else an IPv4 address from 203.0.113.0/24;
    and the load-balancer-id annotation. Also lifts the not-ready taint admission puts on new Nodes."""

    def __init__(self, client: Client, interval: float = 0.3) -> None:
        self._client = client
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lb-stand-in", daemon=True)
        self.errors: list[str] = []

    def __enter__(self) -> LoadBalancerStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.reconcile()
            except (ClusterError, OSError) as exc:
                self.errors = [*self.errors[-9:], str(exc)]

    def reconcile(self) -> None:
        for service in self._client.items("/api/v1/services"):
            if service["spec"].get("type") == "LoadBalancer":
                self._serve(service)
        for node in self._client.items("/api/v1/nodes"):
            taints = node.get("spec", {}).get("taints", [])
            if any(t["key"] == NOT_READY_TAINT for t in taints):
                kept = [t for t in taints if t["key"] != NOT_READY_TAINT]
                self._client.merge_patch(f"/api/v1/nodes/{node['metadata']['name']}", {"spec": {"taints": kept}})

    def _serve(self, service: dict[str, Any]) -> None:
        meta = service["metadata"]
        path = f"/api/v1/namespaces/{meta['namespace']}/services/{meta['name']}"
        annotations = meta.get("annotations") or {}
        digest = hashlib.sha256(meta["uid"].encode()).hexdigest()
        if LB_ID_ANNOTATION not in annotations:
            lb_id = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
            self._client.merge_patch(path, {"metadata": {"annotations": {LB_ID_ANNOTATION: lb_id}}})
        hostname = annotations.get(LB_HOSTNAME_ANNOTATION)
        wanted = [{"hostname": hostname}] if hostname else [{"ip": f"203.0.113.{int(digest[:2], 16) % 254 + 1}"}]
        current = (service.get("status") or {}).get("loadBalancer", {}).get("ingress")
        if [{k: v for k, v in i.items() if k in ("ip", "hostname")} for i in current or []] != wanted:
            self._client.merge_patch(path + "/status", {"status": {"loadBalancer": {"ingress": wanted}}})


# --- start and stop -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def start(
    binaries: Binaries, workdir: Path | None = None, log: Log = lambda _: None, timeout: float = START_TIMEOUT_SECONDS
) -> Iterator[Cluster]:
    """Start the control plane, yield it once healthy, stop everything it started on the way out."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tfdom-cluster-")))
        for sub in ("pki", "etcd", "logs", "stages"):
            (workdir / sub).mkdir(parents=True, exist_ok=True)
        procs = _Processes(workdir / "logs")
        stack.callback(procs.stop_all)
        cluster = _boot(binaries, workdir, procs, log, timeout)
        stack.enter_context(LoadBalancerStandIn(cluster.client))
        _wait_controllers(cluster, procs, timeout)
        log(f"cluster ready at {cluster.server} (kubeconfig {cluster.kubeconfig})")
        yield cluster


def _boot(binaries: Binaries, workdir: Path, procs: _Processes, log: Log, timeout: float) -> Cluster:
    pki = workdir / "pki"
    ca_pem = _certificates(pki)
    token = secrets.token_urlsafe(32)
    (pki / "tokens.csv").write_text(f'{token},admin,admin,"system:masters"\n')
    etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
    etcd_url = f"http://{HOST}:{etcd_port}"
    peer_url = f"http://{HOST}:{peer_port}"
    log("starting etcd")
    procs.start(
        "etcd",
        [
            str(binaries.etcd),
            "--name=local",
            f"--data-dir={workdir / 'etcd'}",
            f"--listen-client-urls={etcd_url}",
            f"--advertise-client-urls={etcd_url}",
            f"--listen-peer-urls={peer_url}",
            f"--initial-advertise-peer-urls={peer_url}",
            f"--initial-cluster=local={peer_url}",
            "--unsafe-no-fsync",
            "--log-level=warn",
        ],
    )
    wait_for(lambda: _etcd_healthy(etcd_url, procs), timeout, "etcd /health")

    server = f"https://{HOST}:{api_port}"
    log("starting kube-apiserver")
    procs.start(
        "kube-apiserver",
        [
            str(binaries.kube_apiserver),
            f"--etcd-servers={etcd_url}",
            f"--bind-address={HOST}",
            f"--advertise-address={HOST}",
            f"--secure-port={api_port}",
            f"--cert-dir={pki}",
            f"--tls-cert-file={pki / 'apiserver.crt'}",
            f"--tls-private-key-file={pki / 'apiserver.key'}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={pki / 'sa.pub'}",
            f"--service-account-signing-key-file={pki / 'sa.key'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            f"--token-auth-file={pki / 'tokens.csv'}",
            "--authorization-mode=RBAC",
            "--disable-admission-plugins=ServiceAccount",
            "--profiling=false",
            "--enable-priority-and-fairness=false",
        ],
    )
    client = Client(server, token, ca_pem)
    wait_for(lambda: _api_ready(client, procs), timeout, "kube-apiserver /readyz")

    kubeconfig = workdir / "kubeconfig"
    kubeconfig.write_text(kubeconfig_text(server, token, ca_pem))
    kubeconfig.chmod(0o600)
    log("starting kube-controller-manager, kube-scheduler and kwok")
    procs.start(
        "kube-controller-manager",
        [
            str(binaries.kube_controller_manager),
            f"--kubeconfig={kubeconfig}",
            "--secure-port=0",
            f"--service-account-private-key-file={pki / 'sa.key'}",
            f"--root-ca-file={pki / 'ca.crt'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            f"--cluster-cidr={POD_CIDR}",
            "--profiling=false",
            "--use-service-account-credentials=false",
        ],
    )
    procs.start(
        "kube-scheduler",
        [
            str(binaries.kube_scheduler),
            f"--kubeconfig={kubeconfig}",
            "--secure-port=0",
            "--profiling=false",
        ],
    )
    stages = _kwok_stages(binaries, workdir / "stages")
    procs.start(
        "kwok",
        [
            str(binaries.kwok),
            f"--kubeconfig={kubeconfig}",
            f"--manage-nodes-with-annotation-selector={KWOK_NODE_ANNOTATION}=fake",
            f"--cidr={POD_CIDR}",
            f"--node-ip={HOST}",
            "--node-lease-duration-seconds=40",
            *[f"--config={path}" for path in stages],
        ],
    )
    return Cluster(server=server, token=token, ca_pem=ca_pem, kubeconfig=kubeconfig, workdir=workdir, client=client)


def _etcd_healthy(url: str, procs: _Processes) -> bool:
    procs.check_alive()
    with urllib.request.urlopen(url + "/health", timeout=2) as response:  # noqa: S310 - loopback
        return bool(json.load(response).get("health") == "true")


def _api_ready(client: Client, procs: _Processes) -> bool:
    procs.check_alive()
    return bool(client.get("/readyz") == "ok")


def _lease_held(client: Client, name: str) -> bool:
    lease = client.get(f"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{name}")
    return bool(lease.get("spec", {}).get("holderIdentity"))


def _wait_controllers(cluster: Cluster, procs: _Processes, timeout: float) -> None:
    def ready() -> bool:
        procs.check_alive()
        return (
            _lease_held(cluster.client, "kube-controller-manager")
            and _lease_held(cluster.client, "kube-scheduler")
            # The service-account controller has run: the controllers reconcile.
            and cluster.client.exists("/api/v1/namespaces/default/serviceaccounts/default")
        )

    wait_for(ready, timeout, "kube-controller-manager and kube-scheduler (leader leases, default service account)")


def serve_forever() -> None:
    """Block until interrupted: Ctrl-C (SIGINT) or SIGTERM raise KeyboardInterrupt."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Also SIGINT: a shell starts background jobs with it ignored.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    threading.Event().wait()
