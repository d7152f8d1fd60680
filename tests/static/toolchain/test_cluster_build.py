"""The control plane's pins, wrapper-module builds and cache, with the Go builder faked; the example mirroring."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import appcase, clusterbuild, gobuild, pins

K8S_GO_MOD = """module k8s.io/kubernetes

require k8s.io/api v0.0.0

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
\tgithub.com/a/b => github.com/c/d v1.2.3
)
"""


def test_local_path_replaces_are_the_staging_modules() -> None:
    assert gobuild.local_replaces(K8S_GO_MOD) == ["k8s.io/api", "k8s.io/client-go"]
    assert gobuild.versioned_replaces(K8S_GO_MOD) == [("github.com/a/b", "github.com/c/d@v1.2.3")]


@pytest.mark.parametrize(
    ("package", "name"),
    [
        ("go.etcd.io/etcd/server/v3", "server"),
        ("k8s.io/kubernetes/cmd/kube-apiserver", "kube-apiserver"),
        ("helm.sh/helm/v3/cmd/helm", "helm"),
        ("github.com/hashicorp/terraform-provider-tls", "terraform-provider-tls"),
    ],
)
def test_executable_names_follow_go_build(package: str, name: str) -> None:
    assert gobuild.executable_name(package) == name


def test_cluster_pins_stamp_the_kubernetes_version_and_share_one_build() -> None:
    cluster = pins.load().cluster
    assert cluster is not None
    k8s = cluster.kubernetes
    assert k8s.go_version.startswith("v1.35.")
    assert k8s.staging_version == "v0." + k8s.go_version.removeprefix("v1.")
    assert f"-X k8s.io/component-base/version.gitVersion={k8s.go_version}" in k8s.ldflags
    assert "-X k8s.io/component-base/version.gitMinor=35" in k8s.ldflags
    assert {p.rsplit("/", 1)[-1] for p in k8s.packages} == {
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
    }
    # Kubernetes 1.35 needs etcd >= 3.5.11 (3.6 is what it documents).
    assert cluster.etcd.go_version.startswith("v3.6.")
    assert cluster.kwok.package == "sigs.k8s.io/kwok/cmd/kwok"


class FakeBuilder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, target: pins.GoBuild, out_dir: Path) -> dict[str, Path]:
        self.calls.append(target.go_module)
        out_dir.mkdir(parents=True)
        built = {}
        for package in target.packages:
            path = out_dir / gobuild.executable_name(package)
            path.write_text("binary")
            built[package] = path
        return built


def _stages(monkeypatch: pytest.MonkeyPatch) -> None:
    def copy(build: pins.GoBuild, out_dir: Path) -> None:
        out_dir.mkdir(parents=True)
        (out_dir / "pod-complete.yaml").write_text("kind: Stage\n")

    monkeypatch.setattr(clusterbuild, "_kwok_stages", copy)


def test_components_are_built_once_and_found_afterwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stages(monkeypatch)
    cold = FakeBuilder()
    binaries = clusterbuild.ensure(root=tmp_path, builder=cold, log=lambda _: None)
    assert cold.calls == ["go.etcd.io/etcd/server/v3", "k8s.io/kubernetes", "sigs.k8s.io/kwok"]
    assert set(binaries.built) == {"etcd", "kubernetes", "kwok"}
    for path in (
        binaries.etcd,
        binaries.kube_apiserver,
        binaries.kube_controller_manager,
        binaries.kube_scheduler,
        binaries.kwok,
    ):
        assert path.is_file(), path
    assert (binaries.kwok_stages / "pod-complete.yaml").is_file()
    warm = FakeBuilder()
    again = clusterbuild.ensure(root=tmp_path, builder=warm, log=lambda _: None)
    assert warm.calls == [] and again.built == {}
    assert again.kube_apiserver == binaries.kube_apiserver


def test_a_failed_build_leaves_no_component_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stages(monkeypatch)

    def failing(target: pins.GoBuild, out_dir: Path) -> dict[str, Path]:
        if target.go_module == "k8s.io/kubernetes":
            out_dir.mkdir(parents=True)
            raise gobuild.BuildError("403 Forbidden: not available")
        return FakeBuilder()(target, out_dir)

    with pytest.raises(clusterbuild.ClusterBuildError, match=r"kubernetes v1\.35\.\d+ cannot be built: 403 Forbidden"):
        clusterbuild.ensure(root=tmp_path, builder=failing, log=lambda _: None)
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cluster").iterdir()) == ["etcd"]


def test_production_example_pools_become_labelled_and_tainted_fake_nodes() -> None:
    case = appcase.from_example("production", "social")
    assert set(case.node_pools) == {"default", "web", "streaming", "sidekiq"}
    sidekiq = case.node_pools["sidekiq"]
    assert sidekiq["name"] == "social-sidekiq"
    assert sidekiq["labels"][appcase.POOL_LABEL] == "social-sidekiq"
    assert sidekiq["taints"] and sidekiq["taints"][0]["effect"] == "NoSchedule"
    assert case.sizing["preset"] == "large"
    by_pool: dict[str, int] = {}
    for node in case.nodes:
        by_pool[node.labels[appcase.POOL_LABEL]] = by_pool.get(node.labels[appcase.POOL_LABEL], 0) + 1
    assert by_pool == {"social-default": 2, "social-web": 2, "social-streaming": 1, "social-sidekiq": 1}
    assert appcase.from_example("minimal", "social").sizing == {}
