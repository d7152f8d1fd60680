"""`./run kubeconfig`, `admin` and `status` against a local DigitalOcean API and a local Kubernetes API.

The Kubernetes side is the real `kubernetes` client talking HTTP to a server started by the test; only `exec`
(a websocket upgrade) is answered by a recording subclass.
"""

from __future__ import annotations

import base64
import json
from typing import Any, ClassVar

import pytest
import yaml

from tests.servers import Routes
from tests.static.operate.conftest import DOMAIN, FakeTerraform
from tooling import cluster as kube
from tooling import day2, doapi
from tooling.instance import OperateError
from tooling.pins import ROOT

CLUSTER = "bd5f5959-5e1e-4205-a714-a914373942af"
NS = "mastodon"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _pod(name: str, component: str, phase: str = "Running", ready: bool = True, restarts: int = 0) -> dict[str, Any]:
    return {
        "metadata": {
            "name": name,
            "namespace": NS,
            "labels": {"app.kubernetes.io/name": "mastodon", "app.kubernetes.io/component": component},
        },
        "status": {
            "phase": phase,
            "containerStatuses": [
                {
                    "name": "main",
                    "ready": ready,
                    "restartCount": restarts,
                    "image": "ghcr.io/mastodon/mastodon:v4.6.2",
                    "imageID": "",
                    "started": True,
                }
            ],
        },
    }


