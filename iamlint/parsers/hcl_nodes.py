"""HCL expressions to iamlint nodes, and how values iamlint cannot know are spelled.

``to_node`` turns literals, tuples, objects and ``jsonencode(...)`` into the same positioned
``Node`` tree policy JSON gives; what it cannot know (references, other calls, templates with
interpolations, ``for``, operators, splats, objects with computed keys) is an opaque node with
its span and source text, unless the reader's ``resolve`` hook supplies a value. How opaque
values, conditionals and ``null`` are spelled lives in three small functions at the top, so the
engine's spelling can change in one place.
"""

from __future__ import annotations

from iamlint.intrinsics import intrinsic_name
from iamlint.nodes import Node

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from iamlint.parsers.hcl_values import Expr

MAX_DEPTH = 256  # deeper values become opaque (no recursion limit reached, whatever the input)


# --- how values iamlint cannot know are spelled -------------------------------------------------

def opaque(source: str, start: int, end: int, lines: Any) -> Node:
    """A value known only at plan time: ``{"Fn::Terraform": <source text>}``, which
    ``intrinsics.intrinsic_name`` recognises, so no rule reads it as ``*`` or calls it invalid."""
    return Node({"Fn::Terraform": Node(source, start=start, end=end, lines=lines)}, start=start, end=end, lines=lines)


def alternatives(condition: Node, branches: list[Node], start: int, end: int, lines: Any) -> Node:
    """``c ? a : b``: one branch or the other, spelled as CloudFormation's ``Fn::If``
    (``{"Fn::If": [<condition source text>, a, b]}``) so ``intrinsics.resolve`` checks both."""
    return Node({"Fn::If": Node([condition, *branches], start=start, end=end, lines=lines)},
                start=start, end=end, lines=lines)


def absent(start: int, end: int, lines: Any) -> Node:
    """``null``: the value is not set, spelled as ``{"Ref": "AWS::NoValue"}``, which
    ``intrinsics.resolve`` removes."""
    return Node({"Ref": Node("AWS::NoValue", start=start, end=end, lines=lines)}, start=start, end=end, lines=lines)


# --- conversion -----------------------------------------------------------------------------

def to_node(expr: Expr, resolve: Callable[[Expr], Node | None] | None = None,
            duplicates: list[tuple[Node, Node]] | None = None, _depth: int = 0) -> Node:
    """The value of ``expr`` as a positioned node. ``resolve(expr)`` is asked about every
    expression this function cannot read itself (references, calls other than ``jsonencode``,
    templates with interpolations, objects with computed keys, ...); when it returns None the
    value is opaque. Repeated object keys are appended to ``duplicates`` as (first, second)."""
    kind = expr.kind
    lines = expr.file.lines
    if _depth > MAX_DEPTH:
        return opaque(expr.text, expr.start, expr.end, lines)
    if kind == "parens" and expr.inner is not None:
        return to_node(expr.inner, resolve, duplicates, _depth + 1)
    if kind == "template":
        inner = expr.interpolated
        if inner is not None:  # "${x}" is x; if x is unknown, the whole string is the opaque value
            value = to_node(inner, resolve, duplicates, _depth + 1)
            if intrinsic_name(value) != "Fn::Terraform":
                return value
            return opaque(expr.text, expr.start, expr.end, lines)  # resolve was asked about x already
    if kind == "string":
        return expr.node(expr.string())
    if kind in ("number", "operation"):
        number = expr.number()
        if number is not None:
            return expr.node(number)
    elif kind == "bool":
        return expr.node(expr.bool())
    elif kind == "null":
        return absent(expr.start, expr.end, lines)
    elif kind == "heredoc":
        value = expr.string()
        if value is not None:
            return expr.node(value)
    elif kind == "tuple":
        return expr.node([to_node(e, resolve, duplicates, _depth + 1) for e in expr.elements()])
    elif kind == "object":
        members = expr.members()
        if all(key is not None for key, _, _ in members):
            entries: dict[str, Node] = {}
            for key, _, value in members:
                child = to_node(value, resolve, duplicates, _depth + 1)
                child = keyed(child, key, resolve)
                previous = entries.pop(key.value, None)
                if previous is not None and duplicates is not None:
                    duplicates.append((previous.key, key))
                entries[key.value] = child
            return expr.node(entries)
    elif kind == "conditional":
        parts = expr.conditional()
        if parts is not None:
            condition, when_true, when_false = parts
            return alternatives(condition.node(condition.text),
                                [to_node(when_true, resolve, duplicates, _depth + 1),
                                 to_node(when_false, resolve, duplicates, _depth + 1)],
                                expr.start, expr.end, lines)
    elif kind == "call":
        call = expr.call()
        if call is not None and call.name == "jsonencode" and len(call.args) == 1 and not call.expand:
            return to_node(call.args[0], resolve, duplicates, _depth + 1)
    if resolve is not None:
        resolved = resolve(expr)
        if resolved is not None:
            return resolved
    return opaque(expr.text, expr.start, expr.end, lines)


def keyed(node: Node, key: Node, resolve: Any) -> Node:
    """``node`` as the value of ``key``: itself when this module made it, a copy when it may
    be the resolver's (a local's value used twice keeps its own key)."""
    if resolve is None:
        node.key = key
        return node
    return node.with_value(node.value, key=key)
