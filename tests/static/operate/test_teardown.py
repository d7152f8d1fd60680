"""`./run teardown`: refusals, the order of the terraform calls, the media default, re-runs, the leftover report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.servers import Routes
from tests.static.operate.conftest import INSTANCE_RESOURCES, FakeTerraform
from tooling import doapi, teardown
from tooling.instance import OperateError

CLUSTER = "bd5f5959-5e1e-4205-a714-a914373942af"
STATE = [
    *INSTANCE_RESOURCES,
    "module.mastodon.module.spaces.digitalocean_spaces_bucket_cors_configuration.this",
    "module.mastodon.module.spaces.digitalocean_spaces_key.this",
    "module.mastodon.module.spaces.random_id.bucket",
]
OUTPUTS = {"cluster_id": CLUSTER, "spaces_bucket_name": "social-media-1a2b3c"}


def recorded_api(load_balancer_left: bool = False) -> Routes:
    """Answers shaped as the OpenAPI specification's list responses (ids, names, tags, links, meta)."""
    lbs = [
        {"id": "4de7ac8b-495b-4884-9a69-1050c6793cd6", "name": "example-lb-01", "ip": "104.131.186.241", "tag": "web"}
    ]
    if load_balancer_left:
        lbs.append(
            {
                "id": "0b3b4ef9-4a8d-43e6-8b8a-6c3b3e3f0a11",
                "name": "a5e2f0c81e7a94d5a9d8f1b0c3a6e7d2",
                "tag": f"k8s:{CLUSTER}",
            }
        )
    return Routes(
        {
            "/v2/load_balancers": (200, {"load_balancers": lbs, "links": {}, "meta": {"total": len(lbs)}}),
            "/v2/volumes": (
                200,
                {
                    "volumes": [
                        {
                            "id": "506f78a4-e098-11e5-ad9f-000f53306ae1",
                            "name": "pvc-0c5e0f7d",
                            "size_gigabytes": 10,
                            "tags": [f"k8s:{CLUSTER}", "k8s"],
                        },
                        {
                            "id": "7724db7c-e098-11e5-b522-000f53304e51",
                            "name": "example",
                            "size_gigabytes": 10,
                            "tags": ["aninterestingtag"],
                        },
                    ],
                    "links": {},
                    "meta": {"total": 2},
                },
            ),
            "/v2/kubernetes/clusters": (200, {"kubernetes_clusters": [], "links": {}, "meta": {"total": 0}}),
            "/v2/databases": (
                200,
                {
                    "databases": [
                        {"id": "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30", "name": "backend", "engine": "pg", "tags": []}
                    ]
                },
            ),
            "/v2/spaces/keys": (
                200,
                {
                    "keys": [
                        {
                            "name": "social-media",
                            "access_key": "DOACCESSKEYEXAMPLE",
                            "grants": [{"bucket": "social-media-1a2b3c", "permission": "readwrite"}],
                            "created_at": "2018-07-19T15:04:16Z",
                        },
                        {
                            "name": "my-access-key",
                            "access_key": "DOOTHERKEY",
                            "grants": [],
                            "created_at": "2018-07-19T15:04:16Z",
                        },
                    ],
                    "links": {},
                    "meta": {"total": 2},
                },
            ),
            "/v2/vpcs": (
                200,
                {
                    "vpcs": [{"id": "5a4981aa-9653-4bd1-bef5-d6bff52042e4", "name": "default-fra1", "default": True}],
                    "links": {},
                    "meta": {"total": 1},
                },
            ),
        }
    )


@pytest.fixture
def run(instance_dir: Path, fake_tf: FakeTerraform, api, secrets_env) -> object:
    def go(routes: Routes | None = None, **options: Any) -> tuple[list[str], list[doapi.Leftover]]:
        base = api(routes or recorded_api())
        lines: list[str] = []
        opts = teardown.Options(
            yes=True, confirm_name="social", load_balancer_wait_seconds=0, poll_seconds=0, **options
        )
        found = teardown.teardown(
            instance_dir, opts, log=lines.append, terraform=fake_tf.factory(), api=lambda token: doapi.Api(token, base)
        )
        return lines, found

    return go


def _verbs(fake_tf: FakeTerraform) -> list[list[str]]:
    return [c for c in fake_tf.calls() if c[0] in ("destroy", "apply") or c[:2] == ["state", "rm"]]


def test_application_layer_goes_first_and_the_bucket_is_kept(run, fake_tf: FakeTerraform, instance_dir: Path) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    lines, _found = run()
    assert _verbs(fake_tf) == [
        ["destroy", "-input=false", "-auto-approve", "-target=module.mastodon.module.mastodon"],
        [
            "state",
            "rm",
            "module.mastodon.module.spaces.digitalocean_spaces_bucket.this",
            "module.mastodon.module.spaces.digitalocean_spaces_bucket_cors_configuration.this",
        ],
        ["destroy", "-input=false", "-auto-approve"],
    ]
    text = "\n".join(lines)
    before = text.index("and its files are kept")
    assert (
        before
        < text.index("== application layer")
        < text.index("== infrastructure")
        < text.index("kept: media bucket social-media-1a2b3c")
    )
    assert "to delete it later" in text
    assert (instance_dir / teardown.KEPT_NOTE).read_text().strip() == "social-media-1a2b3c"
    assert fake_tf.state() == []


