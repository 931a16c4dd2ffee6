"""Re-reading an edited YAML template: only the parts that changed are parsed again.

A language server re-lints a template on every save, and a save usually changes one resource.
The text is cut where YAML's block structure makes each piece a mapping of its own: at every
top-level key, and inside a block ``Resources:`` at every logical id. Each piece is parsed alone
and remembered by its text; its nodes count their lines from the piece's first line (an
``Origin``), so a piece seen before is not parsed again, even when lines above it came or went:
it moves. The pieces are then put together into the tree ``parse_yaml`` gives for the whole
text, positions included (a test compares the two on every template of the corpus, before and
after edits). Whatever a cut cannot be sure of (anchors, several documents, directives, tabs, a
top level that is not block keys, a piece that does not parse alone) is parsed whole, the
ordinary way.
"""

from __future__ import annotations

import re

from iamlint.nodes import LineIndex, Node, Origin, Span
from iamlint.parsers.json_parser import ParsedJSON, ParseError
from iamlint.parsers.yaml_parser import build_yaml, parse_yaml

# A line that starts at the left margin with something other than a comment.
_TOP_LEVEL = re.compile(r"^[^ \t#\r\n]", re.M)
# A top-level key the cut understands: plain or quoted, not `? complex`, `<<`, `- item`, `{`, `---`, `%`.
_KEY_START = re.compile(r"[A-Za-z0-9_\"']")
# (a comment needs white space before its `#`: `Resources:# x` is no header, but a key of its own)
_RESOURCES = re.compile(r"Resources[ \t]*:(?:[ \t]+#[^\n]*|[ \t]*)\r?\n")
_FIRST_CONTENT = re.compile(r"^( +)[^ \t#\r\n]", re.M)
_TAB_INDENT = re.compile(r"^ *\t", re.M)
_DOCUMENT_START = re.compile(r"---(?:[ \t]+#[^\n]*|[ \t]*)\r?\n")


class _CannotCut(Exception):
    """The text is not one the cut is sure of: parse it whole."""


class _Piece:
    """A piece's text between two offsets, its first line, and the indentation of what follows it."""

    __slots__ = ("start", "end", "first_line", "next_indent", "resources")

    def __init__(self, start: int, end: int, first_line: int, next_indent: int | None) -> None:
        self.start = start
        self.end = end
        self.first_line = first_line
        self.next_indent = next_indent  # None at the end of the text
        self.resources: list[_Piece] | None = None  # the logical ids' pieces of a block `Resources:`


# Line breaks YAML knows besides LF (and CR LF): a lone CR, NEL, LS, PS.
_OTHER_LINE_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class IncrementalYAML:
    """Parses successive versions of one document, re-using the pieces that did not change."""

    def __init__(self) -> None:
        # (text, depth, indentation of what follows) -> (root, duplicate keys, where it starts)
        self.pieces: dict[tuple[str, int, int | None], tuple[Node, list, Origin]] = {}

    def parse(self, text: str) -> ParsedJSON:
        """The same tree as ``parse_yaml(text)``; raises the same ParseError."""
        lines = LineIndex(text)
        try:
            if _OTHER_LINE_BREAK.search(text) is not None:  # YAML counts lines by them; the cut, by LF
                raise _CannotCut
            pieces = _cut(text, lines)
        except _CannotCut:
            pieces = None
        if pieces is not None:
            used: dict = {}
            try:
                return self._assemble(text, lines, pieces, used)
            except (ParseError, _CannotCut):
                pass  # the whole text says what is wrong, and where
            finally:
                self.pieces = used  # remember this version's pieces only
        return parse_yaml(text)

    def _assemble(self, text: str, lines: LineIndex, pieces: list[_Piece], used: dict) -> ParsedJSON:
        duplicates: list[tuple[Node, Node]] = []
        self.huge_numbers: list[tuple[Node, str]] = []
        entries: dict[str, Node] = {}
        start = end = None
        for piece in pieces:
            root, key, value = self._entry(text, piece, 0, duplicates, used)
            start = start or root.span
            end = root.span
            if piece.resources is not None:  # the header read `Resources:` alone; its value is the parts
                resources: dict[str, Node] = {}
                first = None
                for part in piece.resources:
                    part_root, part_key, part_value = self._entry(text, part, 1, duplicates, used)
                    _add(resources, part_key, part_value, duplicates)
                    first = first or part_root.span
                    end = part_root.span
                value = Node(resources, Span(first.line, first.column, end.end_line, end.end_column), key)
            _add(entries, key, value, duplicates)
        root = Node(entries, Span(start.line, start.column, end.end_line, end.end_column))
        return ParsedJSON(root, lines, duplicates, text, self.huge_numbers)

    def _entry(self, text: str, piece: _Piece, depth: int, duplicates: list, used: dict
               ) -> tuple[Node, Node, Node]:
        """A piece's own root (a mapping of one key), that key and its value."""
        source = text[piece.start:piece.end]
        # what follows a piece is in its key: it decides where the piece's collections end
        cache_key = (source, depth, piece.next_indent)
        # a piece's nodes are in one place at a time: a text seen twice in one version is read twice
        parsed = self.pieces.get(cache_key) if cache_key not in used else None
        if parsed is None:
            builder = build_yaml(source, 0, depth)  # lines counted from 0: relative to the piece
            if piece.next_indent is not None:
                # alone, the piece's collections end where its text ends (column 1 of the next
                # line); in the whole text they end where the next key starts
                for node in builder.at_end:
                    span = node.span
                    node.span = Span(span.line, span.column, span.end_line, piece.next_indent + 1)
            origin = Origin(piece.first_line)
            _pin(builder.root, builder.duplicates, origin)
            parsed = (builder.root, builder.duplicates, origin, builder.huge_numbers)
        else:
            parsed[2].first_line = piece.first_line  # lines above it came or went: the same piece, moved
        used[cache_key] = parsed
        root, inner_duplicates, _, huge_numbers = parsed
        if type(root.value) is not dict or len(root.value) != 1:
            raise _CannotCut
        duplicates.extend(inner_duplicates)
        self.huge_numbers.extend(huge_numbers)
        ((name, value),) = root.value.items()
        return root, value.key, value


