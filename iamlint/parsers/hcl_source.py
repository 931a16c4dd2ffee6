"""Where things are in an HCL text: tree-sitter counts bytes, iamlint counts code points.

``HCLSource`` holds a text, its line index and the byte -> code-point map, and turns a
tree-sitter node into offsets, source text and positioned nodes; ``HCLFile`` (``hcl``) is one,
and the expression and string helpers (``hcl_values``, ``hcl_strings``) only need this much.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from iamlint.nodes import LineIndex, Node

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class Offsets:
    """Byte offsets of a text's UTF-8 encoding to code-point offsets, and back. Only the
    non-ASCII characters are listed; an ASCII text maps every offset to itself."""

    __slots__ = ("_bytes", "_chars", "_extra", "mapped")

    def __init__(self, text: str) -> None:
        self._bytes: list[int] = []  # byte offset of each non-ASCII character
        self._chars: list[int] = []  # its code-point offset
        self._extra: list[int] = []  # bytes beyond one per character, up to and including it
        self.mapped = not text.isascii()
        if not self.mapped:
            return
        extra = 0
        for run in _NON_ASCII.finditer(text):
            for at, char in enumerate(run.group(), run.start()):
                self._bytes.append(at + extra)
                self._chars.append(at)
                code = ord(char)
                extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3
                self._extra.append(extra)

    def char(self, byte: int) -> int:
        if not self._bytes:
            return byte
        before = bisect_left(self._bytes, byte)
        return byte - self._extra[before - 1] if before else byte

    def byte(self, char: int) -> int:
        if not self._chars:
            return char
        before = bisect_left(self._chars, char)
        return char + self._extra[before - 1] if before else char



class HCLSource:
    """A text with its line index and byte -> code-point map."""

    __slots__ = ("text", "lines", "offsets")

    def __init__(self, text: str, lines: LineIndex | None = None) -> None:
        self.text = text
        self.lines = lines or LineIndex(text)
        self.offsets = Offsets(text)

    def start(self, ts: Any) -> int:
        """The code-point offset where tree-sitter node ``ts`` starts."""
        return self.offsets.char(ts.start_byte)

    def end(self, ts: Any) -> int:
        return self.offsets.char(ts.end_byte)

    def node(self, value: Any, ts: Any) -> Node:
        """A node with ``value`` at the place of tree-sitter node ``ts``."""
        chars = self.offsets.char
        return Node(value, start=chars(ts.start_byte), end=chars(ts.end_byte), lines=self.lines)

    def source(self, ts: Any) -> str:
        return self.text[self.start(ts):self.end(ts)]
