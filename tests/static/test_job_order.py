"""What mocked `terraform test` cannot see, read with python-hcl2: the order and lifecycle of the one-off Jobs,
that every Job and CronJob comes from the one pod template, and that topic files share values only through
main.tf."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tooling import hcl
from tooling.pins import ROOT

MODULE = ROOT / "modules" / "mastodon-helm"
TEMPLATE = MODULE / "modules" / "job"


def _blocks(path: Any, kind: str) -> dict[str, dict[str, Any]]:
    """Blocks of one kind by name; resources by type, then name (several files declare the same type)."""
    found: dict[str, dict[str, Any]] = {}
    for block in hcl.load_dir(path).get(kind, []):
        for name, body in block.items():
            if kind == "resource":
                found.setdefault(name, {}).update(body)
            else:
                found[name] = body
    return found


def test_db_prepare_waits_for_the_postgres_bootstrap() -> None:
    calls = _blocks(MODULE, "module")
    assert "postgres_bootstrap_job" in calls, sorted(calls)
    assert "${module.postgres_bootstrap_job}" in calls["jobs_before_release"].get("depends_on", []), (
        "db-prepare must depend on the bootstrap Job: the grants come before the first table is created"
    )
    assert "${helm_release.mastodon}" in calls["jobs_after_release"].get("depends_on", [])
    assert "${module.jobs_before_release}" in _blocks(MODULE, "resource")["helm_release"]["mastodon"]["depends_on"]


def test_create_admin_waits_for_db_migrate() -> None:
    calls = _blocks(MODULE, "module")
    assert "${module.jobs_after_release}" in calls["admin_job"].get("depends_on", []), (
        "create-admin must depend on db-migrate: the account is created once post-deployment migrations are done"
    )
    # One call per step: instances of one for_each call run side by side, not one after the other.
    assert calls["admin_job"]["for_each"] == "${local.admin_job}"
    jobs_locals = {k: v for block in hcl.load_dir(MODULE).get("locals", []) for k, v in block.items()}
    assert list(jobs_locals["jobs_after_release"]) == ["db-migrate"]
    assert "create-admin =" in jobs_locals["admin_job"]


def test_every_job_and_cron_job_uses_the_one_pod_template() -> None:
    resources = _blocks(MODULE, "resource")
    assert "kubernetes_job_v1" not in resources and "kubernetes_cron_job_v1" not in resources
    calls = _blocks(MODULE, "module")
    templated = sorted(name for name, body in calls.items() if body["source"] == "./modules/job")
    assert templated == [
        "admin_job",
        "jobs_after_release",
        "jobs_before_release",
        "maintenance",
        "postgres_bootstrap_job",
    ]


def test_one_off_jobs_wait_and_never_rerun_by_themselves() -> None:
    job = _blocks(TEMPLATE, "resource")["kubernetes_job_v1"]["this"]
    assert job.get("wait_for_completion") is True
    lifecycle = job.get("lifecycle", {})
    lifecycle = lifecycle[0] if isinstance(lifecycle, list) else lifecycle
    assert "${spec}" in lifecycle.get("ignore_changes", []) or "spec" in lifecycle.get("ignore_changes", [])
    # A TTL would delete the finished Job, and the next apply would create (and run) it again.
    assert "ttl_seconds_after_finished" not in str(job.get("spec"))


def _job_specs(directory: Path) -> tuple[Any, Any]:
    """The Job's spec and the CronJob's job_template spec: backoff and pod template, which must be the same."""
    resources = _blocks(directory, "resource")
    job = resources["kubernetes_job_v1"]["this"]["spec"][0]
    cron = resources["kubernetes_cron_job_v1"]["this"]["spec"][0]["job_template"][0]["spec"][0]
    return job, cron


def test_job_and_cron_job_render_the_same_pod_template() -> None:
    """HCL cannot share a block between the two resource types, so the template is written twice: in step."""
    job, cron = _job_specs(TEMPLATE)
    assert job == cron
    container = job["template"][0]["spec"][0]["container"][0]
    assert container["image"] == "${var.pod.image}" and container["command"] == "${var.pod.command}"


def test_a_template_out_of_step_is_seen(tmp_path: Path) -> None:
    text = (TEMPLATE / "main.tf").read_text()
    last = text.rindex("read_only  = true")
    (tmp_path / "main.tf").write_text(text[:last] + "read_only  = false" + text[last + len("read_only  = true") :])
    job, cron = _job_specs(tmp_path)
    assert job != cron


def _locals_by_file() -> dict[str, set[str]]:
    defined: dict[str, set[str]] = {}
    for tf in sorted(MODULE.glob("*.tf")):
        for block in hcl.load_file(tf).get("locals", []):
            defined.setdefault(tf.name, set()).update(block)
    return defined


def test_topic_files_share_locals_only_through_main() -> None:
    defined = _locals_by_file()
    owner = {name: file for file, names in defined.items() for name in names}
    crossing = []
    for tf in sorted(MODULE.glob("*.tf")):
        if tf.name in ("main.tf", "outputs.tf"):
            continue
        for name in set(re.findall(r"\blocal\.([a-z0-9_]+)", tf.read_text())):
            if owner.get(name) not in (tf.name, "main.tf"):
                crossing.append(f"{tf.name} reads local.{name} of {owner.get(name)}")
    assert crossing == []
    assert {"fullname", "placement", "image", "secret_names", "selector_base"} <= defined["main.tf"]
    assert "kubernetes_namespace_v1" in _blocks(MODULE, "resource")
    assert not (MODULE / "postgres-bootstrap.tf").exists(), "the bootstrap Job is one of the Jobs in jobs.tf"


# Addresses of the module before its Secrets became one map and its Jobs one pod template.
SECRETS = ["app", "postgres", "db_ca", "redis", "s3", "smtp"]
COUNTED_SECRETS = ["opensearch", "postgres_admin", "digitalocean_dns"]
CRON_JOBS = ["media-remove", "preview-cards-remove", "media-remove-orphans"]
JOB = "kubernetes_job_v1.this[0]"
MOVED = {
    **{f"kubernetes_secret_v1.{k}": f'kubernetes_secret_v1.this["{k}"]' for k in SECRETS},
    **{f"kubernetes_secret_v1.{k}[0]": f'kubernetes_secret_v1.this["{k}"]' for k in COUNTED_SECRETS},
    "kubernetes_job_v1.postgres_bootstrap[0]": f'module.postgres_bootstrap_job["db-bootstrap"].{JOB}',
    'kubernetes_job_v1.before_release["db-prepare"]': f'module.jobs_before_release["db-prepare"].{JOB}',
    **{
        f'kubernetes_job_v1.after_release["{k}"]': f'module.jobs_after_release["{k}"].{JOB}'
        for k in ["db-migrate", "create-admin"]
    },
    # Terraform follows the chain: the old root-level create-admin Job lands in the admin_job call.
    'module.jobs_after_release["create-admin"]': 'module.admin_job["create-admin"]',
    **{
        f'kubernetes_cron_job_v1.maintenance["{k}"]': f'module.maintenance["{k}"].kubernetes_cron_job_v1.this[0]'
        for k in CRON_JOBS
    },
}


def test_state_moves_with_every_refactored_resource() -> None:
    def bare(address: str) -> str:
        return address.removeprefix("${").removesuffix("}")

    moved = {bare(m["from"]): bare(m["to"]) for m in hcl.load_dir(MODULE).get("moved", [])}
    assert moved == MOVED
