"""What mocked `terraform test` cannot see: the order and lifecycle of the one-off Jobs, read with python-hcl2."""

from __future__ import annotations

from typing import Any

import pytest

from tooling import hcl
from tooling.pins import ROOT

pytestmark = pytest.mark.static

MODULE = ROOT / "modules" / "mastodon-helm"


def _jobs() -> dict[str, dict[str, Any]]:
    blocks = hcl.load_dir(MODULE).get("resource", [])
    return {name: body for block in blocks for name, body in block.get("kubernetes_job_v1", {}).items()}


def test_db_prepare_waits_for_the_postgres_bootstrap() -> None:
    jobs = _jobs()
    assert "postgres_bootstrap" in jobs, sorted(jobs)
    assert "${kubernetes_job_v1.postgres_bootstrap}" in jobs["before_release"].get("depends_on", []), (
        "db-prepare must depend on the bootstrap Job: the grants come before the first table is created"
    )


@pytest.mark.parametrize("name", ["postgres_bootstrap", "before_release", "after_release"])
def test_one_off_jobs_wait_and_never_rerun_by_themselves(name: str) -> None:
    job = _jobs()[name]
    assert job.get("wait_for_completion") is True, name
    lifecycle = job.get("lifecycle", {})
    lifecycle = lifecycle[0] if isinstance(lifecycle, list) else lifecycle
    assert "${spec}" in lifecycle.get("ignore_changes", []) or "spec" in lifecycle.get("ignore_changes", []), name
    # A TTL would delete the finished Job, and the next apply would create (and run) it again.
    assert "ttl_seconds_after_finished" not in str(job.get("spec")), name
