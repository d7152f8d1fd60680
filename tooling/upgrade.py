"""`./run upgrade`: running versions against the planned ones, no Mastodon downgrade, then the apply.

Mastodon's migrations only go forward, so a lower image tag than the one running is refused before anything is
planned (and again if the plan's tag is lower, e.g. an older pin). The plan must keep every generated key:
one that would be replaced stops the upgrade.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tooling import configure, deploy, health
from tooling.instance import (
    APP_LAYER,
    PLAN_FILE,
    Log,
    OperateError,
    Terraform,
    TerraformFactory,
    declared_variables,
    project_terraform,
    stderr,
)

VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$")
SECRETS = f"{APP_LAYER}.module.secrets."


def parse(version: str) -> tuple[int, int, int, int, str]:
    """Sortable: a release sorts after its pre-releases (4.6.0-beta.1 < 4.6.0)."""
    match = VERSION.match(version.strip())
    if not match:
        raise OperateError(f"{version!r} is not a Mastodon version such as v4.6.2")
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), 0 if pre else 1, pre or ""


def refuse_downgrade(running: str | None, wanted: str | None) -> None:
    if running and wanted and parse(wanted) < parse(running):
        raise OperateError(
            f"refusing to downgrade Mastodon from {running} to {wanted}: its database migrations only go forward; "
            "to go back, restore a backup taken before the upgrade (README, Restore)"
        )


@dataclass
class Versions:
    mastodon: str | None = None
    chart: str | None = None
    kubernetes: str | None = None


def _resources(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(module.get("resources", []))
    for child in module.get("child_modules", []):
        found += _resources(child)
    return found


def versions(module: dict[str, Any]) -> Versions:
    """Versions in a `terraform show -json` module tree (prior_state or planned_values)."""
    found = Versions()
    for resource in _resources(module):
        values = resource.get("values") or {}
        if resource.get("type") == "helm_release" and resource.get("name") == "mastodon":
            found.chart = values.get("version")
            for doc in values.get("values") or []:
                tag = ((yaml.safe_load(doc) or {}).get("image") or {}).get("tag") if isinstance(doc, str) else None
                found.mastodon = tag or found.mastodon
        if resource.get("type") == "digitalocean_kubernetes_cluster":
            found.kubernetes = values.get("version")
    return found


def show_plan(tf: Terraform) -> dict[str, Any]:
    result = tf.run(["show", "-json", PLAN_FILE], capture=True)
    if result.returncode != 0:
        raise OperateError("could not read the saved plan (terraform show failed); re-run ./run upgrade")
    return dict(json.loads(result.stdout or "{}"))


def replaced_secrets(plan: dict[str, Any]) -> list[str]:
    return [
        c["address"]
        for c in plan.get("resource_changes", [])
        if c["address"].startswith(SECRETS) and set(c["change"]["actions"]) & {"delete", "create"}
    ]


def new_jobs(plan: dict[str, Any]) -> list[str]:
    return [
        str((c["change"].get("after") or {}).get("metadata", [{}])[0].get("name", c["address"]))
        for c in plan.get("resource_changes", [])
        if c.get("type") == "kubernetes_job_v1" and "create" in c["change"]["actions"]
    ]


def table(running: str | None, before: Versions, after: Versions) -> list[str]:
    rows = [
        ("Mastodon", running or before.mastodon, after.mastodon),
        ("chart", before.chart, after.chart),
        ("Kubernetes", before.kubernetes, after.kubernetes),
    ]
    lines = [f"  {'':<11} {'running':<18} planned"]
    for name, now, then in rows:
        mark = "" if (now or "").lstrip("v") == (then or "").lstrip("v") else "  <- changes"
        lines.append(f"  {name:<11} {now or '?':<18} {then or '?'}{mark}")
    return lines


def upgrade(
    directory: Path,
    version: str | None,
    options: deploy.Options,
    ask: configure.Ask = input,
    log: Log = stderr,
    terraform: TerraformFactory = project_terraform,
) -> health.Report:
    settings = deploy.preflight(directory, options, ask, log)
    if version is not None:
        parse(version)
        if "mastodon_version" not in declared_variables(directory):
            raise OperateError(
                f"--version needs a variable mastodon_version in {directory} passed to mastodon.version "
                "(as in examples/minimal)"
            )
    tf = terraform(directory, log)
    tf.init()
    outputs = tf.outputs()
    url, domain = outputs.get("mastodon_url"), outputs.get("domain")
    running = health.check(str(url), str(domain), None).version if url and domain else None
    refuse_downgrade(running, version)
    extra = (f"-var=mastodon_version={version}",) if version else ()
    deploy.plan(tf, extra)
    plan = show_plan(tf)
    before, after = (
        versions(plan.get("prior_state", {}).get("values", {}).get("root_module", {})),
        versions(plan.get("planned_values", {}).get("root_module", {})),
    )
    refuse_downgrade(running or before.mastodon, after.mastodon)
    for line in table(running, before, after):
        log(line)
    replaced = replaced_secrets(plan)
    if replaced:
        (tf.cwd / PLAN_FILE).unlink(missing_ok=True)
        raise OperateError(
            f"the plan would replace generated keys ({', '.join(replaced)}); "
            "not applied: check existing_secrets and the state"
        )
    jobs = new_jobs(plan)
    if jobs:
        log(f"  migration Jobs that run, in the module's order: {', '.join(jobs)}")
    deploy.confirm(options, ask, "Apply this upgrade?")
    watcher = deploy.apply(tf, log)
    log(f"applied in {watcher.elapsed()}")
    return deploy.final_report(tf.outputs(), settings, options, log)
