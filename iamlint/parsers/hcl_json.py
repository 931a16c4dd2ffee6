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

import re

from iamlint.nodes import LineIndex, Node
from iamlint.parsers.hcl_strings import (QUOTED_ESCAPE, TEMPLATE_ESCAPE, heredoc_range, quoted_range, template_holes,
                                         unescape)
from iamlint.parsers.hcl_nodes import opaque
from iamlint.parsers.json_parser import ParsedJSON, ParseError, parse_json

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
    masked_holes: list[tuple[int, int, bool]] = []  # in decoded offsets
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
        masked_holes.append((length, length + hole_end - hole_start, directive))
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
    try:
        if starts is None:
            parsed = parse_json(text[:start] + decoded + text[end:], base=start, lines=lines, end=end)
            parsed.text = text
        else:
            parsed = parse_json(decoded, lines=lines)
            _remap(parsed, starts, ends, start)
            parsed.text = text
    except ParseError as error:
        offset = error.offset - start if starts is None else error.offset
        if any(_touches(decoded, offset, s, e) for s, e, _ in masked_holes):
            return None
        if starts is not None:
            error.offset = starts[offset] if offset < len(starts) else end
        raise
    if masked_holes:
        parsed.root = _opaque_holes(parsed.root, mark, text, lines)
    return parsed


def _private_use(text: str) -> str:
    """A private-use character the text does not hold."""
    for code in range(0xE000, 0xF900):
        if chr(code) not in text:
            return chr(code)
    return "\uE000"  # pragma: no cover - a text holding all 6,400 of them


def _mask(decoded: str, holes: list[tuple[int, int, bool]], mark: str) -> str:
    """Each hole replaced by a placeholder of its length, chosen by whether it sits in a JSON string."""
    out = []
    at = 0
    in_string = False
    for hole_start, hole_end, directive in holes:
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


def _opaque_holes(node: Node, mark: str, text: str, lines: LineIndex) -> Node:
    """Strings holding a placeholder become opaque values; so does an object with such a key."""
    value = node.value
    if type(value) is str:
        if mark not in value:
            return node
    elif type(value) is dict:
        if not any(mark in key for key in value):
            for key, child in value.items():
                new = _opaque_holes(child, mark, text, lines)
                if new is not child:
                    value[key] = new
            return node
    elif type(value) is list:
        for index, child in enumerate(value):
            new = _opaque_holes(child, mark, text, lines)
            if new is not child:
                value[index] = new
        return node
    else:
        return node
    replacement = opaque(text[node.start:node.end], node.start, node.end, lines)
    replacement.key = node.key
    return replacement
