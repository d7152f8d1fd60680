"""The registry-or-mirror decision, with the network probe and the Go builder faked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tooling import gobuild, instance, pins, schemas, toolchain


@pytest.fixture
def fake_terraform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in `terraform` that only answers `version -json`, selected through TERRAFORM."""
    script = tmp_path / "fake-bin" / "terraform"
    script.parent.mkdir()
    script.write_text('#!/bin/sh\necho \'{"terraform_version":"1.11.4","platform":"linux_amd64"}\'\n')
    script.chmod(0o755)
    monkeypatch.setenv("TERRAFORM", str(script))
    monkeypatch.delenv("TFDOM_PROVIDERS", raising=False)
    monkeypatch.delenv("TFDOM_PROVIDER_MIRROR", raising=False)
    return script


class RecordingBuilder:
    def __init__(self, fail: set[str] | None = None) -> None:
        self.calls: list[str] = []
        self.fail = fail or set()

    def __call__(self, target: pins.GoBuild, output: Path) -> Path:
        self.calls.append(target.go_module)
        if target.go_module in self.fail:
            raise gobuild.BuildError("403 Forbidden: This module version is not available.")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text("binary")
        return output


def test_registry_reachable_builds_nothing(tmp_path: Path, fake_terraform: Path) -> None:
    probed: list[str] = []
    builder = RecordingBuilder()

    def probe(url: str) -> bool:
        probed.append(url)
        return True

    chain = toolchain.setup(probe=probe, builder=builder, root=tmp_path, log=lambda _: None)

    assert probed == [toolchain.REGISTRY_PROBES["terraform"]]
    assert chain.mode == "registry"
    assert builder.calls == []
    assert "provider_installation" not in chain.cli_config.read_text()
    assert not (tmp_path / "mirror").exists()


def test_registry_unreachable_builds_every_pin_into_the_mirror(tmp_path: Path, fake_terraform: Path) -> None:
    builder = RecordingBuilder()
    pinned = pins.load()

    chain = toolchain.setup(probe=lambda url: False, builder=builder, root=tmp_path, log=lambda _: None)

    assert chain.mode == "mirror"
    assert sorted(builder.calls) == sorted(pin.build.go_module for pin in pinned.providers.values())
    for pin in pinned.providers.values():
        binary = toolchain.provider_binary(tmp_path / "mirror", pin)
        assert binary.is_file(), binary
        assert binary.parent.name == toolchain.platform_dir()
        # OpenTofu's host gets real directories (it does not follow directory symlinks) with the same file.
        tofu_copy = toolchain.provider_binary(tmp_path / "mirror", pin, "registry.opentofu.org")
        assert not (tmp_path / "mirror" / "registry.opentofu.org").is_symlink()
        assert tofu_copy.stat().st_ino == binary.stat().st_ino
    config = chain.cli_config.read_text()
    assert f'path    = "{tmp_path / "mirror"}"' in config
    assert 'exclude = ["registry.terraform.io/*/*", "registry.opentofu.org/*/*"]' in config
    assert chain.env()["TF_CLI_CONFIG_FILE"] == str(chain.cli_config)


def test_warm_cache_builds_nothing_and_pin_change_rebuilds(tmp_path: Path, fake_terraform: Path) -> None:
    toolchain.setup(probe=lambda url: False, builder=RecordingBuilder(), root=tmp_path, log=lambda _: None)
    warm = RecordingBuilder()
    toolchain.setup(probe=lambda url: False, builder=warm, root=tmp_path, log=lambda _: None)
    assert warm.calls == []

    pinned = pins.load()
    tls = pinned.providers["tls"]
    changed = pins.Pins(
        pinned.terraform_minimum,
        pinned.opentofu,
        {
            **pinned.providers,
            "tls": pins.ProviderPin(
                tls.name, tls.source, tls.version, pins.GoBuild(tls.build.go_module, "v9.9.9", tls.build.package)
            ),
        },
        doubles=pinned.doubles,
    )
    again = RecordingBuilder()
    toolchain.setup(probe=lambda url: False, builder=again, root=tmp_path, log=lambda _: None, pinned=changed)
    assert again.calls == [tls.build.go_module]