def test_delete_media_sets_force_destroy_before_the_destroy(run, fake_tf: FakeTerraform, instance_dir: Path) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    lines, _ = run(delete_media=True)
    force = "-var=media_force_destroy=true"
    assert _verbs(fake_tf) == [
        ["destroy", "-input=false", "-auto-approve", "-target=module.mastodon.module.mastodon", force],
        [
            "apply",
            "-input=false",
            "-auto-approve",
            "-target=module.mastodon.module.spaces.digitalocean_spaces_bucket.this",
            force,
        ],
        ["destroy", "-input=false", "-auto-approve", force],
    ]
    assert "every file in it will be deleted" in "\n".join(lines)
    assert not (instance_dir / teardown.KEPT_NOTE).exists()


def test_interrupted_teardown_is_rerun_from_where_it_stopped(run, fake_tf: FakeTerraform) -> None:
    # The application layer goes and the bucket leaves the state; then the infrastructure destroy fails once.
    fake_tf.scenario(state=STATE, outputs=OUTPUTS, destroy_rc=[0, 1, 0])
    with pytest.raises(OperateError, match=r"removing the infrastructure failed .* re-run ./run teardown"):
        run()
    done = len(_verbs(fake_tf))
    lines, _ = run()
    assert _verbs(fake_tf)[done:] == [["destroy", "-input=false", "-auto-approve"]], (
        "the re-run only finishes the destroy"
    )
    assert "kept: media bucket social-media-1a2b3c" in "\n".join(lines), "the kept bucket is named from the note"


def test_leftover_report_from_recorded_api_answers(run, fake_tf: FakeTerraform) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    lines, found = run(recorded_api(load_balancer_left=True))
    assert {(x.kind, x.name) for x in found} == {
        ("load balancer", "a5e2f0c81e7a94d5a9d8f1b0c3a6e7d2"),
        ("volume", "pvc-0c5e0f7d"),
        ("spaces key", "social-media"),
    }
    text = "\n".join(lines)
    assert "still visible through the DigitalOcean API (3)" in text and f"tag k8s:{CLUSTER}" in text
    assert "example-lb-01" not in text and "my-access-key" not in text


def test_nothing_left_is_said(run, fake_tf: FakeTerraform) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    routes = recorded_api()
    routes.answers["/v2/volumes"] = (200, {"volumes": [], "links": {}, "meta": {"total": 0}})
    routes.answers["/v2/spaces/keys"] = (200, {"keys": [], "links": {}, "meta": {"total": 0}})
    lines, found = run(routes)
    assert found == [] and any("nothing named social" in x for x in lines)


def test_api_lists_follow_pagination(api) -> None:
    routes = Routes(
        {
            "/v2/volumes?per_page=200": (
                200,
                {
                    "volumes": [{"name": "social-a"}],
                    "links": {"pages": {"next": "https://api.digitalocean.com/v2/volumes?page=2&per_page=200"}},
                },
            ),
            "/v2/volumes?page=2&per_page=200": (200, {"volumes": [{"name": "social-b"}], "links": {}}),
        }
    )
    client = doapi.Api("t", api(routes))
    assert [v["name"] for v in client.list("/v2/volumes", "volumes")] == ["social-a", "social-b"]
    assert routes.hits[0][0] == "GET"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"yes": False, "confirm_name": "social"}, "refusing without --yes"),
        ({"yes": True, "confirm_name": "mastodon"}, "'mastodon' is not the instance name 'social'"),
        ({"yes": True, "confirm_name": None, "interactive": False}, "pass --confirm social together with --yes"),
    ],
)
def test_refusals_destroy_nothing(instance_dir: Path, fake_tf: FakeTerraform, secrets_env, options, message) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    with pytest.raises(OperateError, match=message):
        teardown.teardown(instance_dir, teardown.Options(**options), log=lambda _: None, terraform=fake_tf.factory())
    assert fake_tf.calls() == []


def test_the_name_typed_on_a_terminal_is_checked(instance_dir: Path, fake_tf: FakeTerraform, secrets_env) -> None:
    fake_tf.scenario(state=STATE, outputs=OUTPUTS)
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return "socail"

    with pytest.raises(OperateError, match="'socail' is not the instance name"):
        teardown.teardown(
            instance_dir,
            teardown.Options(yes=True, interactive=True),
            ask=ask,
            log=lambda _: None,
            terraform=fake_tf.factory(),
        )
    assert asked == ["Type the instance name (social) to destroy it: "]
    assert fake_tf.calls() == []
