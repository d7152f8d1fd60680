"""Operator verbs. Each task is thin: it parses arguments, calls `tooling`, and prints."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from tooling import appcase, clusterbuild, day2, instance, pins, statebackend, tfrun, toolchain
from tooling import deploy as deploying
from tooling import docs as docs_mod
from tooling import inventory as inv
from tooling import lint as linting
from tooling import loadtest as load
from tooling import localcluster as kube
from tooling import schemas as schema_fixtures
from tooling import teardown as tearing
from tooling import upgrade as upgrading


def _log(message: str) -> None:
    print(message, file=sys.stderr)


# What the project's tooling raises when a task cannot go on; anything else is a bug and keeps its traceback.
_FAILURES = (toolchain.ToolchainError, instance.OperateError, subprocess.CalledProcessError, RuntimeError)


def _first_line(exc: BaseException) -> str:
    """The error as one line: its first line, plus the first `Error:` line of any tool output it carries."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    detail = next((line for line in lines[1:] if line.startswith("Error")), "")
    return f"{lines[0]} {detail}".strip()


@contextmanager
def _fails_as(verb: str) -> Iterator[None]:
    """Turn the tooling's errors into one line `<verb>: <why>` and exit status 1."""
    try:
        yield
    except _FAILURES as exc:
        raise Exit(f"{verb}: {_first_line(exc)}", code=1) from exc


@task(help={"cluster": "also build the apply tier's local control plane (otherwise built on first use)"})
def setup(c: Context, cluster: bool = False) -> None:
    """Make this machine ready: a terraform binary >= the pinned minimum and the pinned providers."""
    with _fails_as("setup"):
        chain = toolchain.setup(log=_log)
        if cluster:
            clusterbuild.ensure(log=_log)
    _log(f"binary: {chain.binary.path} ({chain.binary.kind} {chain.binary.version}); providers: {chain.mode}")
    for line in chain.provider_lines(pins.load()):
        _log(line)
    _log("# to run terraform by hand with the same binary and providers:")
    print("\n".join(chain.export_lines()))


@task
def env(c: Context) -> None:
    """Print only the export lines, for `eval "$(invoke env)"`."""
    with _fails_as("env"):
        chain = toolchain.setup(log=_log)
    print("\n".join(chain.export_lines()))


EXAMPLE_HELP = "directory under examples/ (default: minimal), or a path to your root configuration"


@task(
    help={
        "example": EXAMPLE_HELP,
        "yes": "apply the plan without asking",
        "health_wait": "seconds to wait for the instance to answer with a valid certificate (default 900)",
    },
    auto_shortflags=False,
)
def deploy(c: Context, example: str = "minimal", yes: bool = False, health_wait: int = 900) -> None:
    """Create or update the instance: asks for missing settings, plans, applies with progress, checks health."""
    with _fails_as("deploy"):
        options = deploying.Options(
            auto_approve=yes, interactive=instance.is_interactive(), health_wait_seconds=health_wait
        )
        deploying.deploy(instance.resolve_dir(example), options, log=_log)


@task(
    help={
        "example": EXAMPLE_HELP,
        "yes": "required: confirms the destroy",
        "confirm": "the instance name typed back (asked on a terminal when not given)",
        "delete_media": "also delete the media bucket and every file in it (kept by default)",
    },
    auto_shortflags=False,
)
def teardown(
    c: Context, example: str = "minimal", yes: bool = False, confirm: str | None = None, delete_media: bool = False
) -> None:
    """Destroy the instance: application layer first, then infrastructure; keeps the media bucket unless asked."""
    with _fails_as("teardown"):
        options = tearing.Options(
            yes=yes, confirm_name=confirm, delete_media=delete_media, interactive=instance.is_interactive()
        )
        tearing.teardown(instance.resolve_dir(example), options, log=_log)


@task(help={"example": EXAMPLE_HELP, "no_queues": "skip the Sidekiq queue count (it boots Rails in a pod, ~20 s)"})
def status(c: Context, example: str = "minimal", no_queues: bool = False) -> None:
    """One screen: URL and health, certificate expiry, pods and restarts, Sidekiq queues, hosts, monthly cost."""
    with _fails_as("status"):
        print("\n".join(day2.status(instance.resolve_dir(example), queues=not no_queues, log=_log)))


@task(help={"example": EXAMPLE_HELP, "reset": "new password through tootctl, printed once and stored in the Secret"})
def admin(c: Context, example: str = "minimal", reset: bool = False) -> None:
    """Print the first admin's username, e-mail and password (from its Kubernetes Secret), or --reset it."""
    with _fails_as("admin"):
        found = day2.admin(instance.resolve_dir(example), reset=reset, log=_log)
    print(f"username: {found.username}\nemail:    {found.email}\npassword: {found.password}")
    if reset:
        _log("the new password is shown only now; the Secret holds it for ./run admin")


