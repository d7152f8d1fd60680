"""Read the project's Terraform with python-hcl2 (read only: its round-trip writer is not trusted)."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from tooling.pins import ROOT

__all__ = ["ROOT", "Module", "constraint_allows", "load_dir", "load_file", "load_module", "module_dirs"]

_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)


def load_file(path: Path) -> dict[str, Any]:
    """The file's blocks, a fresh copy each call (callers may change it); the text is parsed once per process."""
    return copy.deepcopy(_parse(path.read_text()))


@functools.cache
def _parse(text: str) -> dict[str, Any]:
    # Parsing is the expensive part (most of the static tier's CPU when every test parsed anew): keyed by the
    # text itself, so a file changed on disk is parsed again and no stale result is served.
    return hcl2.loads(text, serialization_options=_OPTIONS)


def load_dir(path: Path) -> dict[str, list[Any]]:
    """All top-level blocks of a module directory, the lists of each file concatenated."""
    merged: dict[str, list[Any]] = {}
    for tf in sorted(path.glob("*.tf")):
        for key, blocks in load_file(tf).items():
            merged.setdefault(key, []).extend(blocks if isinstance(blocks, list) else [blocks])
    return merged


def _named(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: body for block in blocks for name, body in block.items()}


@dataclass(frozen=True)
class Module:
    path: Path
    blocks: dict[str, list[Any]]

    @property
    def relative(self) -> str:
        return str(self.path.relative_to(ROOT)) if self.path != ROOT else "."

    @property
    def is_example(self) -> bool:
        return self.relative.startswith("examples/") or self.relative.startswith("tests/")

    @property
    def variables(self) -> dict[str, dict[str, Any]]:
        return _named(self.blocks.get("variable", []))

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        return _named(self.blocks.get("output", []))

    @property
    def providers(self) -> list[str]:
        return [name for block in self.blocks.get("provider", []) for name in block]

    @property
    def required_version(self) -> str | None:
        for block in self.blocks.get("terraform", []):
            if "required_version" in block:
                return str(block["required_version"])
        return None

    @property
    def required_providers(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for block in self.blocks.get("terraform", []):
            for providers in block.get("required_providers", []):
                found.update(providers)
        return found


def module_dirs(root: Path = ROOT) -> list[Path]:
    """The root module, every module under modules/ (nested too), every example and test fixture root."""
    dirs = [root]
    for parent in ("modules", "examples", "tests/fixtures"):
        dirs += sorted({tf.parent for tf in (root / parent).rglob("*.tf") if ".terraform" not in tf.parts})
    return [d for d in dirs if any(d.glob("*.tf"))]


def load_module(path: Path) -> Module:
    return Module(path=path, blocks=load_dir(path))


def constraint_allows(constraint: str, version: str) -> bool:
    """Evaluate a `>= a, < b` style constraint (the only forms the project uses) against `version`."""

    def parse(text: str) -> tuple[int, ...]:
        return tuple(int(x) for x in text.strip().split("."))

    checks = {">=": lambda v, c: v >= c, ">": lambda v, c: v > c, "<": lambda v, c: v < c, "<=": lambda v, c: v <= c,
              "=": lambda v, c: v == c}
    wanted = parse(version)
    for part in constraint.split(","):
        match = re.fullmatch(r"\s*(>=|<=|>|<|=)?\s*([\d.]+)\s*", part)
        if not match:
            raise ValueError(f"unsupported constraint {constraint!r}")
        operator, bound = match.group(1) or "=", match.group(2)
        if not checks[operator](wanted, parse(bound)):
            return False
    return True
