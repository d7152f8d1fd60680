"""One instance: its root configuration directory, its settings, and the terraform runs made in it.

Every run is made with umask 077 and the local state files are set to 0600 afterwards: the state holds every
generated password (database users, Valkey, Spaces keys, Mastodon's secrets) in plain text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling import hcl, toolchain
from tooling.pins import ROOT

Log = Callable[[str], None]
DEFAULT_NAME = "mastodon"
TFVARS = "terraform.tfvars"
PLAN_FILE = "tfplan"
BACKEND_CONFIG = "spaces.s3.tfbackend"
MIGRATED_STATE = "terraform.tfstate.migrated"
# Files holding state or a saved plan (which carries the same secrets).
PRIVATE_FILES = (
    "terraform.tfstate",
    "terraform.tfstate.backup",
    MIGRATED_STATE,
    PLAN_FILE,
    ".terraform/terraform.tfstate",
)
APP_LAYER = "module.mastodon.module.mastodon"
BUCKET_PREFIX = "module.mastodon.module.spaces.digitalocean_spaces_bucket"


class OperateError(RuntimeError):
    """An operator verb cannot go on; the message is one line that says what to do."""


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def resolve_dir(example: str) -> Path:
    """`minimal` means examples/minimal; anything with a slash is a path to a root configuration."""
    is_path = "/" in example or example.startswith(".")
    path = Path(example).expanduser() if is_path else ROOT / "examples" / example
    if not (path / "main.tf").is_file():
        known = ", ".join(sorted(p.parent.name for p in (ROOT / "examples").glob("*/main.tf")))
        shown = path if is_path else f"examples/{example}"
        raise OperateError(
            f"{shown} does not exist or has no main.tf; choose one of: {known}, or give a path to a root configuration"
        )
    return path.resolve()


def read_settings(directory: Path) -> dict[str, Any]:
    """The values of terraform.tfvars (HCL), with HCL null as None; {} when there is none."""
    path = directory / TFVARS
    if not path.is_file():
        return {}
    return {k: _nulls(v) for k, v in hcl.load_file(path).items() if not k.startswith("__")}


def _nulls(value: Any) -> Any:
    if value == "null":
        return None
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return value


def declared_variables(directory: Path) -> dict[str, dict[str, Any]]:
    return hcl.load_module(directory).variables


def instance_name(directory: Path) -> str:
    settings = read_settings(directory)
    default = declared_variables(directory).get("name", {}).get("default", DEFAULT_NAME)
    return str(settings.get("name") or default)


def protect_state(directory: Path) -> list[Path]:
    """chmod 0600 every local file holding state or a saved plan; returns those changed."""
    changed = []
    for name in PRIVATE_FILES:
        path = directory / name
        if path.is_file() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
            changed.append(path)
    for path in directory.glob("terraform.tfstate.*.backup"):
        path.chmod(0o600)
    return changed


@dataclass
class Terraform:
    """Terraform in one directory, with the project's binary and CLI config."""

    binary: str
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    log: Log = stderr
    last_returncode: int = 0  # of the last `stream`

    def _env(self) -> dict[str, str]:
        return {**os.environ, **self.env, "TF_IN_AUTOMATION": "1"}

    def run(self, args: list[str], capture: bool = False) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.binary, *args],
                cwd=self.cwd,
                env=self._env(),
                text=True,
                capture_output=capture,
                check=False,
                umask=0o077,
            )
        finally:
            protect_state(self.cwd)

    def stream(self, args: list[str]) -> Iterator[str]:
        """Yield stdout lines as terraform prints them; `last_returncode` holds the exit code afterwards."""
        proc = subprocess.Popen(
            [self.binary, *args], cwd=self.cwd, env=self._env(), text=True, stdout=subprocess.PIPE, umask=0o077
        )
        if proc.stdout is None:  # cannot happen with stdout=PIPE; tells the type checker so
            raise RuntimeError("terraform's output pipe is missing")
        try:
            yield from proc.stdout
        finally:
            self.last_returncode = proc.wait()
            protect_state(self.cwd)

    def init(self) -> None:
        args = ["init", "-input=false"]
        local_state = self.cwd / "terraform.tfstate"
        migrate = (self.cwd / BACKEND_CONFIG).is_file() and local_state.is_file()
        if (self.cwd / BACKEND_CONFIG).is_file():
            args.append(f"-backend-config={BACKEND_CONFIG}")
        if migrate:
            # A local state from before ./run backend: copied into the bucket once, then moved aside so a later
            # init can never copy a stale local state over the remote one.
            self.log(f"copying the local state into the backend of {BACKEND_CONFIG}")
            args += ["-migrate-state", "-force-copy"]
        if self.run(args).returncode != 0:
            raise OperateError(f"terraform init failed in {self.cwd} (see above); fix that and re-run")
        if migrate:
            local_state.rename(self.cwd / MIGRATED_STATE)
            self.log(f"local state moved to {MIGRATED_STATE} (0600); delete it once the remote state is confirmed")

    def outputs(self) -> dict[str, Any]:
        """Root outputs as {name: value}; {} when there is no state yet."""
        result = self.run(["output", "-json"], capture=True)
        if result.returncode != 0 or not result.stdout.strip():
            return {}
        return {name: out.get("value") for name, out in json.loads(result.stdout).items()}

    def state_list(self) -> list[str]:
        result = self.run(["state", "list"], capture=True)
        if result.returncode != 0:
            return []
        return [line.strip() for line in result.stdout.splitlines() if line.strip()]


TerraformFactory = Callable[[Path, Log], Terraform]


def project_terraform(directory: Path, log: Log = stderr) -> Terraform:
    """Terraform with the project's toolchain (built or found by `./run setup`)."""
    try:
        chain = toolchain.setup(log=log)
    except toolchain.ToolchainError as exc:
        raise OperateError(f"setup: {exc}") from exc
    if chain.missing:
        raise OperateError("; ".join(f"provider {name} unavailable: {why}" for name, why in chain.missing.items()))
    return Terraform(binary=str(chain.binary.path), cwd=directory, env=chain.env(), log=log)


def require_token() -> str:
    token = os.environ.get("DIGITALOCEAN_TOKEN", "")
    if not token:
        raise OperateError(
            "DIGITALOCEAN_TOKEN is not set: create a read/write API token (cloud.digitalocean.com/account/api) "
            "and `export DIGITALOCEAN_TOKEN=...` (it is never written to disk)"
        )
    return token


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
