"""The native tests' shared mock defaults (`tests/mocks/<provider>/*.tfmock.hcl`), for binaries and files that
cannot load them by `source`.

Terraform reads such a directory through `mock_provider "x" { source = "..." }`, the path relative to the module
under test. OpenTofu has no `source` (it accepts only inline `mock_resource`/`mock_data`/`override_*` blocks), so
for it the test session writes the same blocks into each `mock_provider` of its copies: blocks the test file
defines itself win, as they do in Terraform. Generated test files inline them the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tooling.pins import ROOT

MOCKS = ROOT / "tests" / "mocks"
_BLOCK_HEAD = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)((?:\s+"[^"]*")*)\s*\{')
_SOURCE = re.compile(r'^[ \t]*source[ \t]*=[ \t]*"([^"]+)"[ \t]*$', re.MULTILINE)
_TARGET = re.compile(r"^\s*target\s*=\s*(\S+)\s*$", re.MULTILINE)


class MockError(ValueError):
    """A mock file or `source` cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Block:
    """One top-level HCL block: its type, labels, text (head to closing brace) and span in its file."""

    kind: str
    labels: tuple[str, ...]
    text: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str]:
        """What Terraform merges mock blocks by: the resource type, or an override's target."""
        if self.kind.startswith("override_"):
            target = _TARGET.search(self.text)
            return self.kind, target.group(1) if target else self.text
        return self.kind, self.labels[0] if self.labels else ""

    def body(self) -> str:
        return self.text[self.text.index("{") + 1 : -1]


def _skip_string(text: str, i: int) -> int:
    """Index after the string literal opening at `i` (template sequences hold no unbalanced quotes here)."""
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise MockError("unterminated string")


def _skip_comment(text: str, i: int) -> int:
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _closing_brace(text: str, opening: int) -> int:
    """Index of the brace that closes the one at `opening`, skipping strings and comments."""
    depth, i = 0, opening
    while i < len(text):
        char = text[i]
        if char == '"':
            i = _skip_string(text, i)
            continue
        if char == "#" or text.startswith("//", i) or text.startswith("/*", i):
            i = _skip_comment(text, i)
            continue
        if char == "<" and text.startswith("<<", i):
            raise MockError("heredocs are not supported in mock blocks; use quoted strings")
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise MockError("unbalanced braces")


def blocks(text: str) -> list[Block]:
    """The top-level blocks of an HCL body (attributes and comments between them are skipped)."""
    found: list[Block] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "#" or text.startswith("//", i) or text.startswith("/*", i):
            i = _skip_comment(text, i)
        elif (head := _BLOCK_HEAD.match(text, i)) is not None:
            end = _closing_brace(text, head.end() - 1) + 1
            labels = tuple(re.findall(r'"([^"]*)"', head.group(2)))
            found.append(Block(head.group(1), labels, text[i:end], i, end))
            i = end
        else:  # an attribute: skip to the end of its line, or past the braces or brackets it opens
            line_end = text.find("\n", i)
            line_end = len(text) if line_end < 0 else line_end
            brace = text.find("{", i, line_end)
            i = _closing_brace(text, brace) + 1 if brace >= 0 else line_end
    return found


def load(directory: Path) -> list[Block]:
    """Every block of every `*.tfmock.hcl` in `directory`, files in name order."""
    files = sorted(directory.glob("*.tfmock.hcl"))
    if not files:
        raise MockError(f"{directory}: no .tfmock.hcl file")
    return [block for path in files for block in blocks(path.read_text())]


def provider_block(name: str, directory: Path, alias: str | None = None, inline: str = "") -> str:
    """A `mock_provider` block with the shared mocks of `directory` written in, after `inline` blocks (which
    win over shared ones of the same type or target)."""
    own = {block.key for block in blocks(inline)}
    shared = [block.text for block in load(directory) if block.key not in own]
    lines = [f'mock_provider "{name}" {{']
    if alias:
        lines.append(f'  alias = "{alias}"')
    body = "\n\n".join(part for part in [inline.strip(), *shared] if part)
    if body:
        lines += ["", body]
    lines.append("}")
    return "\n".join(lines)


def _own_source(block: Block) -> re.Match[str] | None:
    """The `source = "..."` attribute of the block itself (not one inside its nested blocks), in its body."""
    body = block.body()
    for inner in reversed(blocks(body)):  # blank nested blocks out, keeping offsets
        start, end = inner.start, inner.end
        body = body[:start] + " " * (end - start) + body[end:]
    return _SOURCE.search(body)


def inline_sources(text: str, module_dir: Path) -> str:
    """`text` of a test file with every `mock_provider`'s `source` replaced by the blocks it names (the path
    relative to `module_dir`, the module under test, as Terraform resolves it)."""
    pieces: list[str] = []
    last = 0
    for block in blocks(text):
        source = _own_source(block) if block.kind == "mock_provider" else None
        if source is None:
            continue
        directory = (module_dir / source.group(1)).resolve()
        if not directory.is_dir():
            raise MockError(f'mock_provider "{block.labels[0]}": source {source.group(1)} is not a directory')
        body = block.body()
        body = body[: source.start()] + body[source.end() :]
        own = {inner.key for inner in blocks(body)}
        shared = "\n\n".join(inner.text for inner in load(directory) if inner.key not in own)
        pieces += [text[last : block.start], f'mock_provider "{block.labels[0]}" {{{body.rstrip()}\n\n{shared}\n}}']
        last = block.end
    return "".join(pieces) + text[last:]


def _module_of(test_file: Path) -> Path:
    """The module a test file belongs to: the nearest directory above it holding `.tf` files."""
    for directory in test_file.parents:
        if any(directory.glob("*.tf")):
            return directory
    raise MockError(f"{test_file}: no module above it")


def inline_tree(root: Path) -> int:
    """Write the shared mocks into every test file under `root` that names them by `source` (a copy of the
    project, for OpenTofu); returns how many files changed."""
    changed = 0
    for test_file in sorted(root.rglob("*.tftest.hcl")):
        text = test_file.read_text()
        if not any(block.kind == "mock_provider" and _own_source(block) for block in blocks(text)):
            continue
        new = inline_sources(text, _module_of(test_file))
        if new != text:
            test_file.write_text(new)
            changed += 1
    return changed
