"""`terraform test` of modules/mastodon-helm with mocked kubernetes/helm, and proof that it can fail."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tooling import tfrun

MODULE = "modules/mastodon-helm"


def _summary(output: str) -> tuple[int, int]:
    match = re.search(r"(\d+) passed, (\d+) failed", output)
    assert match, output
    return int(match.group(1)), int(match.group(2))


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
def test_native_tests_pass(terraform: tfrun.Runner, initialized: Callable[[str], Path]) -> None:
    result = terraform.run(["test", "-no-color"], initialized(MODULE))
    assert result.returncode == 0, result.output
    passed, failed = _summary(result.output)
    assert failed == 0 and passed >= 6, result.output


@pytest.mark.providers("helm", "kubernetes", "random", "tls")
@pytest.mark.parametrize(
    ("file", "search", "replace", "message"),
    [
        ("chart.tf", "preparedStatements = false", "preparedStatements = true", "postgresql pool wiring wrong"),
        (
            "presets.yaml",
            "- name: scheduler\n      replicas: 1",
            "- name: scheduler\n      replicas: 2",
            "exactly one scheduler",
        ),
        ("main.tf", 'REDIS_DRIVER = "ruby"', 'REDIS_DRIVER = "hiredis"', "rediss:// with REDIS_DRIVER=ruby"),
        # The bootstrap Job: through PgBouncer instead of the direct port, the password under the wrong key,
        # and a name that changes with the image (which would re-run the grants on every image bump).
        (
            "jobs.tf",
            '{ name = "PGPORT", value = tostring(var.postgres.direct_port) }',
            '{ name = "PGPORT", value = tostring(var.postgres.pool_port) }',
            "must target the direct host, port 25060",
        ),
        (
            "jobs.tf",
            '{ name = "PGPASSWORD", secret = local.secret_names.postgres_admin, key = "password" }',
            '{ name = "PGPASSWORD", secret = local.secret_names.postgres_admin, key = "username" }',
            "PGUSER and PGPASSWORD must come from the admin Secret",
        ),
        (
            "jobs.tf",
            "sha256(local.postgres_bootstrap_sql)",
            "sha256(join(local.postgres_bootstrap_sql, [nonsensitive(var.postgres_bootstrap.image)]))",
            "must not be part of the bootstrap Job's name",
        ),
        # Database TLS and the admin's password: unverified Rails pods, and a password the Job does not read.
        (
            "main.tf",
            "{ DB_SSLMODE = var.postgres.ssl_mode }",
            '{ DB_SSLMODE = "prefer" }',
            "must verify the database certificate",
        ),
        (
            "jobs.tf",
            'ADMIN_PASSWORD = "password"',
            'ADMIN_PASSWORD = "username"',
            "must read the admin's credentials from the Secret",
        ),
    ],
)
def test_native_tests_catch_a_broken_wiring(
    workdirs: tfrun.Workdirs, file: str, search: str, replace: str, message: str
) -> None:
    module = workdirs.get(MODULE)
    target = module / file
    text = target.read_text()
    assert search in text, f"mutation target {search!r} not in {file}"
    target.write_text(text.replace(search, replace))
    result = workdirs.runner.run(["test", "-no-color"], module)
    assert result.returncode == 1, result.output
    # Terraform wraps long error messages: compare with whitespace collapsed.
    assert message in " ".join(result.output.split())
