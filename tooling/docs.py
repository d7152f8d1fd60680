"""Generate each module's Files, Inputs and Outputs tables into its README, between markers, from the HCL itself.

Descriptions written as heredocs are rendered as text (paragraphs and `- ` lists kept, markers dropped); a type
too long for a table cell shows its shape (the attribute names of its objects, wrapped) with the whole type as
the cell's hover title, and every name links to the line that declares it.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tooling import hcl
from tooling.pins import ROOT

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
# Longer types than this are shown by their shape; the limit keeps the type column about as wide as a name.
MAX_TYPE_CHARS = 48
_HEREDOC = re.compile(r"\A<<(-?)([A-Z_]+)\n(.*?)\n\s*\2\s*\Z", re.S)
_BLOCK = re.compile(r'^(variable|output)\s+"([^"]+)"', re.M)
_DECLARES = re.compile(r'^(resource|module)\s+"([^"]+)"(?:\s+"([^"]+)")?', re.M)


def _expr(value: object) -> str:
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return re.sub(r"\s+", " ", text).strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def description_text(value: object) -> str:
    """A description as one table cell: a heredoc's body without its markers, paragraphs and `- ` list items
    on lines of their own (`<br>`), wrapped lines joined."""
    text = str(value)
    match = _HEREDOC.match(text)
    if match:
        body = match.group(3)
        text = textwrap.dedent(body) if match.group(1) else body
    items: list[str] = []
    fresh = True
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            fresh = True
        elif fresh or stripped.startswith("- ") or not items:
            items.append(stripped)
            fresh = False
        else:
            items[-1] += " " + stripped
    return _cell("<br>".join(items))


def _split_top(text: str) -> list[str]:
    """`text` split at commas outside brackets and strings."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for index, char in enumerate(text):
        if char == '"' and (index == 0 or text[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted and char in "({[":
            depth += 1
        elif not quoted and char in ")}]":
            depth -= 1
        elif not quoted and char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def type_shape(kind: str) -> str:
    """A type by its shape: collections and `optional` kept, each object reduced to its attribute names."""
    kind = kind.strip()
    match = re.fullmatch(r"(\w+)\((.*)\)", kind, re.S)
    if not match:
        return kind
    name, inner = match.groups()
    if name == "object" and inner.startswith("{") and inner.endswith("}"):
        keys = [part.split("=", 1)[0].strip() for part in _split_top(inner[1:-1])]
        return "object({" + ", ".join(keys) + "})"
    if name == "optional":
        return type_shape(_split_top(inner)[0])
    return f"{name}(" + ", ".join(type_shape(part) for part in _split_top(inner)) + ")"


def type_cell(value: object) -> str:
    kind = _expr(value)
    if len(kind) <= MAX_TYPE_CHARS:
        return f"`{_cell(kind)}`"
    title = html.escape(kind, quote=True).replace("|", "&#124;")
    lines = [html.escape(line).replace("|", "&#124;") for line in _wrap(type_shape(kind))]
    return f'<code title="{title}">' + "<br>".join(lines) + "</code>"


def _wrap(text: str, width: int = MAX_TYPE_CHARS) -> list[str]:
    """`text` broken after commas into lines of at most `width` characters (a longer name keeps its line)."""
    lines = [""]
    for word in text.split(", "):
        candidate = f"{lines[-1]}, {word}" if lines[-1] else word
        if len(candidate) > width and lines[-1]:
            lines[-1] += ","
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def _default(body: dict[str, object]) -> str:
    if "default" not in body:
        return "required"
    value = body["default"]
    shown = _expr(value) if isinstance(value, str) and value.startswith("${") else json.dumps(value)
    return f"`{_cell(shown)}`"


@dataclass(frozen=True)
class TfFile:
    name: str
    description: str
    declares: list[str]  # resource types and module calls, in order of appearance


def opening_comment(text: str) -> str:
    """The comment lines a file starts with, as one sentence-level text ('' when it starts with code)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    return " ".join(line for line in lines if line)


def tf_files(path: Path) -> list[TfFile]:
    files = []
    for tf in sorted(path.glob("*.tf")):
        text = tf.read_text()
        declares: list[str] = []
        for kind, first, _ in _DECLARES.findall(text):
            label = first if kind == "resource" else f"module.{first}"
            if label not in declares:
                declares.append(label)
        files.append(TfFile(tf.name, opening_comment(text), declares))
    return files


def declaration_lines(path: Path) -> dict[tuple[str, str], str]:
    """(`variable`|`output`, name) -> `file#Lline` of its declaration."""
    where: dict[tuple[str, str], str] = {}
    for tf in sorted(path.glob("*.tf")):
        text = tf.read_text()
        for match in _BLOCK.finditer(text):
            where[(match.group(1), match.group(2))] = f"{tf.name}#L{text.count(chr(10), 0, match.start()) + 1}"
    return where


def tables(module: hcl.Module) -> str:
    where = declaration_lines(module.path)
    lines = ["## Files", "", "| file | what it holds | declares |", "|---|---|---|"]
    for tf in tf_files(module.path):
        declares = ", ".join(f"`{item}`" for item in tf.declares)
        lines.append(f"| [{tf.name}]({tf.name}) | {_cell(tf.description)} | {declares} |")
    lines += ["", "## Inputs", "", "| name | description | type | default |", "|---|---|---|---|"]
    for name, body in module.variables.items():
        sensitive = " (sensitive)" if body.get("sensitive") is True else ""
        link = where.get(("variable", name), "variables.tf")
        description = description_text(body.get("description", ""))
        lines.append(f"| [`{name}`]({link}) | {description}{sensitive} | {type_cell(body.get('type', ''))} | "
                     f"{_default(body)} |")
    lines += ["", "## Outputs", "", "| name | description | sensitive |", "|---|---|---|"]
    for name, body in module.outputs.items():
        sensitive = "yes" if body.get("sensitive") is True else "no"
        link = where.get(("output", name), "outputs.tf")
        lines.append(f"| [`{name}`]({link}) | {description_text(body.get('description', ''))} | {sensitive} |")
    return "\n".join(lines)


def render(readme: str, module: hcl.Module) -> str:
    block = f"{BEGIN}\n{tables(module)}\n{END}"
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        return f"{head}{block}{tail}"
    return readme.rstrip("\n") + f"\n\n{block}\n"


def documented_modules() -> list[Path]:
    """Every module and example that has variables or outputs (the root included)."""
    return [p for p in hcl.module_dirs() if "tests" not in p.relative_to(ROOT).parts[:1]]


def stale(write: bool) -> list[str]:
    """README paths whose tables differ from the code; with `write`, bring them up to date."""
    changed = []
    for path in documented_modules():
        module = hcl.load_module(path)
        if not module.variables and not module.outputs:
            continue
        readme = path / "README.md"
        current = readme.read_text() if readme.exists() else f"# {path.name}\n"
        wanted = render(current, module)
        if wanted != current:
            changed.append(str(readme.relative_to(ROOT)))
            if write:
                readme.write_text(wanted)
    return changed
