"""Policies held in strings: the raw IAM API's ``Document``, a template's ``Content``,
``InlinePolicy`` or ``Fn::Sub`` of a JSON body.

The string is parsed in place when the file spells it verbatim (no escapes, not a folded YAML
block), so positions land inside it; otherwise every node gets the whole string's span:
precision degrades, nothing breaks.
"""

from __future__ import annotations

from iamlint.intrinsics import SUB_VARIABLE, opaque
from iamlint.nodes import LineIndex, Node, Span
from iamlint.parsers.json_parser import ParseError, parse_json


def parse_string_policy(node: Node, text: str, lines: LineIndex) -> Node:
    """The JSON document in string node ``node``. Raises ParseError at the string."""
    start = lines.offset(node.span.line, node.span.column)
    end = lines.offset(node.span.end_line, node.span.end_column)
    for inner_start, inner_end in ((start + 1, end - 1), (start, end)):  # quoted, then plain
        if 0 <= inner_start <= inner_end <= len(text) and text[inner_start:inner_end] == node.value:
            return parse_json(text, base=inner_start, lines=lines, end=inner_end).root
    offsets = block_scalar_offsets(text, start, end, node.value)
    if offsets is not None:  # a YAML block (`|`, `>`): its characters are the file's, less indentation
        try:
            return parse_json(node.value, lines=MappedLines(lines, offsets)).root
        except ParseError as error:
            raise ParseError(error.message, offsets[min(error.offset, len(offsets) - 1)]) from None
    value = node.value
    if value.lstrip().startswith("%7B"):  # the IAM API returns documents URL-encoded
        from urllib.parse import unquote

        value = unquote(value)
    try:
        inner = parse_json(value).root
    except ParseError as error:
        raise ParseError(f"the embedded policy is not valid JSON: {error.message}", start) from None
    return respan(inner, node)


def block_scalar_offsets(text: str, start: int, end: int, value: str) -> list[int] | None:
    """The offset in ``text`` of each character of a YAML block scalar's value (``|``, ``>`` and
    their chomping forms), from its indicator at ``start``; None when the value is not its
    lines less their indentation (then positions fall back to the whole block)."""
    if not value or text[start:start + 1] not in ("|", ">"):
        return None
    at = text.find("\n", start, end)
    if at == -1:
        return None
    offsets: list[int] = []
    indent = None
    while at != -1 and at < end and len(offsets) < len(value):
        line_start = at + 1
        at = text.find("\n", line_start, end)
        line_end = at if at != -1 else end
        line = text[line_start:line_end]
        if indent is None:
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip(" "))
        offsets.extend(range(line_start + min(indent, len(line)), line_end))
        if at != -1:
            offsets.append(at)  # the line break: a newline in `|`, a space in `>`
    offsets = offsets[:len(value)]
    if len(offsets) != len(value) or any(text[o] != c and not (text[o] == "\n" and c == " ")
                                         for o, c in zip(offsets, value, strict=True)):
        return None
    return offsets


class MappedLines:
    """Positions of a text whose characters sit elsewhere in a file (a YAML block's value)."""

    __slots__ = ("lines", "offsets")
    fixed = True

    def __init__(self, lines: LineIndex, offsets: list[int]) -> None:
        self.lines = lines  # the file's
        self.offsets = offsets  # the file offset of each character of the text

    def span(self, start: int, end: int) -> Span:
        offsets = self.offsets
        first = offsets[min(start, len(offsets) - 1)]
        last = offsets[min(end, len(offsets)) - 1] + 1 if end > start else first
        return self.lines.span(first, last)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(self.offsets[min(offset, len(self.offsets) - 1)])


def policy_in_string(node: Node, text: str, lines: LineIndex) -> tuple[Node, str] | ParseError | None:
    """(policy node, policy source text) from a string or ``Fn::Sub`` node of a template; a
    ParseError when a literal string is not JSON; None when a ``Fn::Sub`` body only becomes JSON
    once substituted (nothing to judge then)."""
    if type(node.value) is str:
        try:
            return parse_string_policy(node, text, lines), node.value
        except ParseError as error:
            return error
    argument = node.value["Fn::Sub"]
    if type(argument.value) is list and argument.value:
        argument = argument.value[0]
    if type(argument.value) is not str:
        return None
    try:
        inner = parse_string_policy(argument, text, lines)
    except ParseError:
        return None
    return _opaque_variables(inner), ""


def _opaque_variables(node: Node) -> Node:
    """Strings of a ``Fn::Sub`` body that hold ``${Variable}`` become opaque values."""
    value = node.value
    if type(value) is str:
        if SUB_VARIABLE.search(value):
            return node.with_value(opaque(node.with_value({"Fn::Sub": node.with_value(value, key=None)})))
        return node.with_value(value.replace("${!", "${")) if "${!" in value else node
    if type(value) is dict:
        return node.with_value({k: _opaque_variables(v) for k, v in value.items()})
    if type(value) is list:
        return node.with_value([_opaque_variables(v) for v in value])
    return node


def respan(inner: Node, outer: Node) -> Node:
    """Give every node of ``inner`` the span of ``outer``."""
    stack = [inner]
    while stack:
        current = stack.pop()
        current.span = outer.span
        if current.key is not None:
            current.key.span = outer.span
        if current.is_mapping:
            stack.extend(current.value.values())
        elif current.is_sequence:
            stack.extend(current.value)
    return inner