@task(
    help={
        "example": EXAMPLE_HELP,
        "path": "where to write the kubeconfig (outside the repository), e.g. ~/.kube/mastodon",
        "expiry_hours": "lifetime of the credentials in hours, 1-168 (default 24)",
    },
    auto_shortflags=False,
)
def kubeconfig(c: Context, example: str = "minimal", path: str = "", expiry_hours: int = 24) -> None:
    """Write a kubeconfig with fresh cluster credentials to --path and say when they expire."""
    with _fails_as("kubeconfig"):
        written, expires = day2.kubeconfig(instance.resolve_dir(example), path or None, expiry_hours, log=_log)
    when = f"{expires:%Y-%m-%d %H:%M} UTC" if expires else "when DigitalOcean revokes them"
    print(f"wrote {written}; its credentials expire {when}. Use: KUBECONFIG={written} kubectl get pods -A")


@task(
    help={
        "example": EXAMPLE_HELP,
        "version": "Mastodon image tag to move to, e.g. v4.6.3 (default: the pinned or configured one)",
        "yes": "apply without asking",
        "health_wait": "seconds to wait for the instance to answer afterwards (default 900)",
    },
    auto_shortflags=False,
)
def upgrade(c: Context, example: str = "minimal", version: str = "", yes: bool = False, health_wait: int = 900) -> None:
    """Show running vs planned Mastodon, chart and Kubernetes versions; refuse downgrades; plan and apply."""
    with _fails_as("upgrade"):
        interactive = instance.is_interactive()
        options = deploying.Options(auto_approve=yes, interactive=interactive, health_wait_seconds=health_wait)
        upgrading.upgrade(instance.resolve_dir(example), version or None, options, log=_log)


@task(
    help={
        "example": EXAMPLE_HELP,
        "bucket": "state bucket name, globally unique (default: <name>-tfstate)",
        "region": "Spaces region of the bucket (default: the instance's region or fra1)",
    },
    auto_shortflags=False,
)
def backend(c: Context, example: str = "minimal", bucket: str = "", region: str = "") -> None:
    """Keep the Terraform state in a Spaces bucket: create it once (versioned) and write the backend files."""
    with _fails_as("backend"):
        directory = instance.resolve_dir(example)
        name = instance.instance_name(directory)
        where = region or str(instance.read_settings(directory).get("region") or "fra1")
        found, created = statebackend.setup(directory, bucket or f"{name}-tfstate", where, f"{name}/terraform.tfstate")
    _log(f"{'created' if created else 'reusing'} bucket {found.bucket} ({found.endpoint}, versioned)")
    _log(f"wrote {directory / statebackend.BACKEND_FILE} and {directory / instance.BACKEND_CONFIG}")
    _log("next: ./run deploy (its init copies any local state into the bucket, then moves the local file aside)")


@task(help={"check": "only report READMEs whose generated tables are stale (exit 1)"})
def docs(c: Context, check: bool = False) -> None:
    """Regenerate the input/output tables of every module README from the HCL."""
    changed = docs_mod.stale(write=not check)
    for path in changed:
        print(("stale: " if check else "updated: ") + path)
    if check and changed:
        raise Exit("run `./run docs` and commit the result", code=1)


@task(help={"only": f"comma-separated subset of: {', '.join(linting.TOOLS)} (default: all)"})
def lint(c: Context, only: str = "") -> None:
    """Run every linter: terraform fmt and validate, tflint, checkov, ruff, mypy, shellcheck; one line per tool."""
    names = [name.strip() for name in only.split(",") if name.strip()] or list(linting.TOOLS)
    try:
        outcomes = linting.run(names, log=_log)
    except ValueError as exc:
        raise Exit(f"lint: {exc}", code=1) from exc
    for outcome in outcomes:
        for finding in outcome.findings:
            print(f"  {outcome.tool}: {finding}")
    for outcome in outcomes:
        print(outcome.line())
    failed = [outcome.tool for outcome in outcomes if not outcome.ok]
    if failed:
        raise Exit(f"lint: {len(failed)} of {len(outcomes)} failed: {', '.join(failed)}", code=1)


@task(name="fmt")
def fmt(c: Context) -> None:
    """Fix what can be fixed mechanically: `terraform fmt -recursive` and ruff's safe fixes."""
    outcomes = linting.fix(log=_log)
    for outcome in outcomes:
        print(outcome.line())
    failed = [outcome.tool for outcome in outcomes if not outcome.ok]
    if failed:
        raise Exit(f"fmt: left to fix by hand: {', '.join(failed)}", code=1)


