"""modules/mastodon-helm applied for real to a local control plane (tests/conftest.py `cluster`), once with the
inputs of examples/minimal and once with those of examples/production, from an empty cluster to destroy.

What is expected comes from Terraform's own state (`terraform show -json`) and from the Helm releases' manifests,
never from a list kept here. The Mastodon chart is the real one when MASTODON_CHART points at it, else the
tier's stand-in (tests/fixtures/charts/mastodon); Traefik and cert-manager are always the stand-ins.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from tooling import appcase, tfrun
from tooling import localcluster as kube
from tooling.pins import ROOT

pytestmark = pytest.mark.providers("helm", "kubernetes", "random", "tls")

FIXTURE = "tests/apply/fixtures/cluster"
STAND_INS = "tests/fixtures/charts"
UPGRADE_VERSION = "v4.6.3"
# Keys of Secrets whose values are not secret (the DB CA, user names): everything else must stay out of ConfigMaps.
NOT_SECRET_KEYS = {"username", "ca.crt"}
# Objects a chart marks to outlive its release (cert-manager's CRDs, as the module asks with crds.keep).
KEEP = "helm.sh/resource-policy"
# The sizing presets modules/mastodon-helm reads (the autoscalers' bounds and targets come from here).
PRESETS = ROOT / "modules" / "mastodon-helm" / "presets.yaml"

# --- state and the cluster ---------------------------------------------------------------------------------


@dataclass
class Applied:
    workdir: Path
    var_file: Path
    client: kube.Client
    runner: tfrun.Runner
    # The example's mastodon.sizing, as the fixture was given it.
    sizing: dict[str, Any] = field(default_factory=dict)

    def terraform(self, *args: str) -> tfrun.Result:
        return self.runner.run([*args, "-input=false", "-no-color", f"-var-file={self.var_file}"], self.workdir)

    def apply(self, *args: str) -> None:
        result = self.terraform("apply", "-auto-approve", *args)
        assert result.returncode == 0, result.output

    def state(self) -> dict[str, Any]:
        result = self.runner.run(["show", "-json"], self.workdir)
        assert result.returncode == 0, result.output
        state: dict[str, Any] = json.loads(result.stdout)
        return state

    def resources(self, type_: str, state: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Managed resources of one type anywhere in the state (values, address, depends_on)."""
        found: list[dict[str, Any]] = []

        def walk(module: dict[str, Any]) -> None:
            found.extend(r for r in module.get("resources", []) if r["type"] == type_ and r["mode"] == "managed")
            for child in module.get("child_modules", []):
                walk(child)

        walk((state or self.state()).get("values", {}).get("root_module", {}))
        return found

    def output(self, name: str, state: dict[str, Any] | None = None) -> Any:
        """An output's value; None for a null output (the state leaves those out)."""
        return (state or self.state())["values"]["outputs"].get(name, {}).get("value")


