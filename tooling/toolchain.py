"""Make a machine ready to run the project's Terraform: a binary and the pinned providers.

With the public registry reachable nothing special happens: `terraform init` downloads providers as usual.
Without it, each pinned provider is built from its Go module into a filesystem mirror under a per-user cache
directory, and a CLI config that points at that mirror is handed to every terraform call the project makes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tooling import gobuild, pins

APP = "terraform-digitalocean-mastodon"
REGISTRY_PROBES = {
    "terraform": "https://registry.terraform.io/.well-known/terraform.json",
    "tofu": "https://registry.opentofu.org/.well-known/terraform.json",
}
PROBE_TIMEOUT_SECONDS = 3.0
MIRROR_HOSTS = ("registry.terraform.io", "registry.opentofu.org")
REGISTRY_HOSTS = {"terraform": "registry.terraform.io", "tofu": "registry.opentofu.org"}

Probe = Callable[[str], bool]
Builder = Callable[[pins.GoBuild, Path], Path]
DoubleBuilder = Callable[[pins.Double, str, Path], Path]
Log = Callable[[str], None]


class ToolchainError(RuntimeError):
    """Something the project needs cannot be had; the message is one line saying what."""


def cache_dir() -> Path:
    """Per-user cache (`TFDOM_CACHE_DIR` overrides), shared by every clone of the project."""
    override = os.environ.get("TFDOM_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP))


def platform_dir() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def probe_registry(url: str, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
    """True when the registry's service discovery document answers within `timeout`."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed https URL
            json.load(response)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def registry_mode(kind: str, probe: Probe) -> str:
    """`registry` or `mirror`; `TFDOM_PROVIDERS=registry|mirror` forces one, else the probe decides."""
    forced = os.environ.get("TFDOM_PROVIDERS", "auto")
    if forced in ("registry", "mirror"):
        return forced
    return "registry" if probe(REGISTRY_PROBES[kind]) else "mirror"


# --- the binary -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Binary:
    path: Path
    kind: str  # terraform | tofu
    version: str

    @property
    def registry_host(self) -> str:
        """The host this binary writes in lock files and provider addresses for `namespace/type` sources."""
        return REGISTRY_HOSTS[self.kind]


def _version_tuple(version: str) -> tuple[int, ...]:
    core = version.lstrip("v").split("-")[0].split("+")[0]
    return tuple(int(part) for part in core.split(".")[:3] if part.isdigit())


def inspect_binary(path: Path) -> Binary:
    proc = subprocess.run(
        [str(path), "version", "-json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"},
    )
    if proc.returncode != 0:
        raise ToolchainError(f"{path} version -json failed: {proc.stderr.strip() or proc.stdout.strip()}")
    data = json.loads(proc.stdout)
    version = data["terraform_version"]
    kind = "tofu" if "tofu" in path.name or "opentofu" in proc.stdout.lower() else "terraform"
    return Binary(path=path, kind=kind, version=version)


BINARY_KINDS = ("terraform", "tofu")


def wanted_kind() -> str | None:
    """`TFDOM_BINARY=terraform|tofu` picks the kind of binary explicitly (the test session's `--binary`)."""
    value = os.environ.get("TFDOM_BINARY", "").strip()
    if value and value not in BINARY_KINDS:
        raise ToolchainError(f"TFDOM_BINARY={value}: expected one of {', '.join(BINARY_KINDS)}")
    return value or None


def _selected(name: str, minimum: str) -> Binary:
    """The binary `TERRAFORM` names, which must exist and be recent enough."""
    found = shutil.which(name) or (name if Path(name).is_file() else None)
    if found is None:
        raise ToolchainError(f"TERRAFORM={name}: no such executable")
    binary = inspect_binary(Path(found).resolve())
    if _version_tuple(binary.version) < _version_tuple(minimum):
        raise ToolchainError(f"TERRAFORM={name} is version {binary.version}; at least {minimum} is needed")
    return binary


def _on_path(name: str, minimum: str, log: Log) -> Binary | None:
    found = shutil.which(name)
    if found is None:
        return None
    binary = inspect_binary(Path(found).resolve())
    if _version_tuple(binary.version) >= _version_tuple(minimum):
        return binary
    log(f"ignoring {found}: version {binary.version} is older than {minimum}")
    return None


