"""Parse Terraform type constraints as python-hcl2 prints them (`${object({a = optional(string, "x")})}`).

Enough of the expression syntax for type constraints and the literal defaults inside `optional()`: calls,
bare names, object and tuple literals, strings, numbers. Used to compare the types two modules declare for
the same input, attribute by attribute, instead of as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Node", "attributes", "parse_type", "render"]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?[0-9]+(?:\.[0-9]+)?)|(?P<id>[A-Za-z_][A-Za-z0-9_-]*)|(?P<punct>[(){}\[\],=:]))'
)


@dataclass(frozen=True)
class Node:
    """`kind` is call, name, object, tuple or literal; `items` holds arguments, elements or (key, value) pairs."""

    kind: str
    text: str = ""
    items: tuple[Node, ...] = field(default=())
    keys: tuple[str, ...] = field(default=())


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read type expression at {text[position : position + 30]!r}")
        found.append(match.group(match.lastgroup or ""))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return found


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if expected is not None and token != expected:
            raise ValueError(f"expected {expected!r}, found {token!r}")
        self.at += 1
        return token

    def sequence(self, closing: str) -> list[Node]:
        items: list[Node] = []
        while self.peek() != closing:
            items.append(self.expression())
            if self.peek() == ",":
                self.take()
        self.take(closing)
        return items

    def expression(self) -> Node:
        word = self.take()
        if word == "{":
            keys: list[str] = []
            values: list[Node] = []
            while self.peek() != "}":
                keys.append(self.take().strip('"'))
                if self.take() not in ("=", ":"):
                    raise ValueError(f"expected = after {keys[-1]!r}")
                values.append(self.expression())
                if self.peek() == ",":
                    self.take()
            self.take("}")
            return Node("object", items=tuple(values), keys=tuple(keys))
        if word == "[":
            return Node("tuple", items=tuple(self.sequence("]")))
        if word.startswith('"') or re.fullmatch(r"-?[0-9.]+", word):
            return Node("literal", text=word)
        if self.peek() == "(":
            self.take()
            return Node("call", text=word, items=tuple(self.sequence(")")))
        return Node("name", text=word)


def parse_type(text: str) -> Node:
    """The tree of a type constraint; the `${...}` wrapper python-hcl2 adds is removed first."""
    text = text.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.peek():
        raise ValueError(f"unexpected {parser.peek()!r} after the type expression")
    return node


def attributes(node: Node) -> dict[str, Node] | None:
    """An object type's attributes (of the element type for map/list/set of objects); None for other types."""
    if node.kind == "call" and node.text == "object" and node.items and node.items[0].kind == "object":
        literal = node.items[0]
        return dict(zip(literal.keys, literal.items, strict=True))
    if node.kind == "call" and node.text in ("map", "list", "set") and node.items:
        return attributes(node.items[0])
    return None


def render(node: Node) -> str:
    """One canonical line for a tree, for equality and for messages."""
    if node.kind == "call":
        return f"{node.text}({', '.join(render(item) for item in node.items)})"
    if node.kind == "object":
        pairs = ", ".join(f"{key} = {render(value)}" for key, value in zip(node.keys, node.items, strict=True))
        return "{" + pairs + "}"
    if node.kind == "tuple":
        return "[" + ", ".join(render(item) for item in node.items) + "]"
    return node.text
