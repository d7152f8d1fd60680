"""`./run upgrade`: versions shown against the plan, downgrades refused, generated keys kept, then applied."""

from __future__ import annotations

from typing import Any

import pytest

from tests.static.operate.conftest import DOMAIN, FakeTerraform, apply_events
from tooling import deploy, upgrade
from tooling.instance import OperateError

APP = "module.mastodon.module.mastodon"


def _tree(tag: str, chart: str = "1.0.2", k8s: str = "1.35.1-do.0") -> dict[str, Any]:
    return {
        "root_module": {
            "child_modules": [
                {
                    "address": "module.mastodon",
                    "child_modules": [
                        {
                            "address": f"{APP}",
                            "resources": [
                                {
                                    "address": f"{APP}.helm_release.mastodon",
                                    "type": "helm_release",
                                    "name": "mastodon",
                                    "values": {"version": chart, "values": [f"image:\n  tag: {tag}\n"]},
                                }
                            ],
                        },
                        {
                            "address": "module.mastodon.module.doks",
                            "resources": [
                                {
                                    "address": "module.mastodon.module.doks.digitalocean_kubernetes_cluster.this",
                                    "type": "digitalocean_kubernetes_cluster",
                                    "name": "this",
                                    "values": {"version": k8s},
                                }
                            ],
                        },
                    ],
                }
            ]
        }
    }


def _plan(before: str, after: str, replace_key: bool = False) -> dict[str, Any]:
    changes = [
        {
            "address": f'{APP}.kubernetes_job_v1.before_release["db-prepare"]',
            "type": "kubernetes_job_v1",
            "change": {
                "actions": ["create"],
                "after": {"metadata": [{"name": f"social-db-prepare-{after.replace('.', '-')}"}]},
            },
        },
        {
            "address": f'{APP}.kubernetes_job_v1.after_release["db-migrate"]',
            "type": "kubernetes_job_v1",
            "change": {
                "actions": ["create"],
                "after": {"metadata": [{"name": f"social-db-migrate-{after.replace('.', '-')}"}]},
            },
        },
        {
            "address": f"{APP}.module.secrets.random_id.secret_key_base",
            "type": "random_id",
            "change": {"actions": ["delete", "create"] if replace_key else ["no-op"]},
        },
    ]
    return {"prior_state": {"values": _tree(before)}, "planned_values": _tree(after), "resource_changes": changes}


def _run(instance_dir, fake_tf: FakeTerraform, version: str | None, lines: list[str]):
    opts = deploy.Options(auto_approve=True, health_wait_seconds=0, health_interval_seconds=0)
    return upgrade.upgrade(instance_dir, version, opts, log=lines.append, terraform=fake_tf.factory())


def _outputs(url: str) -> dict[str, Any]:
    return {"mastodon_url": url, "domain": DOMAIN, "mastodon_admin_username": "owner"}


@pytest.mark.usefixtures("secrets_env")
def test_upgrade_shows_versions_plans_the_new_tag_and_applies(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(version="4.6.2")
    fake_tf.scenario(
        outputs=_outputs(site.url),
        show={"plan": _plan("v4.6.2", "v4.6.3")},
        apply_events=apply_events(f"{APP}.helm_release.mastodon"),
    )
    lines: list[str] = []
    report = _run(instance_dir, fake_tf, "v4.6.3", lines)
    assert report.ok
    calls = fake_tf.calls()
    assert ["plan", "-input=false", "-out=tfplan", "-var=mastodon_version=v4.6.3"] in calls
    assert [c[0] for c in calls].index("show") < [c[0] for c in calls].index("apply")
    text = "\n".join(lines)
    assert "Mastodon    4.6.2              v4.6.3  <- changes" in text
    assert "chart       1.0.2              1.0.2\n" in text + "\n"
    assert "migration Jobs that run, in the module's order: social-db-prepare-v4-6-3, social-db-migrate-v4-6-3" in text


@pytest.mark.usefixtures("secrets_env")
def test_a_downgrade_is_refused_before_planning(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(version="4.6.2")
    fake_tf.scenario(outputs=_outputs(site.url))
    with pytest.raises(OperateError, match=r"refusing to downgrade Mastodon from 4\.6\.2 to v4\.5\.9"):
        _run(instance_dir, fake_tf, "v4.5.9", [])
    assert [c[0] for c in fake_tf.calls()] == ["init", "output"]


@pytest.mark.usefixtures("secrets_env")
def test_a_plan_whose_tag_is_older_than_the_running_one_is_refused(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(version="4.7.0")
    fake_tf.scenario(outputs=_outputs(site.url), show={"plan": _plan("v4.7.0", "v4.6.2")})
    with pytest.raises(OperateError, match=r"refusing to downgrade Mastodon from 4\.7\.0 to v4\.6\.2"):
        _run(instance_dir, fake_tf, None, [])
    assert "apply" not in [c[0] for c in fake_tf.calls()]


@pytest.mark.usefixtures("secrets_env")
def test_a_plan_replacing_a_generated_key_is_not_applied(instance_dir, fake_tf, mastodon_site) -> None:
    site = mastodon_site(version="4.6.2")
    fake_tf.scenario(outputs=_outputs(site.url), show={"plan": _plan("v4.6.2", "v4.6.3", replace_key=True)})
    with pytest.raises(OperateError, match=r"would replace generated keys .*secret_key_base"):
        _run(instance_dir, fake_tf, "v4.6.3", [])
    assert "apply" not in [c[0] for c in fake_tf.calls()]
    assert not (instance_dir / "tfplan").exists()


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("v4.6.2", "v4.6.3"),
        ("4.5.9", "v4.6.0"),
        ("v4.6.0-beta.1", "v4.6.0"),
        ("v4.6.0-beta.1", "v4.6.0-beta.2"),
        ("4.6.2+glitch", "4.6.10"),
    ],
)
def test_version_order(older: str, newer: str) -> None:
    assert upgrade.parse(older) < upgrade.parse(newer)
    upgrade.refuse_downgrade(older, newer)
    with pytest.raises(OperateError, match="refusing to downgrade"):
        upgrade.refuse_downgrade(newer, older)


def test_a_malformed_version_is_refused() -> None:
    with pytest.raises(OperateError, match=r"not a Mastodon version such as v4\.6\.2"):
        upgrade.parse("latest")
