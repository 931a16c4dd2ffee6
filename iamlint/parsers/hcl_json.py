"""JSON written inside HCL strings and templates: heredocs, quoted strings, template files.

Every ``${...}`` and ``%{...}`` is masked with a placeholder of the same length, so iamlint's
JSON parser reads the text in place and every node keeps its exact position, also after an
interpolation on the same line: inside a JSON string the placeholder is private-use characters
(the string becomes an opaque value), in value position a quoted placeholder (an opaque value),
and a directive tag outside strings is blanked (``%{ if x }`` around a statement keeps the
statement readable). HCL escapes (``\\"`` in a quoted string, ``$${`` in both kinds) are decoded
first; positions then go through a decoded -> source map. A JSON error next to a placeholder
(an interpolation in key or member position, a ``%{ for }`` loop) makes the whole value opaque;
an error anywhere else is a real syntax error at its position in the source.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left

from iamlint.nodes import LineIndex, Node
from iamlint.parsers.hcl_nodes import opaque
from iamlint.parsers.hcl_strings import (
    QUOTED_ESCAPE,
    TEMPLATE_ESCAPE,
    heredoc_range,
    quoted_range,
    template_holes,
    unescape,
)
from iamlint.parsers.json_parser import ParsedJSON, ParseError, parse_json
from iamlint.values import Unknown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.parsers.hcl_values import Expr

_JSON_QUOTE = re.compile(r'\\.|"', re.DOTALL)
_BLANK = " \t\r\n"


def parse_string_json(expr: Expr) -> ParsedJSON | None:
    """The JSON document in a quoted string, template or heredoc expression, positioned in the
    HCL file; None when the expression is not a string. Raises ParseError (offset in the file)
    for a JSON error away from any interpolation."""
    expr = expr.unwrapped()
    kind = expr.kind
    if kind not in ("string", "template", "heredoc"):
        return None
    file, ts = expr.file, expr._inner
    if kind == "heredoc":
        start, end = heredoc_range(file, ts)
    else:
        start, end = quoted_range(file, ts)
    holes = [] if kind == "string" else [(s, e, h.type != "template_interpolation")
                                          for s, e, h in template_holes(file, ts)]
    parsed = _parse_masked(file.text, start, end, holes, kind != "heredoc", file.lines)
    if parsed is None:
        return ParsedJSON(opaque(expr.text, expr.start, expr.end, file.lines), file.lines, [], file.text)
    return parsed


def parse_template_json(text: str, template: bool = True) -> ParsedJSON:
    """A JSON file read by ``templatefile()`` (``template=True``: ``${...}``/``%{...}`` masked
    as in a heredoc) or by ``file()`` (plain JSON), positioned in that file. Raises ParseError
    for a JSON error away from any interpolation, and HCLUnavailable when a template has
    interpolations and tree-sitter-hcl cannot be loaded."""
    lines = LineIndex(text)
    if not template or ("${" not in text and "%{" not in text):
        return parse_json(text, lines=lines)
    from iamlint.parsers.hcl import parse_hcl

    marker = "IAMLINT_TEMPLATE_END"
    while marker in text:
        marker += "_"
    head = f"t = <<{marker}\n"
    wrapped = parse_hcl(f"{head}{text}\n{marker}\n")
    shift = len(head)
    error = wrapped.error
    if error is not None:
        raise ParseError(f"invalid template: {error.message.removeprefix('syntax error: ')}",
                         min(max(error.offset - shift, 0), len(text)))
    attribute = wrapped.body.attribute("t")
    holes = []
    if attribute is not None and attribute.expr.kind == "heredoc":
        holes = [(s - shift, e - shift, h.type != "template_interpolation")
                 for s, e, h in template_holes(wrapped, attribute.expr._inner) if s >= shift]
    parsed = _parse_masked(text, 0, len(text), holes, False, lines)
    if parsed is None:
        return ParsedJSON(opaque(text, 0, len(text), lines), lines, [], text)
    return parsed


def _parse_masked(text: str, start: int, end: int, holes: list[tuple[int, int, bool]], quoted: bool,
                  lines: LineIndex) -> ParsedJSON | None:
    """Parse ``text[start:end]`` as JSON with ``holes`` (start, end, is_directive) masked;
    None when the JSON only fails next to a hole."""
    escape = QUOTED_ESCAPE if quoted else TEMPLATE_ESCAPE
    pieces: list[str] = []
    # decoded offset -> source offset, only where decoding changed a length
    starts: list[int] | None = None
    ends: list[int] | None = None
    masked_holes: list[tuple] = []  # (start, end) in decoded offsets, is_directive, (start, end) in the source
    length = 0

    def identity_map() -> None:
        nonlocal starts, ends
        starts = list(range(start, start + length))
        ends = list(range(start + 1, start + length + 1))

    def literal(at: int, stop: int) -> None:
        nonlocal length
        stretch = text[at:stop]
        if "\\" in stretch or "$${" in stretch or "%%{" in stretch:
            for match in escape.finditer(text, at, stop):
                if starts is None:
                    identity_map()
                plain = text[at:match.start()]
                pieces.append(plain)
                starts.extend(range(at, match.start()))
                ends.extend(range(at + 1, match.start() + 1))
                value = unescape(match)
                pieces.append(value)
                starts.extend([match.start()] * len(value))
                ends.extend([match.end()] * len(value))
                length += len(plain) + len(value)
                at = match.end()
            stretch = text[at:stop]
        pieces.append(stretch)
        if starts is not None:
            starts.extend(range(at, stop))
            ends.extend(range(at + 1, stop + 1))
        length += len(stretch)

    at = start
    for hole_start, hole_end, directive in holes:
        if hole_start < at or hole_end > end:
            continue
        literal(at, hole_start)
        masked_holes.append((length, length + hole_end - hole_start, directive, hole_start, hole_end))
        pieces.append(text[hole_start:hole_end])
        if starts is not None:
            starts.extend(range(hole_start, hole_end))
            ends.extend(range(hole_start + 1, hole_end + 1))
        length += hole_end - hole_start
        at = hole_end
    literal(at, end)
    decoded = "".join(pieces)

    mark = _private_use(decoded)
    if masked_holes:
        decoded = _mask(decoded, masked_holes, mark)
    # offsets of the parse: the source's when nothing was decoded (parsed in place), else the decoded text's
    shift = start if starts is None else 0
    parse_text = text[:start] + decoded + text[end:] if starts is None else decoded
    try:
        parsed = parse_json(parse_text, base=shift, lines=lines, end=shift + len(decoded))
    except ParseError as error:
        offset = error.offset - shift
        if any(_touches(decoded, offset, hole[0], hole[1]) for hole in masked_holes):
            return None
        if starts is not None:
            error.offset = starts[offset] if offset < len(starts) else end
        raise
    if masked_holes:
        if starts is None:
            def to_source(a: int, b: int) -> tuple[int, int]:
                return a, b
        else:
            def to_source(a: int, b: int) -> tuple[int, int]:
                return (starts[a] if a < len(starts) else end), (ends[b - 1] if b > 0 else start)
        holes_here = [(a + shift, b + shift, directive, c, d) for a, b, directive, c, d in masked_holes]
        parsed.root = _opaque_holes(parsed.root, _Holes(mark, parse_text, holes_here, text, to_source, lines))
    if starts is not None:
        _remap(parsed, starts, ends, start)
    parsed.text = text
    return parsed


def _private_use(text: str) -> str:
    """A private-use character the text does not hold."""
    for code in range(0xE000, 0xF900):
        if chr(code) not in text:
            return chr(code)
    return "\uE000"  # pragma: no cover - a text holding all 6,400 of them


def _mask(decoded: str, holes: list[tuple], mark: str) -> str:
    """Each hole replaced by a placeholder of its length, chosen by whether it sits in a JSON string."""
    out = []
    at = 0
    in_string = False
    for hole_start, hole_end, directive, _, _ in holes:
        for quote in _JSON_QUOTE.finditer(decoded, at, hole_start):
            if quote.group() == '"':
                in_string = not in_string
        out.append(decoded[at:hole_start])
        width = hole_end - hole_start
        if in_string:
            out.append(mark * width)
        elif directive:
            out.append(" " * width)
        else:
            out.append('"' + mark * (width - 2) + '"')
        at = hole_end
    out.append(decoded[at:])
    return "".join(out)


def _touches(decoded: str, offset: int, hole_start: int, hole_end: int) -> bool:
    """Whether a JSON error at ``offset`` is inside a hole or separated from it by blanks only."""
    low, high = offset, offset + 1
    while low > 0 and decoded[low - 1] in _BLANK:
        low -= 1
    while high < len(decoded) and decoded[high] in _BLANK:
        high += 1
    return hole_start <= high and hole_end >= low


def _remap(parsed: ParsedJSON, starts: list[int], ends: list[int], base: int) -> None:
    """Move every node from decoded offsets to source offsets."""
    seen: set[int] = set()
    stack: list[Node] = [parsed.root]
    for first, second in parsed.duplicates:
        stack.extend((first, second))
    size = len(starts)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start = starts[node.start] if node.start < size else (ends[-1] if ends else base)
        node.end = ends[node.end - 1] if node.end > 0 else base
        if node.key is not None:
            stack.append(node.key)
        value = node.value
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)


class _Holes:
    """What turning placeholder strings into opaque values needs: the placeholder character,
    the parsed text and its holes in the parse's offsets, and the way back to the source."""

    __slots__ = ("mark", "parsed", "holes", "starts", "source", "to_source", "lines")

    def __init__(self, mark, parsed, holes, source, to_source, lines) -> None:
        self.mark = mark
        self.parsed = parsed
        self.holes = holes  # (start, end, is_directive, source start, source end), in order
        self.starts = [hole[0] for hole in holes]
        self.source = source
        self.to_source = to_source
        self.lines = lines

    def opaque(self, node: Node, parts: tuple | None) -> Node:
        start, end = self.to_source(node.start, node.end)
        replacement = opaque(self.source[start:end], node.start, node.end, self.lines, parts)
        replacement.key = node.key
        return replacement

    def parts(self, start: int, end: int) -> tuple | None:
        """The known text and unknown values of the JSON string at ``start:end`` (quotes
        included); None when a directive is in it."""
        parts: list = []
        at = start + 1
        index = bisect_left(self.starts, at)
        while index < len(self.holes) and self.holes[index][1] <= end - 1:
            hole_start, hole_end, directive, source_start, source_end = self.holes[index]
            if directive:
                return None
            if hole_start > at:
                parts.append(_json_text(self.parsed[at:hole_start]))
            parts.append(Unknown(self.source[source_start + 2:source_end - 1].strip("~ \t\r\n")))
            at = hole_end
            index += 1
        if at < end - 1:
            parts.append(_json_text(self.parsed[at:end - 1]))
        return tuple(parts)

    def whole(self, start: int, end: int) -> bool:
        """Whether ``start:end`` is one placeholder in value position (a ``${...}`` as a value)."""
        index = bisect_left(self.starts, start)
        return index < len(self.holes) and self.holes[index][0] == start and self.holes[index][1] == end


def _json_text(piece: str) -> str:
    try:
        return json.loads(f'"{piece}"')
    except ValueError:
        return piece


def _opaque_holes(node: Node, holes: _Holes) -> Node:
    """Strings holding a placeholder become opaque values; so does an object with such a key."""
    mark = holes.mark
    value = node.value
    if type(value) is str:
        if mark not in value:
            return node
        if holes.whole(node.start, node.end):
            return holes.opaque(node, None)
        return holes.opaque(node, holes.parts(node.start, node.end))
    if type(value) is dict:
        if any(mark in key for key in value):
            return holes.opaque(node, None)
        for key, child in value.items():
            new = _opaque_holes(child, holes)
            if new is not child:
                value[key] = new
    elif type(value) is list:
        for index, child in enumerate(value):
            new = _opaque_holes(child, holes)
            if new is not child:
                value[index] = new
    return node