def resolve_binary(minimum: str, tofu_build: pins.GoBuild, root: Path, builder: Builder, log: Log) -> Binary:
    """`TERRAFORM` if set; else the kind `TFDOM_BINARY` names (`tofu`: on PATH, else built into the cache;
    `terraform`: on PATH); else `terraform`, then `tofu` on PATH; else OpenTofu built into the cache."""
    wanted = os.environ.get("TERRAFORM")
    if wanted:
        return _selected(wanted, minimum)
    kind = wanted_kind()
    for name in [kind] if kind else list(BINARY_KINDS):
        binary = _on_path(name, minimum, log)
        if binary is not None and binary.kind == name:
            return binary
    if kind == "terraform":
        raise ToolchainError(f"TFDOM_BINARY=terraform: no terraform >= {minimum} on PATH (install it, or use tofu)")
    target = root / "bin" / f"tofu-{tofu_build.go_version}"
    if not target.is_file():
        why = "TFDOM_BINARY=tofu and no tofu on PATH" if kind else f"no terraform >= {minimum} on PATH"
        log(f"building OpenTofu {tofu_build.go_version} from its Go module ({why})")
        started = time.monotonic()
        try:
            builder(tofu_build, target)
        except gobuild.BuildError as exc:
            raise ToolchainError(f"{why} and OpenTofu cannot be built: {exc}") from exc
        log(f"  built in {time.monotonic() - started:.0f} s")
    return inspect_binary(target)


# --- providers --------------------------------------------------------------------------------------------


def provider_binary(mirror: Path, pin: pins.ProviderPin, host: str = "registry.terraform.io") -> Path:
    return (
        mirror
        / host
        / pin.namespace
        / pin.type
        / pin.version
        / platform_dir()
        / f"terraform-provider-{pin.type}_v{pin.version}"
    )


def in_mirror(mirror: Path, pin: pins.ProviderPin) -> bool:
    """True when `mirror` holds the pinned version, unpacked or packed, under either registry host."""
    for host in MIRROR_HOSTS:
        if provider_binary(mirror, pin, host).is_file():
            return True
        packed = f"terraform-provider-{pin.type}_{pin.version}_{platform_dir()}.zip"
        if (mirror / host / pin.namespace / pin.type / packed).is_file():
            return True
    return False


def _stamp(mirror: Path, pin: pins.ProviderPin) -> Path:
    # Kept outside the provider directory: terraform and tofu pick the executable there by its name prefix.
    return mirror.parent / "stamps" / f"{pin.namespace}-{pin.type}-{pin.version}.go-version"


def built_current(mirror: Path, pin: pins.ProviderPin) -> bool:
    binary = provider_binary(mirror, pin)
    stamp = _stamp(mirror, pin)
    return binary.is_file() and stamp.is_file() and stamp.read_text().strip() == pin.build.go_version


def _publish_for_opentofu(mirror: Path, pin: pins.ProviderPin) -> None:
    """OpenTofu looks for `hashicorp/x` under registry.opentofu.org and does not follow directory symlinks
    while scanning a mirror: give it real directories holding a hard link to the same binary (no extra space)."""
    source = provider_binary(mirror, pin)
    for host in MIRROR_HOSTS[1:]:
        target = provider_binary(mirror, pin, host)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.stat().st_ino == source.stat().st_ino:
            continue
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def extra_mirrors() -> list[Path]:
    """Operator-supplied filesystem mirrors (`TFDOM_PROVIDER_MIRROR`, `:`-separated), e.g. in air gaps."""
    value = os.environ.get("TFDOM_PROVIDER_MIRROR", "")
    return [Path(part).resolve() for part in value.split(os.pathsep) if part]


def cli_config_text(mirrors: list[Path], plugin_cache: Path | None, doubles: dict[str, Path] | None = None) -> str:
    """A CLI config installing from `mirrors`; `doubles` (registry address -> test mirror) come first, each
    limited to its own address, so that a double never shadows anything else."""
    lines = ["# Written by `invoke setup`; regenerated on every run.", "disable_checkpoint = true"]
    if plugin_cache is not None:
        lines.append(f"plugin_cache_dir = {json.dumps(str(plugin_cache))}")
    doubles = doubles or {}
    if mirrors or doubles:
        include = json.dumps([f"{host}/*/*" for host in MIRROR_HOSTS])
        lines.append("provider_installation {")
        for address, mirror in sorted(doubles.items()):
            only = json.dumps([f"{host}/{address.split('/', 1)[1]}" for host in MIRROR_HOSTS])
            lines += [
                "  filesystem_mirror {",
                f"    path    = {json.dumps(str(mirror))}",
                f"    include = {only}",
                "  }",
            ]
        for mirror in mirrors:
            exclude = [f"{host}/{address.split('/', 1)[1]}" for address in sorted(doubles) for host in MIRROR_HOSTS]
            lines += ["  filesystem_mirror {", f"    path    = {json.dumps(str(mirror))}", f"    include = {include}"]
            if exclude:
                lines.append(f"    exclude = {json.dumps(exclude)}")
            lines.append("  }")
        # Without mirrors the registry serves everything but the doubles.
        direct = (
            include
            if mirrors
            else json.dumps(
                [f"{host}/{address.split('/', 1)[1]}" for address in sorted(doubles) for host in MIRROR_HOSTS]
            )
        )
        lines += ["  direct {", f"    exclude = {direct}", "  }", "}"]
    return "\n".join(lines) + "\n"


