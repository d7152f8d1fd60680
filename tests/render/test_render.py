"""`helm template` of the real Mastodon chart with the values modules/mastodon-helm computes.

Skipped unless MASTODON_CHART points at the chart (directory or .tgz) or the chart repository answers.
The values come from a plan of tests/render/fixtures/values (local chart paths only: plans offline).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tooling import helm, tfrun

FIXTURE = "tests/render/fixtures/values"
REPOSITORY = "https://mastodon.github.io/helm-charts/"
CHART_VERSION = "1.0.2"
SECRETS = ("pg-password-render", "valkey-password-render", "spaces-secret-render", "smtp-password-render")
POOL_HOST = "private-db-render.b.db.ondigitalocean.com"
VALKEY_URL = "rediss://default:$(REDIS_PASSWORD)@private-valkey-render.b.db.ondigitalocean.com:25061"


def _repository_reachable() -> bool:
    try:
        with urllib.request.urlopen(REPOSITORY + "index.yaml", timeout=5) as response:  # noqa: S310 - fixed URL
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def helm_binary() -> Path:
    try:
        return helm.ensure()
    except helm.HelmUnavailable as exc:
        pytest.skip(f"no helm CLI: {exc}")


@pytest.fixture(scope="module")
def chart(helm_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    local = os.environ.get("MASTODON_CHART")
    if local:
        path = Path(local).resolve()
        if not path.exists():
            pytest.fail(f"MASTODON_CHART={local} does not exist")
        return path
    if not _repository_reachable():
        pytest.skip("MASTODON_CHART is not set and the chart repository is unreachable")
    dest = tmp_path_factory.mktemp("chart")
    subprocess.run(
        [str(helm_binary), "pull", "mastodon", "--repo", REPOSITORY, "--version", CHART_VERSION, "-d", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(dest.glob("*.tgz"))


def _render(workdirs: tfrun.Workdirs, chart: Path, helm_binary: Path, *extra_vars: str) -> list[dict[str, Any]]:
    workdir = workdirs.get(FIXTURE)
    args = ["plan", "-input=false", "-no-color", "-out=plan.bin", "-var", f"mastodon_chart={chart}"]
    for var in extra_vars:
        args += ["-var", var]
    plan = workdirs.runner.run(args, workdir)
    assert plan.returncode == 0, plan.output
    show = workdirs.runner.run(["show", "-json", "plan.bin"], workdir)
    assert show.returncode == 0, show.output
    values_yaml = json.loads(show.stdout)["planned_values"]["outputs"]["chart_values"]["value"]
    values_file = workdir / "values.yaml"
    values_file.write_text(values_yaml)
    proc = subprocess.run(
        [str(helm_binary), "template", "social", str(chart), "--namespace", "mastodon", "-f", str(values_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [doc for doc in yaml.safe_load_all(proc.stdout) if doc]


@pytest.fixture(scope="module")
def rendered(chart: Path, helm_binary: Path, workdirs: tfrun.Workdirs) -> list[dict[str, Any]]:
    return _render(workdirs, chart, helm_binary)


@pytest.fixture(scope="module")
def rendered_with_metrics(chart: Path, helm_binary: Path, workdirs: tfrun.Workdirs) -> list[dict[str, Any]]:
    return _render(workdirs, chart, helm_binary, 'metrics={"port": 9394}')


@pytest.fixture(scope="module")
def rendered_scale_out(chart: Path, helm_binary: Path, workdirs: tfrun.Workdirs) -> list[dict[str, Any]]:
    return _render(workdirs, chart, helm_binary, "scale_out=true")


def _one(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {[(d['kind'], d['metadata']['name']) for d in docs]}"
    return found[0]


def _containers(docs: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                yield doc["metadata"]["name"], container


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_configmaps_carry_the_digitalocean_hosts_and_ports(rendered: list[dict[str, Any]]) -> None:
    env = _one(rendered, "ConfigMap", "social-mastodon-env")["data"]
    expected = {
        "DB_HOST": POOL_HOST,
        "DB_PORT": "25061",
        "DB_NAME": "mastodon-pool",
        "PREPARED_STATEMENTS": "false",
        "REDIS_HOST": "private-valkey-render.b.db.ondigitalocean.com",
        "REDIS_PORT": "25061",
        "S3_ENDPOINT": "https://ams3.digitaloceanspaces.com",
        "S3_HOSTNAME": "ams3.digitaloceanspaces.com",
        "S3_BUCKET": "social-media",
        "S3_REGION": "ams3",
        "S3_ALIAS_HOST": "files.social.example.org",
        "SMTP_PORT": "2525",
        "TRUSTED_PROXY_IP": "10.110.0.0/20,10.244.0.0/16",
        "LOCAL_DOMAIN": "social.example.org",
    }
    assert {key: env.get(key) for key in expected} == expected
    predeploy = _one(rendered, "ConfigMap", "social-mastodon-env-predeploy")["data"]
    assert (predeploy["DB_HOST"], predeploy["DB_PORT"], predeploy["DB_NAME"]) == (POOL_HOST, "25060", "mastodon")


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_no_secret_in_any_configmap_and_no_chart_made_secret(rendered: list[dict[str, Any]]) -> None:
    for doc in rendered:
        if doc["kind"] == "ConfigMap":
            text = json.dumps(doc)
            for secret in SECRETS:
                assert secret not in text, (doc["metadata"]["name"], secret)
    assert [d["metadata"]["name"] for d in rendered if d["kind"] == "Secret"] == []


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_every_pod_reaches_valkey_over_tls_with_the_password_from_the_secret(rendered: list[dict[str, Any]]) -> None:
    names = []
    for name, container in _containers(rendered):
        env = container.get("env", [])
        order = [e["name"] for e in env]
        names.append(name)
        assert "REDIS_URL" in order, name
        url = next(e for e in env if e["name"] == "REDIS_URL")["value"]
        assert url == VALKEY_URL, (name, url)
        # Kubernetes expands $(REDIS_PASSWORD) only when it is defined earlier in the same list.
        assert order.index("REDIS_PASSWORD") < order.index("REDIS_URL"), name
        password = next(e for e in env if e["name"] == "REDIS_PASSWORD")
        assert password["valueFrom"]["secretKeyRef"]["name"] == "social-redis"
        assert next(e for e in env if e["name"] == "REDIS_DRIVER")["value"] == "ruby"
    assert sorted(names) == sorted(
        [
            "social-mastodon-web",
            "social-mastodon-streaming",
            "social-mastodon-sidekiq-default",
            "social-mastodon-sidekiq-push-pull",
            "social-mastodon-sidekiq-scheduler",
        ]
    )


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_chart_hooks_are_replaced_and_one_scheduler_runs(rendered: list[dict[str, Any]]) -> None:
    assert [d["metadata"]["name"] for d in rendered if d["kind"] == "Job"] == []
    schedulers = [
        d
        for d in rendered
        if d["kind"] == "Deployment"
        and "scheduler" in json.dumps(d["spec"]["template"]["spec"]["containers"][0]["command"])
    ]
    assert len(schedulers) == 1 and schedulers[0]["spec"]["replicas"] == 1
    sidekiq = _one(rendered, "Deployment", "social-mastodon-sidekiq-scheduler")["spec"]["template"]["spec"]
    assert sidekiq["nodeSelector"] == {"doks.digitalocean.com/node-pool": "pool-sidekiq"}
    assert sidekiq["tolerations"][0]["key"] == "role"


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_streaming_trusts_the_database_ca(rendered: list[dict[str, Any]]) -> None:
    spec = _one(rendered, "Deployment", "social-mastodon-streaming")["spec"]["template"]["spec"]
    volume = {"name": "db-ca", "secret": {"secretName": "social-db-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}
    assert volume in spec["volumes"]
    env = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}
    assert env["NODE_EXTRA_CA_CERTS"] == "/etc/mastodon/db-ca/ca.crt"
    assert env["DB_SSLMODE"] == "verify-ca"
    mounts = {m["name"]: m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
    assert mounts["db-ca"] == "/etc/mastodon/db-ca"


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_chart_rails_pods_encrypt_without_a_ca_file(rendered: list[dict[str, Any]]) -> None:
    # The chart cannot mount a file into web and Sidekiq (see db_tls_env in modules/mastodon-helm/main.tf):
    # libpq must then get no CA path, or every connection fails on a missing file.
    for name in ["social-mastodon-web", "social-mastodon-sidekiq-default", "social-mastodon-sidekiq-scheduler"]:
        container = _one(rendered, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["DB_SSLMODE"] == "require", name
        assert "PGSSLROOTCERT" not in env, name


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
@pytest.mark.parametrize("fixture_name", ["rendered", "rendered_with_metrics"])
def test_every_pod_template_has_the_shape_the_api_server_accepts(
    fixture_name: str, request: pytest.FixtureRequest
) -> None:
    # Lists where Kubernetes wants lists, and every mount naming a volume of its pod: a chart helper that writes
    # a key twice yields a map here, which `helm template` prints happily and the API server refuses.
    docs: list[dict[str, Any]] = request.getfixturevalue(fixture_name)
    templates = [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for doc in docs
        if doc["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet")
    ]
    assert templates
    for name, spec in templates:
        volumes = spec.get("volumes") or []
        assert isinstance(volumes, list), name
        declared = {v["name"] for v in volumes}
        for container in spec["containers"] + (spec.get("initContainers") or []):
            for field in ("env", "volumeMounts", "ports", "envFrom"):
                assert isinstance(container.get(field) or [], list), f"{name}/{container['name']}.{field}"
            mounts = {m["name"] for m in container.get("volumeMounts") or []}
            assert mounts <= declared, f"{name}/{container['name']} mounts undeclared volumes {mounts - declared}"


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_ingress_serves_web_and_streaming_over_https(rendered: list[dict[str, Any]]) -> None:
    ingress = _one(rendered, "Ingress", "social-mastodon")
    assert ingress["spec"]["ingressClassName"] == "traefik"
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "social-letsencrypt"
    assert ingress["metadata"]["annotations"]["traefik.ingress.kubernetes.io/router.entrypoints"] == "websecure"
    assert ingress["spec"]["tls"] == [{"hosts": ["social.example.org"], "secretName": "social-tls"}]
    paths = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    assert paths == {"/": "social-mastodon-web", "/api/v1/streaming": "social-mastodon-streaming"}
    assert not [d for d in rendered if d["kind"] == "HTTPRoute"]


def _pod_specs(docs: list[dict[str, Any]], prefix: str) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]
        for d in docs
        if d["kind"] == "Deployment" and d["metadata"]["name"].startswith(prefix)
    }


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_no_exporter_without_metrics(rendered: list[dict[str, Any]]) -> None:
    for name, template in _pod_specs(rendered, "social-mastodon-").items():
        ports = [p.get("name") for c in template["spec"]["containers"] for p in c.get("ports", [])]
        assert "prometheus" not in ports, name
        assert "prometheus.io/scrape" not in (template["metadata"].get("annotations") or {}), name


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_metrics_expose_the_exporter_on_web_and_sidekiq_pods(rendered_with_metrics: list[dict[str, Any]]) -> None:
    web = _one(rendered_with_metrics, "Deployment", "social-mastodon-web")["spec"]["template"]
    containers = {c["name"]: c for c in web["spec"]["containers"]}
    exporter = containers["prometheus-exporter"]
    assert exporter["command"] == ["./bin/prometheus_exporter"]
    assert exporter["args"] == ["--bind", "0.0.0.0", "--port", "9394"]
    assert exporter["ports"] == [{"name": "prometheus", "containerPort": 9394}]
    web_env = {e["name"]: e.get("value") for e in containers["mastodon-web"]["env"]}
    assert web_env["MASTODON_PROMETHEUS_EXPORTER_ENABLED"] == "true"
    assert (web_env["PROMETHEUS_EXPORTER_HOST"], web_env["PROMETHEUS_EXPORTER_PORT"]) == ("127.0.0.1", "9394")

    sidekiqs = _pod_specs(rendered_with_metrics, "social-mastodon-sidekiq-")
    assert sorted(sidekiqs) == [
        "social-mastodon-sidekiq-default",
        "social-mastodon-sidekiq-push-pull",
        "social-mastodon-sidekiq-scheduler",
    ]
    annotations = {"prometheus.io/scrape": "true", "prometheus.io/port": "9394", "prometheus.io/path": "/metrics"}
    for name, template in {"social-mastodon-web": web, **sidekiqs}.items():
        assert annotations.items() <= (template["metadata"].get("annotations") or {}).items(), name
    for name, template in sidekiqs.items():
        container = template["spec"]["containers"][0]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["MASTODON_PROMETHEUS_EXPORTER_ENABLED"] == "true", name
        assert (env["MASTODON_PROMETHEUS_EXPORTER_HOST"], env["MASTODON_PROMETHEUS_EXPORTER_PORT"]) == (
            "0.0.0.0",
            "9394",
        ), name
        assert {"name": "prometheus", "containerPort": 9394} in container["ports"], name

    streaming = _one(rendered_with_metrics, "Deployment", "social-mastodon-streaming")["spec"]["template"]
    assert "prometheus.io/scrape" not in (streaming["metadata"].get("annotations") or {})


CACHE_HOST = "private-cache-render.b.db.ondigitalocean.com"
REPLICA_HOST = "private-replica-render.b.db.ondigitalocean.com"
SCALE_OUT_COMPONENTS = [
    "social-mastodon-web",
    "social-mastodon-streaming",
    "social-mastodon-sidekiq-default",
    "social-mastodon-sidekiq-push-pull",
    "social-mastodon-sidekiq-scheduler",
]


def _app_containers(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: c for name, c in _containers(docs) if not c["name"].startswith("prometheus")}


@pytest.mark.render
@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_scale_out_puts_hosts_in_the_configmap_and_no_password(rendered_scale_out: list[dict[str, Any]]) -> None:
    env = _one(rendered_scale_out, "ConfigMap", "social-mastodon-env")["data"]
    assert (env["CACHE_REDIS_HOST"], env["CACHE_REDIS_PORT"]) == (CACHE_HOST, "25061")
    replica = (env["REPLICA_DB_HOST"], env["REPLICA_DB_PORT"], env["REPLICA_DB_NAME"])
    assert replica == (REPLICA_HOST, "25060", "mastodon")
    for doc in rendered_scale_out:
        if doc["kind"] == "ConfigMap":
            text = json.dumps(doc)
            for secret in (*SECRETS, "cache-password-render"):
                assert secret not in text, (doc["metadata"]["name"], secret)
    assert [d["metadata"]["name"] for d in rendered_scale_out if d["kind"] == "Secret"] == []


@pytest.mark.render
@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_every_component_reaches_the_cache_store_over_tls_from_the_secret(
    rendered_scale_out: list[dict[str, Any]],
) -> None:
    containers = _app_containers(rendered_scale_out)
    assert sorted(containers) == sorted(SCALE_OUT_COMPONENTS)
    for name, container in containers.items():
        env = container["env"]
        order = [e["name"] for e in env]
        url = next(e for e in env if e["name"] == "CACHE_REDIS_URL")["value"]
        # The URL carries only a reference to the Secret-backed variable, defined earlier in the same list.
        assert url == f"rediss://default:$(CACHE_REDIS_PASSWORD)@{CACHE_HOST}:25061", (name, url)
        assert order.index("CACHE_REDIS_PASSWORD") < order.index("CACHE_REDIS_URL"), name
        password = next(e for e in env if e["name"] == "CACHE_REDIS_PASSWORD")
        assert password["valueFrom"]["secretKeyRef"] == {"name": "social-redis-cache", "key": "password"}, name
        assert "value" not in password, name


@pytest.mark.render
@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_every_component_reads_from_the_replica_with_the_primarys_tls(
    rendered_scale_out: list[dict[str, Any]], rendered: list[dict[str, Any]]
) -> None:
    containers = _app_containers(rendered_scale_out)
    for name, container in containers.items():
        env = {e["name"]: e for e in container["env"]}
        for key in ("REPLICA_DB_USER", "REPLICA_DB_PASS"):
            assert env[key]["valueFrom"]["secretKeyRef"]["name"] == "social-postgresql", (name, key)
    streaming = {e["name"]: e.get("value") for e in containers["social-mastodon-streaming"]["env"]}
    assert (streaming["DB_HOST"], streaming["DB_PORT"], streaming["DB_NAME"]) == (REPLICA_HOST, "25060", "mastodon")
    # The replica is verified exactly as the primary: same CA mount, same DB_SSLMODE as without a replica.
    primary = {e["name"]: e.get("value") for e in _app_containers(rendered)["social-mastodon-streaming"]["env"]}
    assert (streaming["DB_SSLMODE"], streaming["NODE_EXTRA_CA_CERTS"]) == (
        primary["DB_SSLMODE"],
        primary["NODE_EXTRA_CA_CERTS"],
    )
    web = {e["name"]: e.get("value") for e in containers["social-mastodon-web"]["env"]}
    assert "DB_HOST" not in web, "web writes to the primary through the pool (DB_HOST from the ConfigMap)"
