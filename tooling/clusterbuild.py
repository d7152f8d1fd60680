"""Build the local control plane's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)
from the Go module proxy into the shared cache, once per pinned version.

Each component lands in `<cache>/cluster/<component>-<go_version>/` only when its build finished, so a directory
that exists is complete; a second run finds it and takes no time. kwok's stage definitions (how fake nodes and
pods move through their life) come from its own Go module and are copied next to the binary.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tooling import gobuild, pins
from tooling.toolchain import cache_dir

# Enough for Deployments to become ready and Job pods to succeed, with leases as node heartbeats.
KWOK_STAGES = (
    "node/fast/node-initialize.yaml",
    "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "pod/fast/pod-ready.yaml",
    "pod/fast/pod-complete.yaml",
    "pod/fast/pod-delete.yaml",
)

Log = Callable[[str], None]
BuildMany = Callable[[pins.GoBuild, Path], dict[str, Path]]


class ClusterBuildError(RuntimeError):
    """A control-plane binary cannot be built here; the message says which and why in one line."""


@dataclass(frozen=True)
class Binaries:
    etcd: Path
    kube_apiserver: Path
    kube_controller_manager: Path
    kube_scheduler: Path
    kwok: Path
    kwok_stages: Path  # a directory of Stage YAML files
    built: dict[str, float] = field(default_factory=dict, compare=False)  # component -> cold build seconds


def component_dir(root: Path, name: str, build: pins.GoBuild) -> Path:
    return root / "cluster" / f"{name}-{build.go_version}"


def _default_build_many(target: pins.GoBuild, out_dir: Path) -> dict[str, Path]:
    return gobuild.build_many(target, out_dir)


def _kwok_stages(build: pins.GoBuild, out_dir: Path) -> None:
    """Copy the stage files out of kwok's module (the Go module cache has it after the build)."""
    proc = subprocess.run(
        ["go", "mod", "download", "-json", build.module_at_version],
        capture_output=True,
        text=True,
        check=False,
        env=gobuild.go_env(),
        cwd=tempfile.gettempdir(),
    )
    try:
        module_dir = Path(json.loads(proc.stdout)["Dir"]) / "kustomize" / "stage"
    except (ValueError, KeyError) as exc:
        raise ClusterBuildError(
            f"cannot locate {build.module_at_version} in the Go module cache: {proc.stderr.strip()}"
        ) from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    for relative in KWOK_STAGES:
        source = module_dir / relative
        if not source.is_file():
            raise ClusterBuildError(f"{build.module_at_version} has no kustomize/stage/{relative}")
        target = out_dir / source.name
        shutil.copyfile(source, target)
        target.chmod(0o644)


def _ensure(root: Path, name: str, build: pins.GoBuild, builder: BuildMany, log: Log, built: dict[str, float]) -> Path:
    final = component_dir(root, name, build)
    if final.is_dir():
        return final
    log(f"building {name} {build.go_version} from {build.module_at_version} (once; cached in {final.parent})")
    started = time.monotonic()
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        builder(build, partial / "bin")
        if name == "kwok":
            _kwok_stages(build, partial / "stages")
    except gobuild.BuildError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ClusterBuildError(f"{name} {build.go_version} cannot be built: {exc}") from exc
    partial.rename(final)
    built[name] = time.monotonic() - started
    log(f"  built {name} in {built[name]:.0f} s")
    return final


def ensure(
    root: Path | None = None,
    pinned: pins.ClusterPins | None = None,
    builder: BuildMany = _default_build_many,
    log: Log = print,
) -> Binaries:
    """The control plane's binaries, built at most once per version; concurrent callers wait for one build."""
    pinned = pinned or pins.load().cluster
    if pinned is None:
        raise ClusterBuildError(f"{pins.PINS_FILE} pins no [cluster] components")
    root = root or cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    built: dict[str, float] = {}
    with (root / ".cluster.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        etcd = _ensure(root, "etcd", pinned.etcd, builder, log, built)
        kubernetes = _ensure(root, "kubernetes", pinned.kubernetes, builder, log, built)
        kwok = _ensure(root, "kwok", pinned.kwok, builder, log, built)
    return Binaries(
        etcd=etcd / "bin" / gobuild.executable_name(pinned.etcd.package),
        kube_apiserver=kubernetes / "bin" / "kube-apiserver",
        kube_controller_manager=kubernetes / "bin" / "kube-controller-manager",
        kube_scheduler=kubernetes / "bin" / "kube-scheduler",
        kwok=kwok / "bin" / "kwok",
        kwok_stages=kwok / "stages",
        built=built,
    )
