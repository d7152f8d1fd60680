"""Operator verbs. Each task is thin: it parses arguments, calls `tooling`, and prints."""

from __future__ import annotations

import sys

from invoke import Context, task
from invoke.exceptions import Exit

from tooling import deploy as deploying
from tooling import toolchain


def _log(message: str) -> None:
    print(message, file=sys.stderr)


@task
def setup(c: Context) -> None:
    """Make this machine ready: a terraform binary >= the pinned minimum and the pinned providers."""
    try:
        chain = toolchain.setup(log=_log)
    except toolchain.ToolchainError as exc:
        raise Exit(f"setup: {exc}", code=1) from exc
    _log(f"binary: {chain.binary.path} ({chain.binary.kind} {chain.binary.version}); providers: {chain.mode}")
    for name, reason in chain.missing.items():
        _log(f"unavailable: {name}: {reason}")
    _log("# to run terraform by hand with the same binary and providers:")
    print("\n".join(chain.export_lines()))


@task
def env(c: Context) -> None:
    """Print only the export lines, for `eval "$(invoke env)"`."""
    chain = toolchain.setup(log=_log)
    print("\n".join(chain.export_lines()))


@task(help={"example": "directory under examples/ (default: minimal)", "yes": "apply without asking"})
def deploy(c: Context, example: str = "minimal", yes: bool = False) -> None:
    """Create or update the Mastodon instance of examples/<example> (reads its terraform.tfvars)."""
    try:
        deploying.deploy(example, auto_approve=yes, log=_log)
    except deploying.DeployError as exc:
        raise Exit(f"deploy: {exc}", code=1) from exc


@task(help={"example": "directory under examples/ (default: minimal)", "yes": "destroy without asking"})
def teardown(c: Context, example: str = "minimal", yes: bool = False) -> None:
    """Destroy everything examples/<example> created."""
    try:
        deploying.teardown(example, auto_approve=yes, log=_log)
    except deploying.DeployError as exc:
        raise Exit(f"teardown: {exc}", code=1) from exc