def _meta(resource: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = resource["values"]["metadata"][0]
    return meta


def _get(client: kube.Client, api_version: str, kind: str, meta: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = client.get(client.object_path(api_version, kind, meta["name"], meta.get("namespace")))
    return obj


def _release(client: kube.Client, name: str, namespace: str) -> dict[str, Any]:
    """The newest Helm release record (Helm's storage Secret: base64 of gzipped JSON inside the Secret data)."""
    records = client.items(f"/api/v1/namespaces/{namespace}/secrets?labelSelector=owner%3Dhelm,name%3D{name}")
    assert records, f"no Helm release {namespace}/{name}"
    newest = max(records, key=lambda s: int(s["metadata"]["labels"]["version"]))
    payload = base64.b64decode(base64.b64decode(newest["data"]["release"]))
    release: dict[str, Any] = json.loads(gzip.decompress(payload))
    return release


def _manifest_objects(release: dict[str, Any]) -> list[dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all(release.get("manifest", "")) if d]
    for doc in docs:
        doc.setdefault("metadata", {}).setdefault("namespace", release["namespace"])
    return docs


def _time(stamp: str) -> datetime:
    """An RFC 3339 time as Kubernetes (whole seconds) or Helm (nanoseconds) writes it, to the microsecond."""
    match = re.fullmatch(r"(.+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", stamp)
    assert match, stamp
    base, fraction, zone = match.groups()
    micro = f".{(fraction or '0')[:6]:0<6}"
    return datetime.fromisoformat(base + micro + ("+00:00" if zone == "Z" else zone))


def _unindexed(address: str) -> str:
    """`module.x.kubernetes_job_v1.after_release["db-migrate"]` -> the address `depends_on` lists."""
    return address.split("[", 1)[0]


def _secret_values(applied: Applied, state: dict[str, Any]) -> dict[str, str]:
    """Every secret value the module puts in a Secret (generated or brought), by `namespace/name:key`."""
    values: dict[str, str] = {}
    for secret in applied.resources("kubernetes_secret_v1", state):
        meta = _meta(secret)
        for key, value in (secret["values"].get("data") or {}).items():
            if key not in NOT_SECRET_KEYS:
                values[f"{meta['namespace']}/{meta['name']}:{key}"] = value
    return values


def _cluster_secrets(applied: Applied, state: dict[str, Any]) -> dict[str, dict[str, str]]:
    result = {}
    for secret in applied.resources("kubernetes_secret_v1", state):
        meta = _meta(secret)
        obj = _get(applied.client, "v1", "Secret", meta)
        result[f"{meta['namespace']}/{meta['name']}"] = {
            k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()
        }
    return result


# --- the deployment under test -------------------------------------------------------------------------------


def _charts(copy: Path) -> dict[str, str]:
    stand_ins = copy / STAND_INS
    real = os.environ.get("MASTODON_CHART")
    mastodon = str(Path(real).resolve()) if real else str(stand_ins / "mastodon")
    return {
        "mastodon": mastodon,
        "traefik": str(stand_ins / "traefik"),
        "cert_manager": str(stand_ins / "cert-manager"),
        "metrics_server": str(stand_ins / "metrics-server"),
    }


@pytest.fixture(scope="module", params=["minimal", "production"])
def applied(request: pytest.FixtureRequest, cluster: kube.Cluster, workdirs: tfrun.Workdirs) -> Iterator[Applied]:
    """The module applied with the example's inputs; destroyed afterwards if a test has not done so."""
    case = appcase.from_example(request.param, "social")
    workdir = workdirs.get(FIXTURE)
    copy = workdir.parents[len(Path(FIXTURE).parts) - 1]  # the project copy holding it
    passwords = {k: f"{k}-{secrets.token_hex(12)}" for k in ("postgres", "postgres_admin", "valkey", "s3", "smtp")}
    var_file = workdir / "case.tfvars.json"
    var_file.write_text(
        json.dumps(
            {
                **cluster.provider_vars(),
                "charts": _charts(copy),
                "node_pools": case.node_pools,
                "sizing": case.sizing,
                "passwords": passwords,
            }
        )
    )
    cluster.add_nodes(case.nodes)
    deployment = Applied(
        workdir=workdir, var_file=var_file, client=cluster.client, runner=workdirs.runner, sizing=case.sizing
    )
    deployment.apply()
    yield deployment
    if deployment.resources("kubernetes_namespace_v1"):
        result = deployment.terraform("destroy", "-auto-approve")
        assert result.returncode == 0, result.output


# --- what the module declares exists, as declared --------------------------------------------------------------


def test_namespaces_secrets_and_config_maps_exist_as_declared(applied: Applied) -> None:
    state = applied.state()
    namespaces = applied.resources("kubernetes_namespace_v1", state)
    assert namespaces
    for ns in namespaces:
        meta = _meta(ns)
        obj = _get(applied.client, "v1", "Namespace", meta)
        assert obj["status"]["phase"] == "Active"
        assert (meta.get("labels") or {}).items() <= (obj["metadata"].get("labels") or {}).items()
    secret_count = 0
    for secret in applied.resources("kubernetes_secret_v1", state):
        meta = _meta(secret)
        found = _cluster_secrets(applied, state)[f"{meta['namespace']}/{meta['name']}"]
        assert found == secret["values"]["data"], meta["name"]
        secret_count += 1
    assert secret_count >= 6
    for config_map in applied.resources("kubernetes_config_map_v1", state):
        meta = _meta(config_map)
        assert _get(applied.client, "v1", "ConfigMap", meta)["data"] == config_map["values"]["data"]


def _assert_placement(
    client: kube.Client,
    pod_spec: dict[str, Any],
    declared_selector: dict[str, str],
    declared_tolerations: list[dict[str, Any]],
    what: str,
) -> None:
    assert (pod_spec.get("nodeSelector") or {}) == declared_selector, what
    tolerations = [
        {k: t.get(k, "") for k in ("key", "operator", "value", "effect")} for t in pod_spec.get("tolerations") or []
    ]
    expected = [{k: t.get(k, "") or "" for k in ("key", "operator", "value", "effect")} for t in declared_tolerations]
    assert tolerations == expected, what


def _pods_on_matching_nodes(
    client: kube.Client, namespace: str, selector: str, node_selector: dict[str, str], what: str
) -> int:
    pods = client.items(f"/api/v1/namespaces/{namespace}/pods?labelSelector={selector}")
    for pod in pods:
        node = client.get(f"/api/v1/nodes/{pod['spec']['nodeName']}")
        assert node_selector.items() <= node["metadata"]["labels"].items(), (what, pod["metadata"]["name"])
        for taint in node["spec"].get("taints") or []:
            tolerated = any(t.get("key") == taint["key"] for t in pod["spec"].get("tolerations") or [])
            assert tolerated, (what, "runs on a node whose taint it does not tolerate", taint)
    return len(pods)


def _state_tolerations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": t["key"], "operator": t["operator"], "value": t["value"], "effect": t["effect"]}
        for t in spec.get("toleration") or []
    ]


def test_jobs_and_cron_jobs_exist_with_declared_names_labels_and_placement(applied: Applied) -> None:
    state = applied.state()
    jobs = applied.resources("kubernetes_job_v1", state)
    assert len(jobs) >= 3
    for job in jobs:
        meta = _meta(job)
        obj = _get(applied.client, "batch/v1", "Job", meta)
        assert meta["labels"].items() <= obj["metadata"]["labels"].items(), meta["name"]
        assert obj["status"].get("succeeded", 0) >= 1, (meta["name"], obj["status"])
        declared = job["values"]["spec"][0]["template"][0]["spec"][0]
        _assert_placement(
            applied.client,
            obj["spec"]["template"]["spec"],
            declared["node_selector"] or {},
            _state_tolerations(declared),
            meta["name"],
        )
        count = _pods_on_matching_nodes(
            applied.client,
            meta["namespace"],
            f"job-name%3D{meta['name']}",
            declared["node_selector"] or {},
            meta["name"],
        )
        assert count >= 1, meta["name"]
    cron_jobs = applied.resources("kubernetes_cron_job_v1", state)
    assert cron_jobs
    for cron in cron_jobs:
        meta = _meta(cron)
        obj = _get(applied.client, "batch/v1", "CronJob", meta)
        declared_spec = cron["values"]["spec"][0]
        assert meta["labels"].items() <= obj["metadata"]["labels"].items(), meta["name"]
        assert obj["spec"]["schedule"] == declared_spec["schedule"]
        assert obj["spec"]["timeZone"] == declared_spec["timezone"]
        declared = declared_spec["job_template"][0]["spec"][0]["template"][0]["spec"][0]
        _assert_placement(
            applied.client,
            obj["spec"]["jobTemplate"]["spec"]["template"]["spec"],
            declared["node_selector"] or {},
            _state_tolerations(declared),
            meta["name"],
        )


def _matches_pods(client: kube.Client, pdb_path: str) -> bool:
    return bool(client.get(pdb_path).get("status", {}).get("expectedPods", 0) >= 1)


def _gone(client: kube.Client, path: str) -> bool:
    return not client.exists(path)


def test_disruption_budgets_select_the_charts_pods(applied: Applied) -> None:
    pdbs = applied.resources("kubernetes_pod_disruption_budget_v1")
    assert pdbs
    for pdb in pdbs:
        meta = _meta(pdb)
        declared = pdb["values"]["spec"][0]
        path = applied.client.object_path("policy/v1", "PodDisruptionBudget", meta["name"], meta["namespace"])
        obj = applied.client.get(path)
        assert str(obj["spec"]["maxUnavailable"]) == declared["max_unavailable"]
        assert obj["spec"]["selector"]["matchLabels"] == declared["selector"][0]["match_labels"]
        # The disruption controller counts the pods the selector matches: a selector that misses the chart's
        # labels would protect nothing.
        kube.wait_for(
            functools.partial(_matches_pods, applied.client, path),
            30,
            f"PodDisruptionBudget {meta['name']} to match pods",
        )


def _pdb_expects(client: kube.Client, path: str, pods: int) -> bool:
    return bool(client.get(path).get("status", {}).get("expectedPods") == pods)


def test_autoscalers_exist_with_the_declared_targets_and_bounds(applied: Applied) -> None:
    """The bounds follow the example's sizing by the rules variables.tf states: the floor is <role>_replicas, else
    the preset's min_replicas; the ceiling the preset's max_replicas, never below the floor."""
    state = applied.state()
    namespace = applied.output("namespace", state)
    preset = yaml.safe_load(PRESETS.read_text())[applied.sizing.get("preset", "small")]
    hpas = applied.resources("kubernetes_horizontal_pod_autoscaler_v2", state)
    metrics_server = [r for r in applied.resources("helm_release", state) if r["values"]["name"] == "metrics-server"]
    listed = applied.client.items(f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers")
    if preset["autoscaling"] is None:
        assert (hpas, metrics_server, listed) == ([], [], [])
        return
    assert len(metrics_server) == 1 and len(listed) == len(hpas)
    chart_values = yaml.safe_load(applied.output("chart_values", state))
    roles = set()
    for hpa in hpas:
        meta, declared = _meta(hpa), hpa["values"]["spec"][0]
        role = meta["labels"]["app.kubernetes.io/component"]
        bounds = preset["autoscaling"][role]
        floor = applied.sizing.get(f"{role}_replicas") or bounds["min_replicas"]
        spec = _get(applied.client, "autoscaling/v2", "HorizontalPodAutoscaler", meta)["spec"]
        assert (spec["minReplicas"], spec["maxReplicas"]) == (declared["min_replicas"], declared["max_replicas"])
        assert (spec["minReplicas"], spec["maxReplicas"]) == (floor, max(floor, bounds["max_replicas"])), role
        target = declared["scale_target_ref"][0]["name"]
        assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": target}
        targets = {m["resource"]["name"]: m["resource"]["target"] for m in spec["metrics"]}
        assert targets == {
            "cpu": {"type": "Utilization", "averageUtilization": bounds["cpu_percent"]},
            "memory": {"type": "Utilization", "averageUtilization": bounds["memory_percent"]},
        }, role
        # The chart's Deployment of that role, started at the floor, so the first apply and the autoscaler agree.
        deployment = _get(applied.client, "apps/v1", "Deployment", {"name": target, "namespace": namespace})
        assert deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == role
        assert deployment["spec"]["replicas"] == chart_values["mastodon"][role]["replicas"] == floor
        # Its PodDisruptionBudget (named as the Deployment) lets fewer pods go than the floor: a node drain at
        # the minimum replicas still leaves the role serving.
        pdb_path = applied.client.object_path("policy/v1", "PodDisruptionBudget", target, namespace)
        kube.wait_for(
            functools.partial(_pdb_expects, applied.client, pdb_path, floor), 30, f"PDB {target} to count {floor}"
        )
        pdb = applied.client.get(pdb_path)
        assert int(pdb["spec"]["maxUnavailable"]) < floor, role
        assert pdb["status"]["desiredHealthy"] == floor - int(pdb["spec"]["maxUnavailable"]) >= 1, pdb["status"]
        roles.add(role)
    assert roles == {"web", "streaming"}


def test_every_object_of_every_release_exists(applied: Applied) -> None:
    releases = applied.resources("helm_release")
    assert {r["values"]["name"] for r in releases} >= {"traefik", "cert-manager"}
    for resource in releases:
        values = resource["values"]
        assert values["status"] == "deployed", values["name"]
        release = _release(applied.client, values["name"], values["namespace"])
        assert release["info"]["status"] == "deployed"
        assert release["version"] == values["metadata"]["revision"]
        for obj in _manifest_objects(release):
            meta = obj["metadata"]
            path = applied.client.object_path(obj["apiVersion"], obj["kind"], meta["name"], meta["namespace"])
            assert applied.client.exists(path), (values["name"], obj["kind"], meta["name"])


def test_load_balancer_status_is_the_hostname_as_on_doks(applied: Applied) -> None:
    state = applied.state()
    service = applied.client.get("/api/v1/namespaces/traefik/services/traefik")
    hostname = service["metadata"]["annotations"][kube.LB_HOSTNAME_ANNOTATION]
    assert service["status"]["loadBalancer"]["ingress"] == [{"hostname": hostname}]
    # With only a hostname, the module reports no IP and points at the load balancer's ID instead.
    assert applied.output("load_balancer_ip", state) is None
    assert applied.output("load_balancer_id", state) == service["metadata"]["annotations"][kube.LB_ID_ANNOTATION]


def test_no_config_map_holds_a_secret_value(applied: Applied) -> None:
    secret_values = _secret_values(applied, applied.state())
    assert len(secret_values) >= 10
    config_maps = applied.client.items("/api/v1/configmaps")
    assert any(cm["metadata"]["name"].endswith("-env") for cm in config_maps), "the chart's env ConfigMap is missing"
    for cm in config_maps:
        text = json.dumps(cm.get("data") or {}) + json.dumps(cm.get("binaryData") or {})
        leaked = [where for where, value in secret_values.items() if value in text]
        assert not leaked, f"ConfigMap {cm['metadata']['namespace']}/{cm['metadata']['name']} holds {leaked}"


# --- order, idempotence, upgrade, destroy ---------------------------------------------------------------------


def _job_statuses(applied: Applied, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    namespace = applied.output("namespace", state)
    return {
        _meta(job)["name"]: applied.client.get(f"/apis/batch/v1/namespaces/{namespace}/jobs/{_meta(job)['name']}")[
            "status"
        ]
        for job in applied.resources("kubernetes_job_v1", state)
    }


def _assert_stated_order(applied: Applied, state: dict[str, Any], fresh: set[str] | None = None) -> None:
    """Each Job in `job_names` (the order the module states) started after every one before it completed.
    Jobs an earlier apply ran are not compared again: `fresh` names those the latest apply created (default all)."""
    order = applied.output("job_names", state)
    assert len(order) >= 3
    jobs = _job_statuses(applied, state)
    assert set(order) == set(jobs)
    for i, after in enumerate(order):
        if fresh is not None and after not in fresh:
            continue
        for before in order[:i]:
            assert _time(jobs[after]["startTime"]) >= _time(jobs[before]["completionTime"]), (
                before,
                jobs[before],
                after,
                jobs[after],
            )


def _assert_dependency_order(applied: Applied, state: dict[str, Any], fresh: set[str] | None = None) -> None:
    """What Terraform's dependencies promise: a Job that depends on another Job started after it completed; one
    that depends on a Helm release started after its latest deployment (its first, for Jobs the latest apply did
    not create); a release that depends on a Job was deployed after the Job completed."""
    jobs = _job_statuses(applied, state)
    job_resources = applied.resources("kubernetes_job_v1", state)
    checked = 0
    for job in job_resources:
        name = _meta(job)["name"]
        for other in job_resources:
            if _unindexed(other["address"]) in job.get("depends_on", []) and (fresh is None or name in fresh):
                assert _time(jobs[name]["startTime"]) >= _time(jobs[_meta(other)["name"]]["completionTime"]), (
                    name,
                    other["address"],
                )
                checked += 1
    for resource in applied.resources("helm_release", state):
        values = resource["values"]
        info = _release(applied.client, values["name"], values["namespace"])["info"]
        # Job times are whole seconds.
        deployed = _time(info["last_deployed"]).replace(microsecond=0)
        first_deployed = _time(info["first_deployed"]).replace(microsecond=0)
        for job in job_resources:
            name = _meta(job)["name"]
            if _unindexed(resource["address"]) in job.get("depends_on", []):
                after = deployed if fresh is None or name in fresh else first_deployed
                assert _time(jobs[name]["startTime"]) >= after, (name, "started before", values["name"])
                checked += 1
            if _unindexed(job["address"]) in resource.get("depends_on", []):
                assert _time(jobs[name]["completionTime"]) <= deployed, (values["name"], "deployed before", name)
                checked += 1
    # At least: the bootstrap before db:prepare, db:prepare before the Mastodon release, db:migrate after it.
    assert checked >= 3


def test_jobs_ran_in_the_order_terraform_dependencies_give(applied: Applied) -> None:
    _assert_dependency_order(applied, applied.state())


def test_jobs_ran_in_the_order_the_module_states(applied: Applied) -> None:
    _assert_stated_order(applied, applied.state())


def test_a_second_plan_changes_no_resource(applied: Applied) -> None:
    plan = applied.terraform("plan", "-out=replan.bin")
    assert plan.returncode == 0, plan.output
    show = applied.runner.run(["show", "-json", "replan.bin"], applied.workdir)
    assert show.returncode == 0, show.output
    changes = json.loads(show.stdout).get("resource_changes", [])
    changed = [
        (c["address"], c["change"]["actions"]) for c in changes if c["change"]["actions"] not in (["no-op"], ["read"])
    ]
    assert not changed, changed


def test_a_second_plan_shows_no_changes_at_all(applied: Applied) -> None:
    plan = applied.terraform("plan", "-detailed-exitcode")
    assert plan.returncode == 0, plan.output


def test_new_version_reruns_migrations_under_new_names_and_keeps_secrets(applied: Applied) -> None:
    before_state = applied.state()
    before_secrets = _cluster_secrets(applied, before_state)
    namespace = applied.output("namespace", before_state)
    before_jobs = {
        n: applied.client.get(f"/apis/batch/v1/namespaces/{namespace}/jobs/{n}")
        for n in applied.output("job_names", before_state)
    }

    applied.apply("-var", f"mastodon_version={UPGRADE_VERSION}")
    state = applied.state()
    after = applied.output("job_names", state)
    new = [n for n in after if n not in before_jobs]
    commands = {}
    for name in new:
        job = applied.client.get(f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}")
        assert job["status"].get("succeeded", 0) >= 1, (name, job["status"])
        container = job["spec"]["template"]["spec"]["containers"][0]
        assert container["image"].endswith(f":{UPGRADE_VERSION}"), container["image"]
        commands[name] = " ".join(container["command"])
    assert sorted(c.rsplit(" ", 1)[-1] for c in commands.values()) == ["db:migrate", "db:prepare"], commands
    for name in after:
        if name not in new:  # the bootstrap and the admin account: not run again
            job = applied.client.get(f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}")
            assert job["metadata"]["uid"] == before_jobs[name]["metadata"]["uid"], name
    for name in set(before_jobs) - set(after):
        assert not applied.client.exists(f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}"), name
    assert _cluster_secrets(applied, state) == before_secrets
    _assert_dependency_order(applied, state, fresh=set(new))
    _assert_stated_order(applied, state, fresh=set(new))
    plan = applied.terraform("plan", "-detailed-exitcode", "-var", f"mastodon_version={UPGRADE_VERSION}")
    assert plan.returncode == 0, plan.output


def test_deployments_become_ready_and_the_ingress_routes_web_and_streaming(applied: Applied) -> None:
    state = applied.state()
    namespace = applied.output("namespace", state)
    chart_values = yaml.safe_load(applied.output("chart_values", state))
    deployments = applied.client.items(f"/apis/apps/v1/namespaces/{namespace}/deployments")
    components = {
        d["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component"): d for d in deployments
    }
    assert {"web", "streaming"} <= set(components), sorted(components)
    assert any(c.startswith("sidekiq") for c in components if c), sorted(components)
    for component, deployment in components.items():
        status = deployment.get("status", {})
        assert status.get("readyReplicas") == deployment["spec"]["replicas"], (component, status)
        role = "sidekiq" if component.startswith("sidekiq") else component
        selector = chart_values["mastodon"][role].get("nodeSelector") or {}
        match = ",".join(f"{k}%3D{v}" for k, v in deployment["spec"]["selector"]["matchLabels"].items())
        assert (
            _pods_on_matching_nodes(applied.client, namespace, match, selector, component)
            == deployment["spec"]["replicas"]
        )
    assert components["web"]["spec"]["replicas"] == chart_values["mastodon"]["web"]["replicas"]
    assert components["streaming"]["spec"]["replicas"] == chart_values["mastodon"]["streaming"]["replicas"]

    ingresses = applied.client.items(f"/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses")
    host = chart_values["ingress"]["hosts"][0]["host"]
    routes = {}
    for ingress in ingresses:
        for rule in ingress["spec"]["rules"]:
            if rule.get("host") == host:
                routes.update({p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]})
    assert set(routes) >= {"/", "/api/v1/streaming"}, routes
    for path, component in (("/", "web"), ("/api/v1/streaming", "streaming")):
        service = routes[path]
        slices = applied.client.items(
            f"/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices?labelSelector=kubernetes.io/service-name%3D{service}"
        )
        ready = [e for s in slices for e in s.get("endpoints") or [] if (e.get("conditions") or {}).get("ready")]
        assert len(ready) == components[component]["spec"]["replicas"], (path, service, slices)


def test_destroy_leaves_none_of_the_modules_objects(applied: Applied) -> None:
    state = applied.state()
    namespaces = [_meta(ns)["name"] for ns in applied.resources("kubernetes_namespace_v1", state)]
    leftovers = []
    for resource in applied.resources("helm_release", state):
        values = resource["values"]
        for obj in _manifest_objects(_release(applied.client, values["name"], values["namespace"])):
            if (obj["metadata"].get("annotations") or {}).get(KEEP) != "keep":
                leftovers.append(obj)
    result = applied.terraform("destroy", "-auto-approve")
    assert result.returncode == 0, result.output
    for name in namespaces:
        namespace = f"/api/v1/namespaces/{name}"
        kube.wait_for(functools.partial(_gone, applied.client, namespace), 120, f"namespace {name} to go")
    for obj in leftovers:
        meta = obj["metadata"]
        path = applied.client.object_path(obj["apiVersion"], obj["kind"], meta["name"], meta["namespace"])
        assert not applied.client.exists(path), (obj["kind"], meta["name"])
    assert not applied.resources("kubernetes_namespace_v1")
