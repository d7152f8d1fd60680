"""The native tests' shared mocks (tests/mocks) and how they reach OpenTofu, which has no mock_provider `source`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tooling import mocks
from tooling.pins import ROOT

SCHEMA = ROOT / "tests" / "fixtures" / "provider-schemas" / "digitalocean.json"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _sources() -> list[tuple[Path, str]]:
    found = []
    for test_file in sorted(ROOT.rglob("*.tftest.hcl")):
        if ".terraform" in test_file.parts or ".venv" in test_file.parts:
            continue
        for block in mocks.blocks(test_file.read_text()):
            match = re.search(r'^\s*source\s*=\s*"([^"]+)"', block.body(), re.MULTILINE)
            if block.kind == "mock_provider" and match:
                found.append((test_file, match.group(1)))
    return found


def test_module_tests_share_the_mocks() -> None:
    users = {path.relative_to(ROOT).parts[0] for path, _ in _sources()}
    assert {"modules", "tests"} <= users
    assert len(_sources()) >= 10


@pytest.mark.parametrize(("test_file", "source"), _sources(), ids=lambda v: str(v).replace(str(ROOT) + "/", ""))
def test_every_source_names_a_shared_mock_directory(test_file: Path, source: str) -> None:
    directory = (mocks._module_of(test_file) / source).resolve()
    assert directory.parent == mocks.MOCKS and directory.is_dir(), f"{test_file}: {source}"


def test_shared_digitalocean_mocks_name_only_computed_attributes_that_exist() -> None:
    """OpenTofu refuses a mock value for an attribute a resource does not compute; Terraform ignores a misspelt
    one silently. Check every shared default against the provider's schema."""
    schema = json.loads(SCHEMA.read_text())["provider_schemas"]["registry.terraform.io/digitalocean/digitalocean"]
    for block in mocks.load(mocks.MOCKS / "digitalocean"):
        kind = "resource_schemas" if block.kind == "mock_resource" else "data_source_schemas"
        attributes = schema[kind][block.labels[0]]["block"]["attributes"]
        for name in re.findall(r"^\s{4}([a-z_]+)\s*=", block.text, re.MULTILINE):
            assert name in attributes, f"{block.labels[0]}.{name} is not an attribute"
            assert attributes[name].get("computed"), f"{block.labels[0]}.{name} is not computed"


def test_shared_ids_are_shaped_like_the_apis() -> None:
    text = "\n".join(block.text for block in mocks.load(mocks.MOCKS / "digitalocean"))
    ids = re.findall(r'^\s+(?:id|uuid)\s*=\s*"([^"]+)"', text, re.MULTILINE)
    assert ids and all(UUID.match(value) or value.isdigit() for value in ids), ids


def test_inlining_writes_the_shared_blocks_and_keeps_the_files_own(tmp_path: Path) -> None:
    shared = tmp_path / "tests" / "mocks" / "thing"
    shared.mkdir(parents=True)
    (shared / "thing.tfmock.hcl").write_text(
        '# comment { not a block\nmock_resource "thing_a" {\n  defaults = { id = "shared-a" }\n}\n\n'
        'mock_data "thing_b" {\n  defaults = { name = "}" }\n}\n\n'
        'mock_resource "thing_c" {\n  defaults = {\n    source = "a resource attribute named source"\n  }\n}\n'
    )
    module = tmp_path / "modules" / "m"
    (module / "tests").mkdir(parents=True)
    (module / "main.tf").write_text("")
    test_file = module / "tests" / "m.tftest.hcl"
    test_file.write_text(
        'mock_provider "thing" {\n  alias  = "x"\n  source = "../../tests/mocks/thing"\n\n'
        '  mock_resource "thing_a" {\n    defaults = { id = "own-a" }\n  }\n}\n\nrun "r" {\n  command = plan\n}\n'
    )

    assert mocks.inline_tree(tmp_path) == 1
    text = test_file.read_text()

    assert 'source = "../../tests/mocks/thing"' not in text and 'alias  = "x"' in text
    assert text.count('mock_resource "thing_a"') == 1 and '"own-a"' in text and '"shared-a"' not in text
    assert 'mock_data "thing_b"' in text and 'name = "}"' in text
    assert 'source = "a resource attribute named source"' in text
    assert [block.kind for block in mocks.blocks(text)] == ["mock_provider", "run"]
    assert mocks.inline_tree(tmp_path) == 0


def test_a_source_that_is_not_a_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(mocks.MockError, match=r'mock_provider "x": source ./nowhere is not a directory'):
        mocks.inline_sources('mock_provider "x" {\n  source = "./nowhere"\n}\n', tmp_path)


def test_every_native_test_file_of_the_tree_inlines_to_balanced_blocks(tmp_path: Path) -> None:
    for test_file, _ in _sources():
        text = mocks.inline_sources(test_file.read_text(), mocks._module_of(test_file))
        kinds = [block.kind for block in mocks.blocks(text)]
        assert "mock_provider" in kinds and not re.search(r"^\s*source\s*=", text, re.MULTILINE), test_file