def _pin(root: Node, duplicates: list, origin: Origin) -> None:
    """Make every node of a piece count its lines from the piece's origin."""
    pin = origin.pin
    stack = [root]
    while stack:
        node = stack.pop()
        pin(node)
        if node.key is not None:
            pin(node.key)
        value = node.value
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    for first, second in duplicates:  # the first of two is no longer in the tree (the last one wins)
        for key in (first, second):
            if not key.moves:
                pin(key)


def _add(entries: dict[str, Node], key: Node, value: Node, duplicates: list) -> None:
    """An entry, as the parser adds it: a repeated key is a duplicate, and the last one wins."""
    previous = entries.get(key.value)
    if previous is not None:
        duplicates.append((previous.key, key))
        del entries[key.value]
    entries[key.value] = value


def _cut(text: str, lines: LineIndex) -> list[_Piece]:
    """The pieces of the top level (the one for a block ``Resources:`` cut at its logical ids)."""
    if "&" in text or _TAB_INDENT.search(text):
        raise _CannotCut  # anchors tie pieces together; tabs confuse indentation
    starts = [m.start() for m in _TOP_LEVEL.finditer(text)]
    if starts and _DOCUMENT_START.match(text, starts[0]):
        starts.pop(0)  # a leading `---` belongs to the first piece
    if not starts:
        raise _CannotCut
    for start in starts:
        if not _KEY_START.match(text, start):
            raise _CannotCut
    pieces = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        next_indent = 0 if end < len(text) else None
        piece_start = 0 if index == 0 else start  # comments before the first key are the first piece's
        piece = _Piece(piece_start, end, lines.position(piece_start)[0], next_indent)
        header = _RESOURCES.match(text, start)
        if header is not None:
            indent, parts = _cut_resources(text, header.end(), end, next_indent, lines)
            if parts:
                piece.end, piece.next_indent, piece.resources = parts[0].start, indent, parts
        pieces.append(piece)
    return pieces


def _cut_resources(text: str, start: int, end: int, next_indent: int | None, lines: LineIndex
                   ) -> tuple[int, list[_Piece]]:
    """The indentation of the logical ids of a block ``Resources:`` body between two offsets, and
    one piece per logical id."""
    first = _FIRST_CONTENT.search(text, start, end)
    if first is None:
        return 0, []  # an empty body: the header piece is all there is
    indent = len(first.group(1))
    if indent > 1 and re.compile(rf"^ {{1,{indent - 1}}}[^ \t#\r\n]", re.M).search(text, start, end):
        raise _CannotCut  # a line less indented than the logical ids
    starts = [m.start() for m in re.compile(rf"^ {{{indent}}}[^ \t#\r\n]", re.M).finditer(text, start, end)]
    for part_start in starts:
        if not _KEY_START.match(text, part_start + indent):
            raise _CannotCut
    parts = []
    for index, part_start in enumerate(starts):
        last = index + 1 == len(starts)
        parts.append(_Piece(part_start, end if last else starts[index + 1], lines.position(part_start)[0],
                            next_indent if last else indent))
    return indent, parts
