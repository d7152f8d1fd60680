"""Test tiers: one folder under tests/ per tier marker of pyproject.toml, its conftest applying the marker.

A tier folder's conftest says `pytest_itemcollected = tiers.apply("<tier>")`: pytest calls that hook only for
items under the conftest's folder, so the folder decides the tier and no test file names one. `misplaced` lists
the collected tests that end with no tier or several (a test file outside every tier folder, or a hand-written
tier marker on top of the folder's), which the root conftest turns into a collection error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable

import pytest

from tooling.pins import ROOT


def names() -> tuple[str, ...]:
    """The tier markers declared in pyproject.toml (`static: ...` -> `static`), in their order there."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    return tuple(str(line).split(":", 1)[0].strip() for line in options["markers"])


def apply(tier: str) -> Callable[[pytest.Item], None]:
    """A `pytest_itemcollected` hook that gives every test of the conftest's folder the marker `tier`."""
    if tier not in names():
        raise ValueError(f"{tier!r} is not a tier marker of pyproject.toml (tiers: {', '.join(names())})")
    marker = getattr(pytest.mark, tier)

    def pytest_itemcollected(item: pytest.Item) -> None:
        item.add_marker(marker)

    return pytest_itemcollected


def misplaced(items: Iterable[pytest.Item]) -> list[str]:
    """`<test id>: <tiers found>` for every item with no tier marker or more than one."""
    known = names()
    problems = []
    for item in items:
        found = sorted({mark.name for mark in item.iter_markers() if mark.name in known})
        if len(found) != 1:
            problems.append(f"{item.nodeid}: {', '.join(found) or 'no tier'}")
    return problems
