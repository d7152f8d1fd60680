"""Read `toolchain.toml`, the one file that pins the exact tool and provider versions."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS_FILE = ROOT / "toolchain.toml"


@dataclass(frozen=True)
class GoBuild:
    """A Go main package (or several, from one module) to build from the Go module proxy.

    `staging_version`: modules the target's go.mod replaces by a local path (Kubernetes' staging tree) are
    taken at this published version instead. `ldflags`: extra linker flags (version stamps).
    """

    go_module: str
    go_version: str
    package: str
    extra_packages: tuple[str, ...] = ()
    staging_version: str | None = None
    ldflags: tuple[str, ...] = ()

    @property
    def packages(self) -> tuple[str, ...]:
        return (self.package, *self.extra_packages)

    @property
    def module_at_version(self) -> str:
        return f"{self.go_module}@{self.go_version}"


@dataclass(frozen=True)
class ProviderPin:
    """One Terraform provider: its registry address, the exact version, and how to build it."""

    name: str
    source: str
    version: str
    build: GoBuild

    @property
    def namespace(self) -> str:
        return self.source.split("/")[0]

    @property
    def type(self) -> str:
        return self.source.split("/")[1]

    @property
    def address(self) -> str:
        return f"registry.terraform.io/{self.source}"


@dataclass(frozen=True)
class Double:
    """A test-only stand-in for a provider: Go source in the project serving the real provider's schema."""

    name: str
    source_dir: Path
    schema: Path


@dataclass(frozen=True)
class ClusterPins:
    """The local Kubernetes control plane the apply tier runs against (built like the providers)."""

    etcd: GoBuild
    kubernetes: GoBuild  # kube-apiserver, kube-controller-manager, kube-scheduler in one build
    kwok: GoBuild


@dataclass(frozen=True)
class Pins:
    terraform_minimum: str
    opentofu: GoBuild
    providers: dict[str, ProviderPin]
    tools: dict[str, GoBuild] = field(default_factory=dict)  # developer tools built from the Go module proxy
    doubles: dict[str, Double] = field(default_factory=dict)  # test-only stand-ins for providers
    cluster: ClusterPins | None = None  # the apply tier's local control plane


def load(path: Path = PINS_FILE) -> Pins:
    data = tomllib.loads(path.read_text())
    providers = {
        name: ProviderPin(
            name=name,
            source=entry["source"],
            version=entry["version"],
            build=GoBuild(entry["go_module"], entry["go_version"], entry.get("package", entry["go_module"])),
        )
        for name, entry in data["providers"].items()
    }
    doubles = {
        name: Double(name=name, source_dir=path.parent / entry["source_dir"], schema=path.parent / entry["schema"])
        for name, entry in data.get("doubles", {}).items()
    }
    unknown = sorted(set(doubles) - set(providers))
    if unknown:
        raise ValueError(f"{path}: doubles for providers that are not pinned: {', '.join(unknown)}")
    tofu = data["opentofu"]
    tools = {
        name: GoBuild(entry["go_module"], entry["go_version"], entry.get("package", entry["go_module"]))
        for name, entry in data.get("tools", {}).items()
    }
    return Pins(
        terraform_minimum=data["terraform"]["minimum"],
        opentofu=GoBuild(tofu["go_module"], tofu["go_version"], tofu["package"]),
        providers=providers,
        tools=tools,
        doubles=doubles,
        cluster=_cluster(data["cluster"]) if "cluster" in data else None,
    )


def _go_build(entry: dict[str, object], ldflags: tuple[str, ...] = ()) -> GoBuild:
    packages = [str(p) for p in entry.get("packages", [entry.get("package", entry["go_module"])])]  # type: ignore[attr-defined]
    staging = entry.get("staging_version")
    return GoBuild(
        go_module=str(entry["go_module"]),
        go_version=str(entry["go_version"]),
        package=packages[0],
        extra_packages=tuple(packages[1:]),
        staging_version=None if staging is None else str(staging),
        ldflags=ldflags,
    )


def kubernetes_version_ldflags(version: str) -> tuple[str, ...]:
    """Without these stamps the binaries report v0.0.0-master, and charts' `kubeVersion` constraints fail."""
    major, minor = version.lstrip("v").split(".")[:2]
    base = "k8s.io/component-base/version"
    return (f"-X {base}.gitVersion={version}", f"-X {base}.gitMajor={major}", f"-X {base}.gitMinor={minor}")


def _cluster(data: dict[str, dict[str, object]]) -> ClusterPins:
    kubernetes = data["kubernetes"]
    return ClusterPins(
        etcd=_go_build(data["etcd"]),
        kubernetes=_go_build(kubernetes, kubernetes_version_ldflags(str(kubernetes["go_version"]))),
        kwok=_go_build(data["kwok"]),
    )
