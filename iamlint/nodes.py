"""Positioned tree: every value read from a file keeps the span it was read from.

Parsers build these nodes once; rules yield them back and the engine turns them into
diagnostics, so no rule ever computes a line or a column.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


class Span(namedtuple("Span", "line column end_line end_column")):
    """1-based line and column (in code points); the end column is exclusive, as in LSP and SARIF."""

    __slots__ = ()


class LineIndex:
    """Turns character offsets of one text into (line, column) pairs."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based line and column; a line past the end (where YAML puts
        the end of the stream) counts from the last line's start."""
        starts = self._starts
        return starts[min(line, len(starts)) - 1] + column - 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)


class Node:
    """A value with its span.

    ``value`` is a ``dict[str, Node]`` for a mapping, a ``list[Node]`` for a sequence, or a
    plain scalar (str, int, float, bool, None). ``key`` is the key node when this node is the
    value of a mapping entry, so a rule can point at ``"Principal"`` rather than its value.
    """

    __slots__ = ("value", "key", "start", "end", "_lines", "_span")

    def __init__(self, value: Any, span: Span | None = None, key: Node | None = None,
                 start: int = 0, end: int = 0, lines: LineIndex | None = None) -> None:
        self.value = value
        self.key = key
        # parsers give character offsets and the line index; the span is worked out when asked
        self.start = start
        self.end = end
        self._lines = lines
        self._span = span

    @property
    def span(self) -> Span:
        span = self._span
        if span is None:
            span = self._span = self._lines.span(self.start, self.end)
        return span

    @span.setter
    def span(self, span: Span) -> None:
        self._span = span

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.value!r}, {self.span.line}:{self.span.column})"

    @property
    def is_mapping(self) -> bool:
        return type(self.value) is dict

    @property
    def is_sequence(self) -> bool:
        return type(self.value) is list

    @property
    def is_string(self) -> bool:
        return type(self.value) is str

    def get(self, key: str) -> Node | None:
        """The value node of ``key`` in a mapping, or None (also when this is not a mapping)."""
        if type(self.value) is dict:
            return self.value.get(key)
        return None

    def items(self) -> Iterator[tuple[str, Node]]:
        if type(self.value) is dict:
            yield from self.value.items()

    def elements(self) -> list[Node]:
        """A string-or-list element as a list: ``"s3:*"`` and ``["s3:*"]`` read alike."""
        if type(self.value) is list:
            return self.value
        return [self]

    def strings(self) -> Iterator[Node]:
        """The string nodes of a string-or-list element; other types are the schema's business."""
        for node in self.elements():
            if type(node.value) is str:
                yield node

    def at(self, path: tuple) -> Node | None:
        """The node at a path of keys and indices below this one."""
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            value = node.value
            if type(value) is dict and isinstance(step, str):
                node = value.get(step)
            elif type(value) is list and isinstance(step, int) and 0 <= step < len(value):
                node = value[step]
            else:
                return None
        return node

    def to_python(self) -> Any:
        """Plain JSON-like data, for jsonschema and size measurement (depth is capped by the parser)."""
        value = self.value
        if type(value) is dict:
            return {k: v.to_python() for k, v in value.items()}
        if type(value) is list:
            return [v.to_python() for v in value]
        return value
