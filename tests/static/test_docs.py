"""Generated README tables match the code (regenerate with `./run docs`)."""

from __future__ import annotations

import pytest

from tooling import docs, hcl

pytestmark = pytest.mark.static


def test_generated_tables_are_current() -> None:
    assert docs.stale(write=False) == [], "run `./run docs` and commit the READMEs"


def test_tables_name_every_variable_and_output() -> None:
    module = hcl.load_module(hcl.ROOT / "tests" / "fixtures" / "probe")
    text = docs.tables(module)
    assert "| `name` | Name every probe resource derives from. | `string` | `\"probe\"` |" in text
    assert "| `vpc_urn` |" in text and "| no |" in text
