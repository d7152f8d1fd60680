"""`./run teardown`: the application layer first, then the infrastructure; the media bucket kept unless asked.

Order matters: the ingress Service owns a DigitalOcean load balancer that only Kubernetes deletes, so the
Helm releases go while the cluster still runs; then everything else. By default the media bucket (and its CORS
settings) leave the Terraform state before the destroy, so the bucket and its files stay; `--delete-media`
first sets `media_force_destroy` on the bucket, then the destroy empties and deletes it. Every step looks at
the state first, so an interrupted teardown is re-run as is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tooling import doapi
from tooling.configure import Ask
from tooling.instance import (
    APP_LAYER,
    BUCKET_PREFIX,
    Log,
    OperateError,
    Terraform,
    TerraformFactory,
    declared_variables,
    instance_name,
    project_terraform,
    require_token,
    stderr,
)

KEPT_NOTE = "media-bucket-kept.txt"
FORCE_VAR = "media_force_destroy"
BUCKET = f"{BUCKET_PREFIX}.this"


@dataclass(frozen=True)
class Options:
    yes: bool = False
    confirm_name: str | None = None
    delete_media: bool = False
    interactive: bool = False
    load_balancer_wait_seconds: float = 300.0
    poll_seconds: float = 10.0


ApiFactory = Callable[[str], doapi.Api]


def _confirmed(name: str, options: Options, ask: Ask) -> None:
    if not options.yes:
        raise OperateError(
            f"refusing without --yes: this deletes the instance {name} (cluster, databases, load balancer, DNS record)"
        )
    typed = options.confirm_name
    if typed is None:
        if not options.interactive:
            raise OperateError(f"no terminal to type the name on: pass --confirm {name} together with --yes")
        typed = ask(f"Type the instance name ({name}) to destroy it: ")
    if typed.strip() != name:
        raise OperateError(f"{typed.strip()!r} is not the instance name {name!r}; nothing was destroyed")


def delete_later(bucket: str) -> str:
    return (
        f"to delete it later: empty and remove it in the control panel (Spaces Object Storage > {bucket} > Destroy), "
        f"or `aws s3 rb s3://{bucket} --force --endpoint-url https://<region>.digitaloceanspaces.com` with a Spaces key"
    )


def _destroy(tf: Terraform, extra: list[str], what: str) -> None:
    result = tf.run(["destroy", "-input=false", "-auto-approve", *extra])
    if result.returncode != 0:
        raise OperateError(
            f"removing {what} failed (see above); fix the cause and re-run ./run teardown "
            "(it goes on from where it stopped)"
        )


def wait_for_load_balancers(api: doapi.Api, name: str, cluster_id: str | None, options: Options, log: Log) -> None:
    """Kubernetes deletes the ingress load balancer after its Service goes: wait for it (with a deadline)."""
    if not cluster_id:
        return
    try:
        _wait(api, name, cluster_id, options, log)
    except doapi.ApiError as exc:
        log(f"  could not watch the load balancer ({exc}); the cluster's destroy_all_associated_resources removes it")


def _wait(api: doapi.Api, name: str, cluster_id: str, options: Options, log: Log) -> None:
    end = time.monotonic() + options.load_balancer_wait_seconds
    while True:
        left = [x for x in doapi.leftovers(api, name, cluster_id, kinds=("load balancer",)) if "k8s:" in x.why]
        if not left:
            return
        if time.monotonic() >= end:
            log(
                f"  load balancer {left[0].name} still exists; "
                "the cluster's destroy_all_associated_resources removes it"
            )
            return
        log(f"  waiting for DigitalOcean to delete load balancer {left[0].name}")
        time.sleep(options.poll_seconds)


def teardown(
    directory: Path,
    options: Options,
    ask: Ask = input,
    log: Log = stderr,
    terraform: TerraformFactory = project_terraform,
    api: ApiFactory = doapi.Api,
) -> list[doapi.Leftover]:
    name = instance_name(directory)
    _confirmed(name, options, ask)
    token = require_token()
    if options.delete_media and FORCE_VAR not in declared_variables(directory):
        raise OperateError(
            f"--delete-media needs a variable {FORCE_VAR} passed to spaces.force_destroy (as in examples/minimal)"
        )
    force = [f"-var={FORCE_VAR}=true"] if options.delete_media else []
    client = api(token)
    tf = terraform(directory, log)
    tf.init()
    outputs = tf.outputs()
    cluster_id = outputs.get("cluster_id")
    note = directory / KEPT_NOTE
    bucket = outputs.get("spaces_bucket_name") or (note.read_text().strip() if note.is_file() else None)
    if options.delete_media:
        log(f"the media bucket {bucket or '(none in state)'} and every file in it will be deleted")
    else:
        log(f"the media bucket {bucket or '(none in state)'} and its files are kept (--delete-media deletes them)")

    if any(a.startswith(APP_LAYER + ".") for a in tf.state_list()):
        log("== application layer (Helm releases, Secrets, Jobs; Kubernetes deletes the ingress load balancer)")
        _destroy(tf, [f"-target={APP_LAYER}", *force], "the application layer")
        wait_for_load_balancers(client, name, cluster_id, options, log)

    bucket_state = [a for a in tf.state_list() if a.startswith(BUCKET_PREFIX)]
    if bucket_state and options.delete_media:
        log(f"== media: letting the destroy delete {bucket} with its files")
        if tf.run(["apply", "-input=false", "-auto-approve", f"-target={BUCKET}", *force]).returncode != 0:
            raise OperateError(
                f"setting {FORCE_VAR} on the bucket failed (see above); re-run ./run teardown --delete-media"
            )
    elif bucket_state:
        log(f"== media: keeping {bucket} out of the destroy")
        if bucket:
            note.write_text(f"{bucket}\n")
        if tf.run(["state", "rm", *bucket_state]).returncode != 0:
            raise OperateError("could not take the bucket out of the state (see above); re-run ./run teardown")

    log("== infrastructure (cluster, databases, VPC, keys, DNS)")
    _destroy(tf, force, "the infrastructure")
    if options.delete_media:
        note.unlink(missing_ok=True)
    elif bucket:
        log(f"kept: media bucket {bucket} with its files; {delete_later(bucket)}")

    try:
        found = doapi.leftovers(client, name, cluster_id)
    except doapi.ApiError as exc:
        log(f"teardown done; could not list what is left: {exc}")
        return []
    if found:
        log(f"still visible through the DigitalOcean API ({len(found)}):")
        for item in found:
            log(f"  {item.kind} {item.name} ({item.id}): {item.why}")
    else:
        log(f"nothing named {name} or tagged for it is left in the DigitalOcean API (buckets are not listed there)")
    return found
