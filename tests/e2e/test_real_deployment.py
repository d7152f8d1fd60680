"""A real deployment on DigitalOcean (billable). Opt in with DIGITALOCEAN_TOKEN and TFDOM_E2E=1, and give the
inputs of examples/minimal through the environment variables tooling/e2e.py names (TFDOM_E2E_DOMAIN,
TFDOM_E2E_DNS_ZONE, TFDOM_E2E_ADMIN_EMAIL, TFDOM_E2E_SMTP_SERVER, TFDOM_E2E_SMTP_LOGIN, TFDOM_E2E_SMTP_FROM,
TFDOM_E2E_SMTP_PASSWORD; TFDOM_E2E_SMTP_PORT optional).

The zone must be managed in the DigitalOcean account (so the module creates the A record). The test applies
examples/minimal in a temporary copy, waits for https://<domain> to serve Mastodon's instance API with a valid
certificate, re-plans expecting no changes, and always destroys what it created.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request

import pytest

from tooling import e2e, tfrun

DEADLINE_SECONDS = 45 * 60


def _instance(domain: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"https://{domain}/api/v2/instance", timeout=10) as response:
            instance: dict[str, object] = json.load(response)
            return instance
    except (OSError, ValueError):
        return None


def test_minimal_example_serves_mastodon_over_https(workdirs: tfrun.Workdirs) -> None:
    try:
        variables = e2e.inputs(os.environ, "e2e" + str(int(time.time()))[-6:])
    except e2e.MissingInputs as exc:
        pytest.skip(str(exc))
    domain = str(variables["domain"])
    workdir = workdirs.get("examples/minimal", files={"terraform.tfvars.json": json.dumps(variables)})
    terraform = workdirs.runner
    try:
        applied = terraform.run(["apply", "-auto-approve", "-input=false", "-no-color"], workdir, timeout=3600)
        assert applied.returncode == 0, applied.output[-6000:]
        deadline = time.monotonic() + DEADLINE_SECONDS
        instance = None
        while time.monotonic() < deadline and instance is None:
            instance = _instance(domain)
            if instance is None:
                time.sleep(15)
        assert instance is not None, f"https://{domain}/api/v2/instance did not answer within {DEADLINE_SECONDS} s"
        assert instance.get("domain") == domain
        replan = terraform.run(["plan", "-detailed-exitcode", "-input=false", "-no-color"], workdir, timeout=1800)
        assert replan.returncode == 0, "a second plan wants changes:\n" + replan.output[-6000:]
    finally:
        destroyed = terraform.run(["destroy", "-auto-approve", "-input=false", "-no-color"], workdir, timeout=3600)
        assert destroyed.returncode == 0, destroyed.output[-6000:]
