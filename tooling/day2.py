"""`./run kubeconfig`, `./run admin` and `./run status`: what an operator needs after the deploy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tooling import cluster as kube
from tooling import doapi, health
from tooling.instance import Log, OperateError, TerraformFactory, project_terraform, require_token, stderr

ApiFactory = Callable[[str], doapi.Api]
Connect = Callable[[doapi.Api, str], kube.Cluster]


@dataclass
class Context:
    outputs: dict[str, Any]
    api: doapi.Api


def context(directory: Path, terraform: TerraformFactory, api: ApiFactory, log: Log) -> Context:
    token = require_token()
    tf = terraform(directory, log)
    tf.init()
    outputs = tf.outputs()
    if not outputs:
        raise OperateError(f"no outputs in the state of {directory}: deploy the instance first (./run deploy)")
    return Context(outputs, api(token))


def kubeconfig(
    directory: Path,
    path: str | None,
    expiry_hours: int,
    terraform: TerraformFactory = project_terraform,
    api: ApiFactory = doapi.Api,
    log: Log = stderr,
) -> tuple[Path, datetime | None]:
    if not path:
        raise OperateError("say where to write it: --path ~/.kube/mastodon (never inside the repository)")
    if not 1 <= expiry_hours <= 24 * 7:
        raise OperateError("--expiry-hours must be between 1 and 168 (7 days, DigitalOcean's longest)")
    ctx = context(directory, terraform, api, log)
    cluster = kube.cluster_id(ctx.outputs)
    try:
        creds = ctx.api.cluster_credentials(cluster, expiry_hours * 3600)
    except doapi.ApiError as exc:
        raise OperateError(f"fresh cluster credentials: {exc}") from exc
    name = str(ctx.outputs.get("cluster_name") or cluster)
    written = kube.write_kubeconfig(Path(path), kube.kubeconfig(name, creds))
    return written, kube.expires(creds)


def admin(
    directory: Path,
    reset: bool,
    terraform: TerraformFactory = project_terraform,
    api: ApiFactory = doapi.Api,
    connect: Connect = kube.Cluster.connect,
    log: Log = stderr,
) -> kube.Admin:
    ctx = context(directory, terraform, api, log)
    cluster = connect(ctx.api, kube.cluster_id(ctx.outputs))
    return kube.reset_admin(cluster, ctx.outputs) if reset else kube.read_admin(cluster, ctx.outputs)


def _money(value: Any) -> str:
    return f"${value:,.0f}" if isinstance(value, int | float) else "?"


def status(
    directory: Path,
    queues: bool = True,
    terraform: TerraformFactory = project_terraform,
    api: ApiFactory = doapi.Api,
    connect: Connect = kube.Cluster.connect,
    log: Log = stderr,
) -> list[str]:
    """One screen about the instance; parts that cannot be read say why instead of failing the whole."""
    ctx = context(directory, terraform, api, log)
    out = ctx.outputs
    url = str(out.get("mastodon_url") or "")
    domain = str(out.get("domain") or url.removeprefix("https://").split("/")[0])
    lines = [f"instance  {url}"]
    report = health.check(url, domain, out.get("mastodon_admin_username"))
    lines.append(
        f"health    {'ok' if report.ok else 'FAILING: ' + ', '.join(c.name for c in report.failed())}"
        + (f" (Mastodon {report.version})" if report.version else "")
    )
    lines += report.lines()
    if report.certificate_expires:
        days = (report.certificate_expires - kube.now()).days
        lines.append(
            f"cert      expires {report.certificate_expires:%Y-%m-%d %H:%M} UTC ({days} days; renewed at 30 left)"
        )
    namespace = str(out.get("mastodon_namespace") or "mastodon")
    try:
        cluster = connect(ctx.api, kube.cluster_id(out))
        pods = cluster.pods(namespace)
        lines.append(f"pods      {len(pods)} in namespace {namespace}")
        lines += kube.component_lines(pods)
        if queues:
            q = kube.sidekiq_queues(cluster, namespace)
            lines.append(
                f"sidekiq   {q['enqueued']} enqueued, {q['scheduled']} scheduled, "
                f"{q['retries']} retries, {q['dead']} dead"
            )
    except (OperateError, doapi.ApiError) as exc:
        lines.append(f"cluster   not readable: {exc}")
    except Exception as exc:
        lines.append(f"cluster   not readable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    lines.append(
        f"postgres  {out.get('postgres_pool_host', '?')} (pool), {out.get('postgres_direct_host', '?')} (direct)"
    )
    lines.append(f"valkey    {out.get('valkey_host', '?')}")
    cost = out.get("cost_estimate_monthly_usd") or {}
    if cost:
        span = (
            _money(cost.get("minimum"))
            if cost.get("minimum") == cost.get("maximum")
            else f"{_money(cost.get('minimum'))}-{_money(cost.get('maximum'))}"
        )
        lines.append(f"cost      about {span} a month (list prices; see cost_estimate_monthly_usd)")
    return lines
