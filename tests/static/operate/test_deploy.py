"""`./run deploy`: preconditions, the plan-then-apply order, the phases, state protection and the health report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.static.operate.conftest import DOMAIN, INSTANCE_RESOURCES, FakeTerraform, apply_events
from tooling import deploy
from tooling.instance import OperateError


def _outputs(url: str) -> dict[str, str]:
    return {"mastodon_url": url, "domain": DOMAIN, "mastodon_admin_username": "owner", "cluster_id": "c1"}


def _run(instance_dir: Path, fake_tf: FakeTerraform, lines: list[str], **options: object) -> object:
    opts = deploy.Options(auto_approve=True, health_wait_seconds=0, health_interval_seconds=0, **options)  # type: ignore[arg-type]
    return deploy.deploy(instance_dir, opts, ask=lambda _: "n", log=lines.append, terraform=fake_tf.factory())


@pytest.mark.usefixtures("secrets_env")
def test_healthy_deploy_shows_phases_in_order_and_ends_with_the_health_report(
    instance_dir, fake_tf, mastodon_site
) -> None:
    site = mastodon_site(healthy=True)
    fake_tf.scenario(outputs=_outputs(site.url), apply_events=apply_events(*INSTANCE_RESOURCES))
    lines: list[str] = []
    report = _run(instance_dir, fake_tf, lines)

    assert report.ok and report.version == "4.6.2"  # type: ignore[attr-defined]
    assert [c[0] for c in fake_tf.calls()] == ["init", "plan", "apply", "output"]
    assert fake_tf.calls()[2] == ["apply", "-input=false", "-json", "tfplan"]
    phases = [line.split("== ", 1)[1] for line in lines if "== " in line]
    assert phases[:3] == ["infrastructure", "cluster ready", "application"]
    assert phases[3].startswith("certificate")
    assert any(
        "infrastructure: create module.mastodon.module.doks.digitalocean_kubernetes_cluster.this" in x for x in lines
    )
    text = "\n".join(lines)
    for name in ("certificate", "/health", "/api/v2/instance", "webfinger"):
        assert f"ok   {name}" in text
    assert f"answers at {site.url}" in text and f"@owner@{DOMAIN}" in text and "./run status" in text
    assert {h[1] for h in site.routes.hits} >= {"/health", "/api/v2/instance", "/.well-known/webfinger"}


@pytest.mark.usefixtures("secrets_env")
def test_unhealthy_instance_says_which_part_fails_and_how_to_look_closer(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(healthy=False)
    fake_tf.scenario(outputs=_outputs(site.url), apply_events=apply_events(*INSTANCE_RESOURCES))
    lines: list[str] = []
    with pytest.raises(OperateError, match=r"not healthy \(/health, webfinger\)"):
        _run(instance_dir, fake_tf, lines)
    text = "\n".join(lines)
    assert "FAIL /health: HTTP 503" in text and "ok   certificate" in text and "ok   /api/v2/instance" in text
    assert "look closer: ./run status" in text and "look closer: ./run admin" in text


@pytest.mark.usefixtures("secrets_env")
def test_untrusted_certificate_fails_the_certificate_check(
    instance_dir, fake_tf, mastodon_site, monkeypatch, tmp_path
) -> None:
    site = mastodon_site(healthy=True)
    from tests.static.operate.conftest import make_cert

    monkeypatch.setenv("SSL_CERT_FILE", str(make_cert(tmp_path / "other", "other.test").cert))
    fake_tf.scenario(outputs=_outputs(site.url), apply_events=apply_events(*INSTANCE_RESOURCES))
    lines: list[str] = []
    with pytest.raises(OperateError, match="certificate"):
        _run(instance_dir, fake_tf, lines)
    assert any("FAIL certificate: not valid" in line for line in lines)


@pytest.mark.usefixtures("secrets_env")
def test_interrupted_apply_names_the_phase_and_a_rerun_plans_afresh(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(healthy=True)
    failing = [
        *apply_events(*INSTANCE_RESOURCES[:2])[:-1],
        {
            "type": "diagnostic",
            "diagnostic": {"severity": "error", "summary": "Error creating database cluster", "detail": "quota"},
        },
    ]
    fake_tf.scenario(outputs=_outputs(site.url), apply_events=failing, apply_rc=[1, 0])
    lines: list[str] = []
    with pytest.raises(
        OperateError, match=r"apply stopped during cluster ready .*Error creating database cluster.*re-run ./run deploy"
    ):
        _run(instance_dir, fake_tf, lines)
    assert not (instance_dir / "tfplan").exists(), "a stale saved plan must not survive"
    report = _run(instance_dir, fake_tf, lines)
    assert report.ok  # type: ignore[attr-defined]
    assert [c[0] for c in fake_tf.calls()].count("plan") == 2


@pytest.mark.usefixtures("secrets_env")
def test_state_files_are_private(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(healthy=True)
    backup = instance_dir / "terraform.tfstate.backup"
    backup.write_text("{}")
    backup.chmod(0o644)
    fake_tf.scenario(outputs=_outputs(site.url), apply_events=apply_events(*INSTANCE_RESOURCES))
    _run(instance_dir, fake_tf, [])
    assert (instance_dir / "terraform.tfstate").stat().st_mode & 0o777 == 0o600
    assert backup.stat().st_mode & 0o777 == 0o600
    assert {r["umask"] for r in fake_tf.records()} == {0o077}


def test_without_a_token_nothing_runs(instance_dir, fake_tf, monkeypatch) -> None:
    monkeypatch.delenv("DIGITALOCEAN_TOKEN", raising=False)
    with pytest.raises(OperateError, match="DIGITALOCEAN_TOKEN is not set"):
        _run(instance_dir, fake_tf, [])
    assert fake_tf.calls() == []


@pytest.mark.usefixtures("secrets_env")
def test_without_the_smtp_password_nothing_runs(instance_dir, fake_tf, monkeypatch) -> None:
    monkeypatch.delenv("TF_VAR_smtp_password")
    with pytest.raises(OperateError, match="TF_VAR_smtp_password is not set"):
        _run(instance_dir, fake_tf, [])
    assert fake_tf.calls() == []


@pytest.mark.usefixtures("secrets_env")
def test_without_settings_and_terminal_lists_what_is_missing(instance_dir, fake_tf) -> None:
    (instance_dir / "terraform.tfvars").unlink()
    with pytest.raises(OperateError) as caught:
        _run(instance_dir, fake_tf, [])
    message = str(caught.value)
    assert "no terminal" in message and "\n" not in message
    for key in ("domain", "admin_email", "smtp.server", "smtp.login", "smtp.from_address", "dns_zone"):
        assert key in message
    assert fake_tf.calls() == []


@pytest.mark.usefixtures("secrets_env")
@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('domain      = "social.other.test"', "not inside dns_zone example.test"),
        ('domain      = "Social.Example.Test"', "not a lowercase fully qualified name"),
        ('admin_email = "nobody"', "not an e-mail address"),
    ],
)
def test_inconsistent_settings_are_refused_before_terraform(instance_dir, fake_tf, line, problem) -> None:
    path = instance_dir / "terraform.tfvars"
    key = line.split()[0]
    path.write_text("\n".join(line if x.startswith(key + " ") else x for x in path.read_text().splitlines()) + "\n")
    with pytest.raises(OperateError, match=problem):
        _run(instance_dir, fake_tf, [])
    assert fake_tf.calls() == []


@pytest.mark.usefixtures("secrets_env")
def test_a_failing_plan_stops_before_apply(instance_dir, fake_tf) -> None:
    fake_tf.scenario(plan_rc=1)
    with pytest.raises(OperateError, match=r"the plan failed .* nothing was changed"):
        _run(instance_dir, fake_tf, [])
    assert [c[0] for c in fake_tf.calls()] == ["init", "plan"]


@pytest.mark.usefixtures("secrets_env")
def test_without_yes_or_terminal_it_refuses_to_apply(instance_dir, fake_tf) -> None:
    fake_tf.scenario()
    opts = deploy.Options(auto_approve=False, interactive=False)
    with pytest.raises(OperateError, match="re-run with --yes"):
        deploy.deploy(instance_dir, opts, log=lambda _: None, terraform=fake_tf.factory())
    assert "apply" not in [c[0] for c in fake_tf.calls()]