def test_a_provider_that_cannot_be_built_is_reported_not_fatal(tmp_path: Path, fake_terraform: Path) -> None:
    def no_double(double: pins.Double, address: str, output: Path) -> Path:
        raise gobuild.BuildError("the `go` command is not on PATH")

    do_module = pins.load().providers["digitalocean"].build.go_module
    chain = toolchain.setup(
        probe=lambda url: False,
        builder=RecordingBuilder(fail={do_module}),
        root=tmp_path,
        log=lambda _: None,
        double_builder=no_double,
    )
    assert set(chain.missing) == {"digitalocean"} and chain.doubles == {}
    assert "403 Forbidden" in chain.missing["digitalocean"]
    assert (
        chain.unavailable(["helm", "digitalocean"])
        == f"provider digitalocean is unavailable here: {chain.missing['digitalocean']}"
    )
    assert chain.unavailable(["helm", "tls"]) is None


def test_operator_mirror_supplies_a_provider(
    tmp_path: Path, fake_terraform: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "airgap"
    pin = pins.load().providers["digitalocean"]
    binary = toolchain.provider_binary(extra, pin)
    binary.parent.mkdir(parents=True)
    binary.write_text("binary")
    monkeypatch.setenv("TFDOM_PROVIDER_MIRROR", str(extra))
    builder = RecordingBuilder()

    chain = toolchain.setup(probe=lambda url: False, builder=builder, root=tmp_path / "cache", log=lambda _: None)

    assert pin.build.go_module not in builder.calls
    assert chain.missing == {}
    assert str(extra) in chain.cli_config.read_text()


@pytest.mark.parametrize(
    ("forced", "probe_answer", "mode"), [("registry", False, "registry"), ("mirror", True, "mirror")]
)
def test_forced_mode_skips_the_probe(
    forced: str, probe_answer: bool, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TFDOM_PROVIDERS", forced)
    assert toolchain.registry_mode("terraform", lambda url: probe_answer) == mode


def test_old_terraform_is_refused_when_selected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "terraform"
    script.write_text('#!/bin/sh\necho \'{"terraform_version":"1.5.7"}\'\n')
    script.chmod(0o755)
    monkeypatch.setenv("TERRAFORM", str(script))
    with pytest.raises(toolchain.ToolchainError, match=r"1\.5\.7; at least 1\.9\.0"):
        toolchain.setup(probe=lambda url: True, builder=RecordingBuilder(), root=tmp_path / "c", log=lambda _: None)


def _fake_binary(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho \'{{"terraform_version":"{version}","platform":"linux_amd64"}}\'\n')
    path.chmod(0o755)
    return path


def _tofu_builder(calls: list[str]) -> toolchain.Builder:
    def build(target: pins.GoBuild, output: Path) -> Path:
        calls.append(target.go_module)
        return _fake_binary(output, "1.10.10")

    return build


def test_tofu_picked_explicitly_is_built_even_with_terraform_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_binary(tmp_path / "path" / "terraform", "1.11.4")
    monkeypatch.setenv("PATH", f"{tmp_path / 'path'}:/usr/bin:/bin")
    monkeypatch.delenv("TERRAFORM", raising=False)
    monkeypatch.setenv("TFDOM_BINARY", "tofu")
    calls: list[str] = []
    root = tmp_path / "cache"

    chain = toolchain.setup(probe=lambda url: True, builder=_tofu_builder(calls), root=root, log=lambda _: None)

    assert calls == ["github.com/opentofu/opentofu"]
    assert chain.binary.kind == "tofu" and chain.binary.registry_host == "registry.opentofu.org"
    assert chain.binary.path == root / "bin" / f"tofu-{pins.load().opentofu.go_version}"
    # Its own `terraform` on PATH: a terraform session sharing the cache keeps seeing terraform.
    assert chain.bin_dir.name == "active-tofu" and (chain.bin_dir / "terraform").resolve() == chain.binary.path
    again = toolchain.setup(probe=lambda url: True, builder=_tofu_builder(calls), root=root, log=lambda _: None)
    assert calls == ["github.com/opentofu/opentofu"] and again.binary.path == chain.binary.path
    monkeypatch.setenv("TFDOM_BINARY", "terraform")
    terraform = toolchain.setup(probe=lambda url: True, builder=_tofu_builder(calls), root=root, log=lambda _: None)
    assert terraform.binary.kind == "terraform" and terraform.binary.registry_host == "registry.terraform.io"
    assert terraform.bin_dir.name == "active"


def test_tofu_on_path_is_used_when_picked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_binary(tmp_path / "path" / "terraform", "1.11.4")
    tofu = _fake_binary(tmp_path / "path" / "tofu", "1.10.10")
    monkeypatch.setenv("PATH", f"{tmp_path / 'path'}:/usr/bin:/bin")
    monkeypatch.delenv("TERRAFORM", raising=False)
    monkeypatch.setenv("TFDOM_BINARY", "tofu")
    calls: list[str] = []
    chain = toolchain.setup(
        probe=lambda url: True, builder=_tofu_builder(calls), root=tmp_path / "c", log=lambda _: None
    )
    assert calls == [] and chain.binary.path == tofu


@pytest.mark.parametrize(
    ("value", "message"),
    [("terraform", r"TFDOM_BINARY=terraform: no terraform >= 1\.9\.0 on PATH"), ("opentofu", r"expected one of")],
)
def test_a_binary_that_cannot_be_had_is_one_clear_error(
    value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.delenv("TERRAFORM", raising=False)
    monkeypatch.setenv("TFDOM_BINARY", value)
    with pytest.raises(toolchain.ToolchainError, match=message):
        toolchain.setup(probe=lambda url: True, builder=_tofu_builder([]), root=tmp_path / "c", log=lambda _: None)


def test_export_lines_select_binary_and_config(tmp_path: Path, fake_terraform: Path) -> None:
    chain = toolchain.setup(probe=lambda url: True, builder=RecordingBuilder(), root=tmp_path, log=lambda _: None)
    lines = chain.export_lines()
    assert f"export TF_CLI_CONFIG_FILE={chain.cli_config}" in lines
    assert (chain.bin_dir / "terraform").resolve() == fake_terraform.resolve()


def test_versioned_replaces_keeps_module_replaces_only() -> None:
    go_mod = """module example.com/x

replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828

replace (
\tgithub.com/a/b => github.com/c/d v1.2.3 // fork
\tgithub.com/e/f => ../local
)
"""
    assert gobuild.versioned_replaces(go_mod) == [
        ("github.com/hashicorp/hcl/v2", "github.com/opentofu/hcl/v2@v2.20.2-0.20251021132045-587d123c2828"),
        ("github.com/a/b", "github.com/c/d@v1.2.3"),
    ]


def test_pins_are_exact_versions_and_go_versions_the_proxy_accepts() -> None:
    pseudo_or_tag = re.compile(r"^v\d+\.\d+\.\d+(-0\.\d{14}-[0-9a-f]{12})?$")
    for pin in pins.load().providers.values():
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin.version), pin
        # The proxy refuses bare commit hashes: only tags and canonical pseudo-versions resolve.
        assert pseudo_or_tag.match(pin.build.go_version), pin


class RecordingDoubleBuilder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, double: pins.Double, address: str, output: Path) -> Path:
        self.calls.append(address)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text("double")
        return output


def _setup_without_digitalocean(root: Path, doubles: RecordingDoubleBuilder) -> toolchain.Toolchain:
    do_module = pins.load().providers["digitalocean"].build.go_module
    return toolchain.setup(
        probe=lambda url: False,
        builder=RecordingBuilder(fail={do_module}),
        root=root,
        log=lambda _: None,
        double_builder=doubles,
    )


def test_a_missing_provider_with_a_double_gets_it_for_tests_only(tmp_path: Path, fake_terraform: Path) -> None:
    doubles = RecordingDoubleBuilder()
    chain = _setup_without_digitalocean(tmp_path, doubles)

    assert doubles.calls == ["registry.terraform.io/digitalocean/digitalocean"]
    assert set(chain.missing) == {"digitalocean"}  # deploy, teardown and `./run env` still refuse
    assert chain.unavailable(["helm", "digitalocean"]) is None  # the test session has the double
    assert "only its schema double" in (chain.real_provider_missing(["digitalocean"]) or "")
    assert chain.real_provider_missing(["helm"]) is None
    double = tmp_path / "test-mirror" / "registry.terraform.io/digitalocean/digitalocean/2.99.1"
    assert (double / toolchain.platform_dir() / "terraform-provider-digitalocean_v2.99.1").is_file()

    # Only the test session's CLI config knows the test mirror, and there only for the double's address.
    assert "test-mirror" not in chain.cli_config.read_text()
    assert chain.env()["TF_CLI_CONFIG_FILE"] == str(chain.cli_config)
    assert chain.test_cli_config is not None
    assert chain.env(tests=True)["TF_CLI_CONFIG_FILE"] == str(chain.test_cli_config)
    text = chain.test_cli_config.read_text()
    assert f'path    = "{tmp_path / "test-mirror"}"' in text
    assert (
        "include = "
        '["registry.terraform.io/digitalocean/digitalocean", "registry.opentofu.org/digitalocean/digitalocean"]'
        in text
    )
    assert [line for line in chain.export_lines() if "TF_CLI_CONFIG_FILE" in line] == [
        f"export TF_CLI_CONFIG_FILE={chain.cli_config}"
    ]
    (line,) = chain.provider_lines(pins.load())
    assert line.startswith("digitalocean 2.99.1: schema double, tests only (real provider unavailable: ")
    assert "403 Forbidden" in line


def test_a_double_is_rebuilt_only_when_its_sources_change(tmp_path: Path, fake_terraform: Path) -> None:
    _setup_without_digitalocean(tmp_path, RecordingDoubleBuilder())
    warm = RecordingDoubleBuilder()
    _setup_without_digitalocean(tmp_path, warm)
    assert warm.calls == []

    stamp = next((tmp_path / "stamps").glob("double-*"))
    stamp.write_text("an older fingerprint\n")
    again = RecordingDoubleBuilder()
    _setup_without_digitalocean(tmp_path, again)
    assert again.calls == ["registry.terraform.io/digitalocean/digitalocean"]


def test_no_double_where_the_real_provider_is_installed(
    tmp_path: Path, fake_terraform: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "airgap"
    binary = toolchain.provider_binary(extra, pins.load().providers["digitalocean"])
    binary.parent.mkdir(parents=True)
    binary.write_text("binary")
    monkeypatch.setenv("TFDOM_PROVIDER_MIRROR", str(extra))
    doubles = RecordingDoubleBuilder()

    chain = _setup_without_digitalocean(tmp_path / "cache", doubles)

    assert doubles.calls == [] and chain.doubles == {} and chain.test_cli_config is None
    assert chain.env(tests=True) == chain.env()
    assert chain.real_provider_missing(["digitalocean"]) is None


def test_double_only_config_keeps_the_registry_for_everything_else(tmp_path: Path) -> None:
    text = toolchain.cli_config_text(
        [], plugin_cache=None, doubles={"registry.terraform.io/digitalocean/digitalocean": tmp_path}
    )
    direct = text.split("direct {", 1)[1]
    assert "registry.terraform.io/digitalocean/digitalocean" in direct
    assert "registry.terraform.io/*/*" not in direct


def test_schema_fixture_is_the_pinned_provider_version() -> None:
    pinned = pins.load()
    assert pinned.doubles, "toolchain.toml names no provider double"
    for name, double in pinned.doubles.items():
        dump = json.loads(double.schema.read_text())
        pin = pinned.providers[name]
        assert dump["provider_versions"] == {pin.address: pin.version}, f"regenerate with `./run schemas` ({name})"
        assert list(dump["provider_schemas"]) == [pin.address]


def test_schema_reduction_drops_description_text_but_keeps_attributes_named_description() -> None:
    dump = {
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/acme/acme": {
                "resource_schemas": {
                    "acme_thing": {
                        "version": 0,
                        "block": {
                            "description": "A thing.",
                            "description_kind": "plain",
                            "attributes": {
                                "description": {"type": "string", "optional": True, "description": "Free text."},
                                "name": {"type": "string", "required": True, "description_kind": "markdown"},
                                "rules": {"type": ["list", ["object", {"description": "string"}]], "computed": True},
                                "type": {"type": "string", "optional": True, "description": "Kind of thing."},
                            },
                        },
                    }
                }
            }
        },
    }
    reduced = json.loads(schemas.fixture_text(dump, "registry.terraform.io/acme/acme", "1.2.3"))
    block = reduced["provider_schemas"]["registry.terraform.io/acme/acme"]["resource_schemas"]["acme_thing"]["block"]
    assert block == {
        "attributes": {
            "description": {"optional": True, "type": "string"},
            "name": {"required": True, "type": "string"},
            "rules": {"computed": True, "type": ["list", ["object", {"description": "string"}]]},
            "type": {"optional": True, "type": "string"},
        }
    }
    assert reduced["provider_versions"] == {"registry.terraform.io/acme/acme": "1.2.3"}
    with pytest.raises(schemas.SchemaError, match=r"no provider registry\.terraform\.io/acme/other"):
        schemas.fixture_text(dump, "registry.terraform.io/acme/other", "1.2.3")


def test_schemas_are_never_regenerated_from_a_double(tmp_path: Path, fake_terraform: Path) -> None:
    chain = _setup_without_digitalocean(tmp_path, RecordingDoubleBuilder())
    with pytest.raises(schemas.SchemaError, match="the real digitalocean provider is not installed here"):
        schemas.regenerate(chain)


def test_operator_verbs_refuse_when_only_a_double_is_there(
    tmp_path: Path, fake_terraform: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = _setup_without_digitalocean(tmp_path, RecordingDoubleBuilder())
    assert chain.doubles
    monkeypatch.setattr(toolchain, "setup", lambda **_: chain)
    with pytest.raises(instance.OperateError, match=r"provider digitalocean unavailable: .*403 Forbidden"):
        instance.project_terraform(tmp_path)