@dataclass
class Toolchain:
    binary: Binary
    mode: str  # registry | mirror
    cli_config: Path
    bin_dir: Path
    mirror: Path
    built: dict[str, float] = field(default_factory=dict)  # provider -> build seconds
    missing: dict[str, str] = field(default_factory=dict)  # provider -> why the real one cannot be installed
    doubles: dict[str, Path] = field(default_factory=dict)  # provider -> its schema double (tests only)
    test_cli_config: Path | None = None  # the CLI config with the doubles; None when no double is in use

    def env(self, tests: bool = False) -> dict[str, str]:
        """Environment every terraform call of the project uses (overrides any global CLI config). Only the
        test session passes `tests=True`, and only then can a schema double stand in for a missing provider."""
        config = self.test_cli_config if tests and self.test_cli_config else self.cli_config
        return {
            "TERRAFORM": str(self.binary.path),
            "TFDOM_BINARY_KIND": self.binary.kind,
            "TF_CLI_CONFIG_FILE": str(config),
            "CHECKPOINT_DISABLE": "1",
            "PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    def mirrors(self) -> list[Path]:
        """The filesystem mirrors the real providers come from (none but the operator's in registry mode)."""
        return [self.mirror, *extra_mirrors()] if self.mode == "mirror" else extra_mirrors()

    def provider_lines(self, pinned: pins.Pins) -> list[str]:
        """One line per provider that is not installed from its real build: a double, or nothing at all."""
        lines = []
        for name, reason in self.missing.items():
            pin = pinned.providers[name]
            if name in self.doubles:
                lines.append(f"{name} {pin.version}: schema double, tests only (real provider unavailable: {reason})")
            else:
                lines.append(f"{name} {pin.version}: unavailable: {reason}")
        return lines

    def export_lines(self) -> list[str]:
        return [
            f"export TERRAFORM={shlex.quote(str(self.binary.path))}",
            f"export TF_CLI_CONFIG_FILE={shlex.quote(str(self.cli_config))}",
            "export CHECKPOINT_DISABLE=1",
            f'export PATH={shlex.quote(str(self.bin_dir))}:"$PATH"',
        ]

    def unavailable(self, providers: list[str]) -> str | None:
        """For the test session: one line naming the first of `providers` that neither its real build nor a
        schema double can stand for here, else None."""
        for name in providers:
            if name in self.missing and name not in self.doubles:
                return f"provider {name} is unavailable here: {self.missing[name]}"
        return None

    def real_provider_missing(self, providers: list[str]) -> str | None:
        """For a test whose meaning depends on a real provider's own code: why it cannot run here, else None."""
        for name in providers:
            if name in self.doubles:
                return (
                    f"needs the real {name} provider (only its schema double is available here: {self.missing[name]})"
                )
        return None


def setup(
    probe: Probe = probe_registry,
    builder: Builder = gobuild.build,
    root: Path | None = None,
    log: Log = print,
    pinned: pins.Pins | None = None,
    double_builder: DoubleBuilder = gobuild.build_double,
) -> Toolchain:
    """Idempotent: with a warm cache it only probes the registry and rewrites the CLI config."""
    pinned = pinned or pins.load()
    root = root or cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    # Parallel test workers and shells share the cache: one builds while the others wait.
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        chain = _setup_locked(probe, builder, root, log, pinned)
        _setup_doubles(chain, root, log, pinned, double_builder)
        return chain


def _setup_doubles(chain: Toolchain, root: Path, log: Log, pinned: pins.Pins, double_builder: DoubleBuilder) -> None:
    """Build a schema double for each missing provider that has one, into a mirror only the tests use."""
    for name in [n for n in chain.missing if n in pinned.doubles]:
        try:
            chain.doubles[name] = ensure_double(root, pinned, name, double_builder, log, chain.built)
        except gobuild.BuildError as exc:
            log(f"  failed: {exc}")
    if chain.doubles:
        chain.test_cli_config = chain.cli_config.with_name(chain.cli_config.name + "-tests")
        mirrors = chain.mirrors()
        chain.test_cli_config.write_text(
            cli_config_text(mirrors, plugin_cache=None, doubles=_double_mirrors(root, pinned, chain.doubles))
        )


def _double_mirrors(root: Path, pinned: pins.Pins, names: Iterable[str]) -> dict[str, Path]:
    return {pinned.providers[name].address: root / "test-mirror" for name in names}


def ensure_double(
    root: Path,
    pinned: pins.Pins,
    name: str,
    double_builder: DoubleBuilder = gobuild.build_double,
    log: Log = print,
    built: dict[str, float] | None = None,
) -> Path:
    """The schema double of provider `name` in the test mirror, built when its sources or schema changed."""
    pin, double = pinned.providers[name], pinned.doubles[name]
    test_mirror = root / "test-mirror"
    stamp = root / "stamps" / f"double-{pin.namespace}-{pin.type}-{pin.version}"
    fingerprint = gobuild.double_fingerprint(double, pin.address)
    target = provider_binary(test_mirror, pin)
    if not (target.is_file() and stamp.is_file() and stamp.read_text().strip() == fingerprint):
        log(f"building the schema double of {pin.source} {pin.version} from {double.source_dir.name} (tests only)")
        started = time.monotonic()
        double_builder(double, pin.address, target)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint + "\n")
        seconds = time.monotonic() - started
        if built is not None:
            built[f"{name} (double)"] = seconds
        log(f"  built in {seconds:.0f} s")
    _publish_for_opentofu(test_mirror, pin)
    return target


