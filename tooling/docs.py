"""Generate each module's input and output tables into its README, between markers, from the HCL itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tooling import hcl

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def _expr(value: object) -> str:
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return re.sub(r"\s+", " ", text).strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(body: dict[str, object]) -> str:
    if "default" not in body:
        return "required"
    value = body["default"]
    shown = _expr(value) if isinstance(value, str) and value.startswith("${") else json.dumps(value)
    return f"`{_cell(shown)}`"


def tables(module: hcl.Module) -> str:
    lines = ["## Inputs", "", "| name | description | type | default |", "|---|---|---|---|"]
    for name, body in module.variables.items():
        kind = _cell(_expr(body.get("type", "")))
        sensitive = " (sensitive)" if body.get("sensitive") is True else ""
        lines.append(
            f"| `{name}` | {_cell(str(body.get('description', '')))}{sensitive} | `{kind}` | {_default(body)} |"
        )
    lines += ["", "## Outputs", "", "| name | description | sensitive |", "|---|---|---|"]
    for name, body in module.outputs.items():
        sensitive = "yes" if body.get("sensitive") is True else "no"
        lines.append(f"| `{name}` | {_cell(str(body.get('description', '')))} | {sensitive} |")
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
    return [p for p in hcl.module_dirs() if "tests" not in p.relative_to(hcl.ROOT).parts[:1]]


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
            changed.append(str(readme.relative_to(hcl.ROOT)))
            if write:
                readme.write_text(wanted)
    return changed