def kubernetes_api(secret: dict[str, str] | None = None) -> Routes:
    pods = [
        _pod("social-web-7d9f-abcde", "web"),
        _pod("social-web-7d9f-fghij", "web", restarts=2),
        _pod("social-streaming-5c4b-klmno", "streaming"),
        _pod("social-sidekiq-default-6f7a-pqrst", "sidekiq-default", ready=False, phase="Pending"),
        _pod("social-sidekiq-scheduler-1a2b-uvwxy", "sidekiq-scheduler"),
        _pod("social-db-migrate-v4-6-2-z1y2x", "db-migrate", phase="Succeeded", ready=False),
    ]
    routes = Routes(
        {f"/api/v1/namespaces/{NS}/pods": (200, {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": pods})}
    )
    if secret is not None:
        body = {
            "kind": "Secret",
            "apiVersion": "v1",
            "metadata": {"name": kube.ADMIN_SECRET, "namespace": NS},
            "data": {k: _b64(v) for k, v in secret.items()},
        }
        routes.answers[f"/api/v1/namespaces/{NS}/secrets/{kube.ADMIN_SECRET}"] = (200, body)
    return routes


def do_api(k8s_url: str) -> Routes:
    creds = {
        "server": k8s_url,
        "certificate_authority_data": None,
        "client_certificate_data": None,
        "client_key_data": None,
        "token": "fresh-cluster-token",
        "expires_at": "2026-12-08T11:50:28.889080521Z",
    }
    return Routes({f"/v2/kubernetes/clusters/{CLUSTER}/credentials": (200, creds)})


class RecordingCluster(kube.Cluster):
    commands: ClassVar[list[tuple[str, list[str]]]] = []
    answers: ClassVar[dict[str, str]] = {}

    def exec(self, namespace: str, pod: str, command: list[str]) -> str:
        RecordingCluster.commands.append((pod, command))
        return next((answer for key, answer in RecordingCluster.answers.items() if key in " ".join(command)), "")


@pytest.fixture
def outputs() -> dict[str, Any]:
    return {
        "cluster_id": CLUSTER,
        "cluster_name": "social",
        "mastodon_url": "https://social.example.test",
        "domain": DOMAIN,
        "mastodon_admin_username": "owner",
        "mastodon_namespace": NS,
        "mastodon_admin_secret": f"{NS}/{kube.ADMIN_SECRET}",
        "postgres_pool_host": "private-pool.db.ondigitalocean.com",
        "postgres_direct_host": "private-db.db.ondigitalocean.com",
        "valkey_host": "private-valkey.db.ondigitalocean.com",
        "cost_estimate_monthly_usd": {"minimum": 96, "maximum": 96},
    }


@pytest.fixture
def servers(api, fake_tf: FakeTerraform, outputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", "dop_v1_test")
    k8s_routes = kubernetes_api({"username": "owner", "email": "admin@example.test", "password": "first-password"})
    k8s_url = api(k8s_routes)
    do_routes = do_api(k8s_url)
    do_url = api(do_routes)
    fake_tf.scenario(outputs=outputs)
    RecordingCluster.commands = []
    RecordingCluster.answers = {}
    return {"k8s": k8s_routes, "do": do_routes, "api": lambda token: doapi.Api(token, do_url), "tf": fake_tf.factory()}


def test_kubeconfig_is_written_outside_the_repository_with_fresh_credentials(instance_dir, servers, tmp_path) -> None:
    target = tmp_path / "home" / ".kube" / "social"
    written, expires = day2.kubeconfig(instance_dir, str(target), 24, terraform=servers["tf"], api=servers["api"])
    assert written == target.resolve() and target.stat().st_mode & 0o777 == 0o600
    config = yaml.safe_load(target.read_text())
    assert config["users"][0]["user"] == {"token": "fresh-cluster-token"}
    assert config["clusters"][0]["cluster"]["server"].startswith("http://127.0.0.1:")
    assert expires is not None and expires.isoformat().startswith("2026-12-08T11:50:28")
    method, path, query, _ = servers["do"].hits[-1]
    assert (method, path, query) == (
        "GET",
        f"/v2/kubernetes/clusters/{CLUSTER}/credentials",
        {"expiry_seconds": ["86400"]},
    )


@pytest.mark.parametrize(
    ("path", "hours", "message"),
    [
        (None, 24, "say where to write it"),
        (str(ROOT / "kubeconfig"), 24, "inside the repository"),
        ("/tmp/k", 0, "between 1 and 168"),
        ("/tmp/k", 200, "between 1 and 168"),
    ],
)
def test_kubeconfig_refusals(instance_dir, servers, path, hours, message) -> None:
    with pytest.raises(OperateError, match=message):
        day2.kubeconfig(instance_dir, path, hours, terraform=servers["tf"], api=servers["api"])
    assert not (ROOT / "kubeconfig").exists()


def test_admin_prints_the_credentials_from_the_secret(instance_dir, servers) -> None:
    found = day2.admin(
        instance_dir, reset=False, terraform=servers["tf"], api=servers["api"], connect=RecordingCluster.connect
    )
    assert found == kube.Admin("owner", "admin@example.test", "first-password")
    assert RecordingCluster.commands == []
    assert ("GET", f"/api/v1/namespaces/{NS}/secrets/{kube.ADMIN_SECRET}") in [
        (m, p) for m, p, _, _ in servers["k8s"].hits
    ]


def test_admin_reset_runs_tootctl_in_a_web_pod_and_updates_the_secret(instance_dir, servers) -> None:
    RecordingCluster.answers = {"--reset-password": "OK\nNew password: 8a1f0e6c2b7d4e9f\n"}
    servers["k8s"].answers[f"PATCH /api/v1/namespaces/{NS}/secrets/{kube.ADMIN_SECRET}"] = (
        200,
        {"kind": "Secret", "apiVersion": "v1", "metadata": {}},
    )
    found = day2.admin(
        instance_dir, reset=True, terraform=servers["tf"], api=servers["api"], connect=RecordingCluster.connect
    )
    assert found.password == "8a1f0e6c2b7d4e9f"
    assert RecordingCluster.commands == [
        ("social-web-7d9f-abcde", ["bin/tootctl", "accounts", "modify", "owner", "--reset-password"])
    ]
    patch = [body for method, path, _, body in servers["k8s"].hits if method == "PATCH"]
    assert len(patch) == 1 and json.loads(patch[0]) == {"data": {"password": _b64("8a1f0e6c2b7d4e9f")}}


def test_admin_reset_without_a_password_in_the_answer_changes_nothing(instance_dir, servers) -> None:
    RecordingCluster.answers = {"--reset-password": "Error: no such account"}
    with pytest.raises(OperateError, match="tootctl did not print a new password"):
        day2.admin(
            instance_dir, reset=True, terraform=servers["tf"], api=servers["api"], connect=RecordingCluster.connect
        )
    assert not [h for h in servers["k8s"].hits if h[0] == "PATCH"]


def test_admin_without_a_deployed_instance_says_deploy_first(instance_dir, servers, fake_tf) -> None:
    fake_tf.scenario(outputs={}, state=["x"])
    (fake_tf.dir / "state.json").write_text("[]")
    with pytest.raises(OperateError, match=r"deploy the instance first \(./run deploy\)"):
        day2.admin(
            instance_dir, reset=False, terraform=servers["tf"], api=servers["api"], connect=RecordingCluster.connect
        )


def test_status_is_one_screen_of_facts(instance_dir, servers, outputs, mastodon_site, fake_tf) -> None:
    site = mastodon_site(healthy=True)
    fake_tf.scenario(outputs={**outputs, "mastodon_url": site.url})
    RecordingCluster.answers = {"Sidekiq::Stats": "Loading production environment\n12 3 1 0\n"}
    lines = day2.status(instance_dir, terraform=servers["tf"], api=servers["api"], connect=RecordingCluster.connect)
    text = "\n".join(lines)
    assert lines[0] == f"instance  {site.url}"
    assert "health    ok (Mastodon 4.6.2)" in text
    assert "cert      expires " in text and "(29 days" in text
    assert "web                    2/2 ready or done, 2 restarts" in text
    assert "sidekiq-default        0/1 ready or done, 0 restarts; social-sidekiq-default-6f7a-pqrst Pending" in text
    assert "db-migrate             1/1 ready or done" in text
    assert "sidekiq   12 enqueued, 3 scheduled, 1 retries, 0 dead" in text
    assert "postgres  private-pool.db.ondigitalocean.com (pool), private-db.db.ondigitalocean.com (direct)" in text
    assert "valkey    private-valkey.db.ondigitalocean.com" in text and "cost      about $96 a month" in text
    assert len(lines) <= 25, "one screen"
    assert RecordingCluster.commands[0][0] == "social-sidekiq-scheduler-1a2b-uvwxy"


def test_status_still_shows_what_it_can_when_the_cluster_is_unreachable(
    instance_dir, servers, outputs, mastodon_site, fake_tf, api
) -> None:
    site = mastodon_site(healthy=False)
    fake_tf.scenario(outputs={**outputs, "mastodon_url": site.url})
    broken = Routes({})  # credentials call answers 404
    lines = day2.status(
        instance_dir,
        terraform=servers["tf"],
        api=lambda token: doapi.Api(token, api(broken)),
        connect=RecordingCluster.connect,
    )
    text = "\n".join(lines)
    assert "health    FAILING: /health, webfinger" in text
    assert "cluster   not readable: GET /v2/kubernetes/clusters/" in text and "HTTP 404" in text
    assert "valkey    private-valkey.db.ondigitalocean.com" in text
