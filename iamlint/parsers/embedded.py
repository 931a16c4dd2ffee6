"""Policies held in strings: the raw IAM API's ``Document``, a template's ``Content``,
``InlinePolicy`` or ``Fn::Sub`` of a JSON body.

The string is parsed in place when the file spells it verbatim (no escapes, not a folded YAML
block), so positions land inside it; otherwise every node gets the whole string's span:
precision degrades, nothing breaks.
"""

from __future__ import annotations

from iamlint.intrinsics import SUB_VARIABLE, opaque
from iamlint.nodes import LineIndex, Node
from iamlint.parsers.json_parser import ParseError, parse_json


def parse_string_policy(node: Node, text: str, lines: LineIndex) -> Node:
    """The JSON document in string node ``node``. Raises ParseError at the string."""
    start = lines.offset(node.span.line, node.span.column)
    end = lines.offset(node.span.end_line, node.span.end_column)
    for inner_start, inner_end in ((start + 1, end - 1), (start, end)):  # quoted, then plain
        if 0 <= inner_start <= inner_end <= len(text) and text[inner_start:inner_end] == node.value:
            return parse_json(text, base=inner_start, lines=lines, end=inner_end).root
    value = node.value
    if value.lstrip().startswith("%7B"):  # the IAM API returns documents URL-encoded
        from urllib.parse import unquote

        value = unquote(value)
    try:
        inner = parse_json(value).root
    except ParseError as error:
        raise ParseError(f"the embedded policy is not valid JSON: {error.message}", start) from None
    return respan(inner, node)


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
