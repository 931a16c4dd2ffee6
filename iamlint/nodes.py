"""Positioned tree: every value read from a file keeps the span it was read from.

Parsers build these nodes once; rules yield them back and the engine turns them into
diagnostics, so no rule ever computes a line or a column.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import namedtuple
from itertools import accumulate
from operator import add

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


class Span(namedtuple("Span", "line column end_line end_column")):
    """1-based line and column (in code points); the end column is exclusive, as in LSP and SARIF."""

    __slots__ = ()


class LineIndex:
    """Turns character offsets of one text into (line, column) pairs."""

    __slots__ = ("_starts", "_end")
    fixed = True  # a node may keep the span it worked out

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        # the start of line i: the lengths of the lines before it, and one newline each
        self._starts = list(map(add, accumulate(map(len, lines), initial=0), range(len(lines))))
        self._end = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based line and column; a line past the end (where YAML puts
        the end of a stream without a final newline) is the end of the text."""
        starts = self._starts
        if line > len(starts):
            return self._end
        return starts[line - 1] + column - 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)


_SAME_KEY = object()


class Origin:
    """The first line of a piece of a file whose nodes count their lines from it: setting it moves
    every node of the piece at once (a server re-reading an edited file, see yaml_incremental).
    Such a node's start and end are its relative line and column, packed: ``line << 32 | column``."""

    __slots__ = ("first_line",)
    fixed = False  # a node works out its span on every use: the piece may move

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line

    def span(self, start: int, end: int) -> Span:
        first = self.first_line
        return Span((start >> 32) + first, start & 0xFFFFFFFF, (end >> 32) + first, end & 0xFFFFFFFF)

    def pin(self, node: Node) -> None:
        """Make a node's span (lines counted from 0 at the piece's first line) relative to this origin."""
        line, column, end_line, end_column = node._span
        node.start, node.end, node._lines, node._span = line << 32 | column, end_line << 32 | end_column, self, None


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
            lines = self._lines
            span = lines.span(self.start, self.end)
            if lines.fixed:
                self._span = span
        return span

    @span.setter
    def span(self, span: Span) -> None:
        self._span = span

    @property
    def moves(self) -> bool:
        """Whether the node's place follows its piece of the file (see Origin)."""
        return type(self._lines) is Origin

    def with_value(self, value: Any, key: Node | None | object = _SAME_KEY) -> Node:
        """A node in this node's place with another value (and its key, unless told otherwise):
        a place that moves with its piece keeps moving."""
        return Node(value, self._span, self.key if key is _SAME_KEY else key, self.start, self.end, self._lines)

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
