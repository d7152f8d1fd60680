"""`invoke deploy` / `invoke teardown`: init and apply (or destroy) one example with the project's toolchain."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

from tooling import toolchain
from tooling.pins import ROOT


class DeployError(RuntimeError):
    """A precondition for deploying is not met; the message says what to do."""


def _example_dir(example: str) -> os.PathLike[str]:
    path = ROOT / "examples" / example
    if not (path / "main.tf").is_file():
        known = sorted(p.name for p in (ROOT / "examples").glob("*/main.tf") for p in [p.parent])
        raise DeployError(f"examples/{example} does not exist; choose one of: {', '.join(known) or 'none yet'}")
    if not (path / "terraform.tfvars").is_file():
        raise DeployError(
            f"examples/{example}/terraform.tfvars is missing: copy terraform.tfvars.example there and set your domain"
        )
    return path


def run_terraform(example: str, verb: str, auto_approve: bool, log: Callable[[str], None]) -> None:
    if not os.environ.get("DIGITALOCEAN_TOKEN"):
        raise DeployError("DIGITALOCEAN_TOKEN is not set: create a read/write API token and export it")
    path = _example_dir(example)
    chain = toolchain.setup(log=log)
    if chain.missing:
        raise DeployError("; ".join(f"{name}: {reason}" for name, reason in chain.missing.items()))
    env = {**os.environ, **chain.env()}
    binary = str(chain.binary.path)
    subprocess.run([binary, "init", "-input=false"], cwd=path, env=env, check=True)
    args = [binary, verb, "-input=false"] + (["-auto-approve"] if auto_approve else [])
    subprocess.run(args, cwd=path, env=env, check=True)


def deploy(example: str, auto_approve: bool = False, log: Callable[[str], None] = print) -> None:
    run_terraform(example, "apply", auto_approve, log)


def teardown(example: str, auto_approve: bool = False, log: Callable[[str], None] = print) -> None:
    run_terraform(example, "destroy", auto_approve, log)