@task(help={"case": "case id (file name under tests/plan/cases without .yaml)"})
def inventory(c: Context, case: str) -> None:
    """Print a full inventory for a plan case from a fresh offline plan, to trim into the case file."""
    found = {x.id: x for x in inv.load_cases()}
    if case not in found:
        raise Exit(f"inventory: no case {case}; known: {', '.join(sorted(found))}", code=1)
    with _fails_as("inventory"), tempfile.TemporaryDirectory() as tmp:
        chain = toolchain.setup(log=_log)
        # Test data: planned with the providers the plan tests use (a schema double where the real one is missing).
        overrides = pins.ROOT / "tests" / "data" / "provider-double-overrides.json"
        terraform = tfrun.Runner.of(
            chain, tests=True, TFDOM_DOUBLE_OVERRIDES=os.environ.get("TFDOM_DOUBLE_OVERRIDES", str(overrides))
        )
        workdir = tfrun.Workdirs(terraform, Path(tmp)).get(found[case].dir)
        print(inv.generate(found[case], workdir, terraform))


@task(
    help={
        "url": "base URL of the running instance, e.g. https://social.example.com (required; no default host)",
        "users": "concurrent users at the end of the ramp (default 5)",
        "duration": "seconds the run lasts, ramp included (default 60)",
        "ramp": "seconds to reach all users (default 10)",
        "streaming_share": "share of users holding streaming connections (default 0.2)",
        "think_time": "mean seconds a visitor waits between requests (default 2)",
        "stream_seconds": "seconds a listener holds each stream (default 10)",
        "account": "an existing local account for lookup and WebFinger (default owner)",
        "tag": "hashtag of the tag timeline (default mastodon)",
        "domain": "LOCAL_DOMAIN for WebFinger when it differs from the URL's host",
        "access_token": "user token for the public stream (Mastodon >= 4.2 requires one; else MASTODON_ACCESS_TOKEN; "
        "without one, listeners ask /api/v1/streaming/health)",
        "max_p95_ms": "latency target: p95 over the whole run in ms (default 1000)",
        "max_error_rate": "error target: failed share of requests (default 0.01 = 1%)",
        "output": "directory for the CSV files and chart (default loadtest-results/<UTC time>)",
    }
)
def loadtest(
    c: Context,
    url: str = "",
    users: int = 5,
    duration: int = 60,
    ramp: int = 10,
    streaming_share: float = 0.2,
    think_time: float = 2.0,
    stream_seconds: float = 10.0,
    account: str = "owner",
    tag: str = "mastodon",
    domain: str = "",
    access_token: str = "",
    max_p95_ms: float = 1000.0,
    max_error_rate: float = 0.01,
    output: str = "",
) -> None:
    """Drive a running instance with Locust: per-endpoint rps, p50/p95/p99 and errors, a CSV, a chart, a verdict."""
    if not url:
        raise Exit("loadtest: --url is required (the instance to load, e.g. https://social.example.com)", code=1)
    options = load.Options(
        url=url,
        users=users,
        duration_seconds=duration,
        ramp_seconds=ramp,
        streaming_share=streaming_share,
        think_seconds=think_time,
        stream_seconds=stream_seconds,
        account=account,
        tag=tag,
        domain=domain or None,
        access_token=access_token or os.environ.get("MASTODON_ACCESS_TOKEN") or None,
        max_p95_ms=max_p95_ms,
        max_error_rate=max_error_rate,
        output_dir=Path(output) if output else None,
    )
    with _fails_as("loadtest"):
        result = load.run(options, log=_log)
    print(load.report_table(result.endpoints, result.total))
    print(f"saved: {result.summary_csv}, {result.chart_png} (Locust's own CSVs beside them)")
    print(result.verdict.line)
    if not result.verdict.passed:
        raise Exit(code=1)


@task
def schemas(c: Context) -> None:
    """Regenerate the schema fixtures of the test-only provider doubles from the real providers installed here."""
    with _fails_as("schemas"):
        chain = toolchain.setup(log=_log)
        for path in schema_fixtures.regenerate(chain):
            print(f"updated: {path.relative_to(pins.ROOT)}")


@task(help={"example": "register fake nodes for the node pools of examples/<example> (default: production)"})
def cluster(c: Context, example: str = "production") -> None:
    """Start the apply tier's local control plane, print its kubeconfig path, and stop it on Ctrl-C."""
    with _fails_as("cluster"):
        try:
            nodes = appcase.from_example(example, "social").nodes
        except (ValueError, OSError) as exc:
            raise Exit(f"cluster: examples/{example}: {exc}", code=1) from exc
        binaries = clusterbuild.ensure(log=_log)
        try:
            with kube.start(binaries, log=_log) as running:
                running.add_nodes(nodes)
                print(running.kubeconfig, flush=True)
                _log(f"export KUBECONFIG={running.kubeconfig}  # {len(nodes)} fake nodes; Ctrl-C stops the cluster")
                kube.serve_forever()
        except KeyboardInterrupt:
            _log("cluster stopped")
