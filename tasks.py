"""Operator verbs. Each task is thin: it parses arguments, calls `tooling`, and prints."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from invoke import Context, task
from invoke.exceptions import Exit

from tooling import deploy as deploying
from tooling import docs as docs_mod
from tooling import inventory as inv
from tooling import tfrun, toolchain


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


@task(help={"check": "only report READMEs whose generated tables are stale (exit 1)"})
def docs(c: Context, check: bool = False) -> None:
    """Regenerate the input/output tables of every module README from the HCL."""
    changed = docs_mod.stale(write=not check)
    for path in changed:
        print(("stale: " if check else "updated: ") + path)
    if check and changed:
        raise Exit("run `./run docs` and commit the result", code=1)


@task(help={"case": "case id (file name under tests/plan/cases without .yaml)"})
def inventory(c: Context, case: str) -> None:
    """Print a full inventory for a plan case from a fresh offline plan, to trim into the case file."""
    chain = toolchain.setup(log=_log)
    os.environ.update(chain.env())
    found = {x.id: x for x in inv.load_cases()}
    if case not in found:
        raise Exit(f"inventory: no case {case}; known: {', '.join(sorted(found))}", code=1)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = tfrun.copy_project(Path(tmp)) / found[case].dir
        tfrun.init(workdir)
        print(inv.generate(found[case], workdir))