def double_only_cli_config(
    chain: Toolchain, name: str, pinned: pins.Pins | None = None, root: Path | None = None
) -> Path:
    """A CLI config that installs provider `name` from its schema double even where the real one is
    installed (the double's own tests), every other provider as `chain` does. Builds the double if needed."""
    pinned = pinned or pins.load()
    root = root or cache_dir()
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_double(root, pinned, name, log=lambda _: None)
    config = root / f"terraformrc-double-{name}"
    mirrors = chain.mirrors()
    config.write_text(cli_config_text(mirrors, plugin_cache=None, doubles=_double_mirrors(root, pinned, [name])))
    return config


def _setup_locked(probe: Probe, builder: Builder, root: Path, log: Log, pinned: pins.Pins) -> Toolchain:
    binary = resolve_binary(pinned.terraform_minimum, pinned.opentofu, root, builder, log)
    # One directory per kind: sessions on terraform and on tofu share the cache, not the `terraform` on PATH.
    bin_dir = root / "bin" / ("active" if binary.kind == "terraform" else f"active-{binary.kind}")
    bin_dir.mkdir(parents=True, exist_ok=True)
    link = bin_dir / "terraform"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(binary.path)

    mirror = root / "mirror"
    mode = registry_mode(binary.kind, probe)
    extras = extra_mirrors()
    # One config file per distinct setup, so shells with different operator mirrors do not overwrite each other.
    suffix = hashlib.sha256(os.pathsep.join(map(str, extras)).encode()).hexdigest()[:8] if extras else "default"
    config = root / f"terraformrc-{mode}-{suffix}"
    toolchain = Toolchain(binary=binary, mode=mode, cli_config=config, bin_dir=bin_dir, mirror=mirror)
    if mode == "registry":
        toolchain.cli_config.write_text(cli_config_text(extras, plugin_cache=_plugin_cache(root)))
        return toolchain

    mirror.mkdir(parents=True, exist_ok=True)
    for host in MIRROR_HOSTS[1:]:
        if (mirror / host).is_symlink():  # the layout of earlier versions of this tooling
            (mirror / host).unlink()
    (mirror / MIRROR_HOSTS[0]).mkdir(exist_ok=True)
    for name, pin in pinned.providers.items():
        if built_current(mirror, pin):
            _publish_for_opentofu(mirror, pin)
            continue
        if any(in_mirror(extra, pin) for extra in extras):
            continue
        log(f"building provider {pin.source} {pin.version} from {pin.build.module_at_version}")
        target = provider_binary(mirror, pin)
        started = time.monotonic()
        try:
            builder(pin.build, target)
        except gobuild.BuildError as exc:
            toolchain.missing[name] = f"the Go module proxy cannot provide {pin.build.module_at_version}: {exc}"
            log(f"  failed: {exc}")
            continue
        _stamp(mirror, pin).parent.mkdir(parents=True, exist_ok=True)
        _stamp(mirror, pin).write_text(pin.build.go_version + "\n")
        _publish_for_opentofu(mirror, pin)
        toolchain.built[name] = time.monotonic() - started
        log(f"  built in {toolchain.built[name]:.0f} s")
    toolchain.cli_config.write_text(cli_config_text([mirror, *extras], plugin_cache=None))
    return toolchain


def _plugin_cache(root: Path) -> Path:
    path = root / "plugin-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def mirror_size(mirror: Path) -> int:
    """Bytes the mirror takes on disk (hard links to one binary counted once)."""
    seen: dict[int, int] = {}
    for directory, _, files in os.walk(mirror):
        for name in files:
            info = (Path(directory) / name).stat()
            seen[info.st_ino] = info.st_size
    return sum(seen.values())
