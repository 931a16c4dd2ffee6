"""HCL expressions to iamlint nodes, and how values iamlint cannot know are spelled.

``to_node`` turns literals, tuples, objects and ``jsonencode(...)`` into the same positioned
``Node`` tree policy JSON gives; what it cannot know (references, other calls, templates with
interpolations, ``for``, operators, splats, objects with computed keys) is an opaque value
(``iamlint.values.Opaque``) with its span and source text, unless the reader's ``resolve`` hook
supplies a value. ``c ? a : b`` is an ``Alternatives`` value and ``null`` is absent (None: the
member or element is left out), as CloudFormation's ``Fn::If`` and ``AWS::NoValue`` become.
The three small functions at the top are the only places that spell them.
"""

from __future__ import annotations

from iamlint.nodes import Node
from iamlint.values import Alternatives, Opaque, Unknown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from iamlint.parsers.hcl_values import Expr

MAX_DEPTH = 256  # deeper values become opaque (no recursion limit reached, whatever the input)
ABSENT = object()  # what a resolve hook returns for a value it knows to be null


# --- how values iamlint cannot know are spelled -------------------------------------------------

def opaque(source: str, start: int, end: int, lines: Any, parts: tuple | None = None) -> Node:
    """A value known only at plan time, written ``source``; ``parts`` are the pieces of a string
    built from known text and unknown values (``"arn:${var.p}:s3:::b"`` -> ``("arn:",
    Unknown("var.p"), ":s3:::b")``)."""
    return Node(Opaque(source, parts), start=start, end=end, lines=lines)


def alternatives(condition: str, if_true: Node | None, if_false: Node | None, start: int, end: int,
                 lines: Any) -> Node:
    """``c ? a : b``: one branch or the other (None: absent), ``condition`` its source text, so
    the same condition written twice is one condition."""
    return Node(Alternatives(condition, if_true, if_false), start=start, end=end, lines=lines)


def absent(start: int, end: int, lines: Any) -> Node | None:
    """``null``: not set; its member or element is left out."""
    return None


def unknown(expr: Expr) -> Unknown:
    """An interpolated value as a piece of a string: named by its expression (``var.p``)."""
    return Unknown(expr.text)


# --- conversion -----------------------------------------------------------------------------

def to_node(expr: Expr, resolve: Callable[[Expr], Any] | None = None,
            duplicates: list[tuple[Node, Node]] | None = None, _depth: int = 0) -> Node | None:
    """The value of ``expr`` as a positioned node, or None for ``null``. ``resolve(expr)`` is
    asked about every expression this function cannot read itself (references, calls other than
    ``jsonencode``, templates with interpolations, objects with computed keys, ...) and returns a
    node, ``ABSENT`` for null, or None: then the value is opaque. Repeated object keys are
    appended to ``duplicates`` as (first key, second key)."""
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
            if value is None or type(value.value) is not Opaque:
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
        items = (to_node(e, resolve, duplicates, _depth + 1) for e in expr.elements())
        return expr.node([item for item in items if item is not None])
    elif kind == "object":
        members = expr.members()
        if all(key is not None for key, _, _ in members):
            entries: dict[str, Node] = {}
            for key, _, value in members:
                previous = entries.pop(key.value, None)
                if previous is not None and duplicates is not None:
                    duplicates.append((previous.key, key))
                child = to_node(value, resolve, duplicates, _depth + 1)
                if child is not None:
                    entries[key.value] = keyed(child, key, resolve)
            return expr.node(entries)
    elif kind == "conditional":
        parts = expr.conditional()
        if parts is not None:
            condition, when_true, when_false = parts
            return alternatives(condition.text, to_node(when_true, resolve, duplicates, _depth + 1),
                                to_node(when_false, resolve, duplicates, _depth + 1), expr.start, expr.end, lines)
    elif kind == "call":
        call = expr.call()
        if call is not None and call.name == "jsonencode" and len(call.args) == 1 and not call.expand:
            return to_node(call.args[0], resolve, duplicates, _depth + 1)
    if resolve is not None:
        resolved = resolve(expr)
        if resolved is ABSENT:
            return None
        if resolved is not None:
            return resolved
    return opaque(expr.text, expr.start, expr.end, lines, _string_parts(expr))


def _string_parts(expr: Expr) -> tuple | None:
    """The known and unknown pieces of a quoted template (None when a directive is in it)."""
    if expr.kind != "template":
        return None
    parts = []
    for piece in expr.template_parts() or ():
        if piece is None:
            return None
        parts.append(piece if type(piece) is str else unknown(piece))
    return tuple(parts)


def keyed(node: Node, key: Node, resolve: Any) -> Node:
    """``node`` as the value of ``key``: itself when this module made it, a copy when it may
    be the resolver's (a local's value used twice keeps its own key)."""
    if resolve is None:
        node.key = key
        return node
    return node.with_value(node.value, key=key)
