"""`./run deploy`: settings, preconditions, a checked plan, the apply with its phases, and a health check.

Safe to re-run after an interruption: each run plans afresh from the state terraform saved so far (a stale saved
plan is removed first) and applies only what is still missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling import configure, health, progress
from tooling.instance import (
    PLAN_FILE,
    Log,
    OperateError,
    Terraform,
    TerraformFactory,
    declared_variables,
    project_terraform,
    require_token,
    stderr,
)

DEFAULT_HEALTH_WAIT_SECONDS = 900.0  # Let's Encrypt and DNS propagation take minutes on a first install


@dataclass(frozen=True)
class Options:
    auto_approve: bool = False
    interactive: bool = False
    health_wait_seconds: float = DEFAULT_HEALTH_WAIT_SECONDS
    health_interval_seconds: float = 15.0
    extra_vars: tuple[str, ...] = ()  # -var arguments (upgrade passes the requested version)


def preflight(directory: Path, options: Options, ask: configure.Ask, log: Log) -> dict[str, Any]:
    """Everything checked before terraform runs: token, settings (asked for if none), secrets in the environment."""
    require_token()
    settings = configure.ensure_tfvars(directory, options.interactive, ask, log)
    missing = [name for name in configure.missing_secrets(("TF_VAR_smtp_password",)) if _declares(directory, name)]
    if missing:
        raise OperateError(
            f"{', '.join(missing)} is not set: export it ({configure.SECRET_ENV[missing[0]]}); "
            "it is never written to disk"
        )
    return settings


def _declares(directory: Path, env_name: str) -> bool:
    return env_name.removeprefix("TF_VAR_") in declared_variables(directory)


def plan(tf: Terraform, extra_vars: tuple[str, ...] = ()) -> None:
    """Plan into the saved plan file; a failure here is a configuration problem, before anything changes."""
    (tf.cwd / PLAN_FILE).unlink(missing_ok=True)
    result = tf.run(["plan", "-input=false", f"-out={PLAN_FILE}", *extra_vars])
    if result.returncode != 0:
        raise OperateError(
            "the plan failed (see above): nothing was changed; fix terraform.tfvars or the cause shown and re-run"
        )


def confirm(options: Options, ask: configure.Ask, question: str) -> None:
    if options.auto_approve:
        return
    if not options.interactive:
        raise OperateError("no terminal to confirm on: re-run with --yes to apply the plan above")
    if ask(f"{question} [y/N]: ").strip().lower() not in ("y", "yes"):
        raise OperateError("not applied (answer y to apply); nothing was changed")


def apply(tf: Terraform, log: Log, clock: Callable[[], float] | None = None) -> progress.Progress:
    """Apply the saved plan, printing phases and waits; raises with the phase it stopped in."""
    watcher = progress.Progress(log=log) if clock is None else progress.Progress(log=log, clock=clock)
    for line in tf.stream(["apply", "-input=false", "-json", PLAN_FILE]):
        watcher.feed(line)
    (tf.cwd / PLAN_FILE).unlink(missing_ok=True)
    if tf.last_returncode != 0:
        first = watcher.errors[0] if watcher.errors else "see the messages above"
        raise OperateError(
            f"apply stopped during {watcher.phase or 'the start'} after {watcher.elapsed()}: {first}; "
            "fix the cause and re-run ./run deploy (it continues from what exists)"
        )
    return watcher


def final_report(outputs: dict[str, Any], settings: dict[str, Any], options: Options, log: Log) -> health.Report:
    url = str(outputs.get("mastodon_url") or f"https://{settings.get('domain')}")
    domain = str(outputs.get("domain") or settings.get("domain"))
    admin = outputs.get("mastodon_admin_username", settings.get("admin_username", "owner"))
    log(f"== {progress.CERTIFICATE}: checking {url} (up to {int(options.health_wait_seconds)} s)")
    report = health.wait_healthy(
        url, domain, admin, options.health_wait_seconds, options.health_interval_seconds, log=log
    )
    for line in report.lines():
        log(line)
    if not report.ok:
        parts = ", ".join(c.name for c in report.failed())
        raise OperateError(f"deployed, but {url} is not healthy ({parts}); see `look closer` above, then ./run status")
    log(f"Mastodon {report.version} answers at {url}")
    if admin:
        log(f"admin account: @{admin}@{domain}; its password: ./run admin")
    log("next: ./run status (one-screen overview), ./run kubeconfig --path ~/.kube/mastodon (cluster access)")
    return report


def deploy(
    directory: Path,
    options: Options,
    ask: configure.Ask = input,
    log: Log = stderr,
    terraform: TerraformFactory = project_terraform,
) -> health.Report:
    settings = preflight(directory, options, ask, log)
    tf = terraform(directory, log)
    tf.init()
    plan(tf, options.extra_vars)
    confirm(options, ask, "Apply this plan?")
    watcher = apply(tf, log)
    log(f"applied in {watcher.elapsed()} ({' -> '.join(watcher.phases_seen) or 'no changes'})")
    return final_report(tf.outputs(), settings, options, log)
