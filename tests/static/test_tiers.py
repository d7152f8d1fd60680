"""Tiers are folders: each tier marker of pyproject.toml has its folder under tests/, whose conftest applies it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pytest

from tooling import tiers
from tooling.pins import ROOT


def test_every_tier_has_a_folder_whose_conftest_applies_it() -> None:
    assert set(tiers.names()) >= {"static", "lint", "plan", "native", "apply", "render", "e2e"}
    for tier in tiers.names():
        conftest = ROOT / "tests" / tier / "conftest.py"
        assert f'pytest_itemcollected = tiers.apply("{tier}")' in conftest.read_text(), conftest


def test_every_folder_of_tests_is_a_tier_or_holds_no_test() -> None:
    strays = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").glob("*/**/test_*.py")
        if path.relative_to(ROOT / "tests").parts[0] not in tiers.names()
    ]
    assert strays == []


def test_the_readme_tier_table_has_a_row_for_every_tier() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Tests") :].split("\n\n")[2]
    rows = [line.split("|")[1].strip().strip("`") for line in table.splitlines()[2:]]
    assert rows == list(tiers.names())


def test_an_unknown_tier_is_refused() -> None:
    with pytest.raises(ValueError, match="'operate' is not a tier marker"):
        tiers.apply("operate")


@dataclass
class _Item:
    nodeid: str
    marks: list[pytest.Mark] = field(default_factory=list)

    def iter_markers(self) -> list[pytest.Mark]:
        return self.marks


def test_a_test_with_no_tier_or_two_is_reported() -> None:
    items = [
        _Item("tests/x.py::none"),
        _Item("tests/plan/x.py::one", [pytest.mark.plan.mark, pytest.mark.providers("helm").mark]),
        _Item("tests/plan/x.py::two", [pytest.mark.plan.mark, pytest.mark.static.mark]),
    ]
    assert tiers.misplaced(cast(list[pytest.Item], items)) == [
        "tests/x.py::none: no tier",
        "tests/plan/x.py::two: plan, static",
    ]
