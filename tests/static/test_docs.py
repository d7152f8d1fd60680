"""Generated README tables match the code (regenerate with `./run docs`) and read well: heredoc descriptions as
text, long types by their shape, a Files table from each file's opening comment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tooling import docs, hcl
from tooling.pins import ROOT

DOCUMENTED = [p for p in docs.documented_modules() if hcl.load_module(p).variables or hcl.load_module(p).outputs]


def _generated(path: Path) -> str:
    text = (path / "README.md").read_text()
    return text.split(docs.BEGIN, 1)[1].split(docs.END, 1)[0]


def test_generated_tables_are_current() -> None:
    assert docs.stale(write=False) == [], "run `./run docs` and commit the READMEs"


def test_tables_name_every_variable_and_output() -> None:
    module = hcl.load_module(ROOT / "tests" / "fixtures" / "probe")
    text = docs.tables(module)
    assert "| [`name`](main.tf#L4) | Name every probe resource derives from. | `string` | `\"probe\"` |" in text
    assert "| [`vpc_urn`](main.tf#L" in text and "| no |" in text


@pytest.mark.parametrize("path", DOCUMENTED, ids=lambda p: hcl.load_module(p).relative)
def test_no_heredoc_markers_in_the_tables(path: Path) -> None:
    generated = _generated(path)
    assert not re.search(r"<<-?[A-Z]+|\bEOT\b", generated), re.findall(r".{40}<<-?EOT.{40}", generated)[:3]


@pytest.mark.parametrize("path", DOCUMENTED, ids=lambda p: hcl.load_module(p).relative)
def test_type_cells_are_short(path: Path) -> None:
    too_long = []
    for row in _generated(path).splitlines():
        cells = row.split(" | ")
        if re.match(r"\| \[?`", row) and len(cells) == 4:
            shown = re.sub(r'<code title="[^"]*">|</code>|`', "", cells[2])
            widest = max(len(line) for line in shown.split("<br>"))
            if widest > 60:
                too_long.append(f"{cells[0]}: a line of {widest} characters")
    assert too_long == []


@pytest.mark.parametrize("path", DOCUMENTED, ids=lambda p: hcl.load_module(p).relative)
def test_every_file_is_in_the_files_table_with_its_opening_comment(path: Path) -> None:
    generated = _generated(path)
    for tf in sorted(path.glob("*.tf")):
        comment = docs.opening_comment(tf.read_text())
        assert comment, f"{tf.relative_to(ROOT)} opens with no comment saying what it holds"
        assert f"| [{tf.name}]({tf.name}) | {comment.replace('|', chr(92) + '|')} |" in generated, tf.name


def test_a_heredoc_description_renders_as_text() -> None:
    text = (
        "<<-EOT\n    Node pools keyed by role. The key\n    `default` is required.\n"
        "    - `size`: a slug\n      such as s-2vcpu-4gb.\n    - `taints`: a | b\n  EOT"
    )
    assert docs.description_text(text) == (
        "Node pools keyed by role. The key `default` is required.<br>- `size`: a slug such as s-2vcpu-4gb.<br>"
        "- `taints`: a \\| b"
    )
    assert docs.description_text("One line.") == "One line."


def test_a_long_type_shows_its_shape_and_keeps_the_whole_type_as_title() -> None:
    kind = (
        "${map(object({size = string, labels = optional(map(string), {}), "
        "taints = optional(list(object({key = string, effect = string})), [])}))}"
    )
    cell = docs.type_cell(kind)
    assert cell.startswith('<code title="map(object({size = string, labels = optional(map(string), {}),')
    assert cell.endswith(">map(object({size, labels, taints}))</code>")
    wrapped = docs.type_cell("${object({" + ", ".join(f"attribute_{n} = string" for n in range(8)) + "})}")
    assert wrapped.split(">", 1)[1] == (
        "object({attribute_0, attribute_1, attribute_2,<br>attribute_3, attribute_4, attribute_5,<br>"
        "attribute_6, attribute_7})</code>"
    )
    assert docs.type_cell("${list(string)}") == "`list(string)`"
    assert docs.type_shape('object({a = optional(object({b = string}), {}), c = string})') == "object({a, c})"
