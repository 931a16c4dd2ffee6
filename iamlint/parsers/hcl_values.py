"""HCL expressions: what a reader asks about them.

``Expr`` wraps one tree-sitter ``expression`` of an ``HCLFile`` and answers without building
anything: its kind, its source text and span, a literal's value, a reference's path
(``data.aws_iam_policy_document.x.json``), a call's name and arguments, a conditional's parts,
a template's pieces and the string it spells once ``path.module`` is known. ``hcl_nodes`` turns
an expression into iamlint nodes.
"""

from __future__ import annotations

from iamlint.nodes import Node, Span
from iamlint.parsers.hcl_strings import (
    decode,
    dedent_width,
    heredoc_range,
    is_flush,
    quoted_range,
    string_value,
    template_holes,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.parsers.hcl_source import HCLSource

class Splat:
    """``[*]`` or ``.*`` in a reference path."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SPLAT"


SPLAT = Splat()


class Call:
    """``name(args...)``: the function's name (``provider::aws::arn_parse`` included), its name
    as a node, the argument expressions, and whether the last one is expanded (``f(xs...)``)."""

    __slots__ = ("name", "name_node", "args", "expand")

    def __init__(self, name: str, name_node: Node, args: list[Expr], expand: bool) -> None:
        self.name = name
        self.name_node = name_node
        self.args = args
        self.expand = expand

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Call({self.name!r}, {len(self.args)} args)"


_LITERAL_KINDS = {"string_lit": "string", "numeric_lit": "number", "bool_lit": "bool", "null_lit": "null"}
_OTHER_KINDS = {"variable_expr": "traversal", "function_call": "call", "conditional": "conditional"}
_SKIPPED = ("comment", "ERROR")


def _parts(ts: Any) -> list[Any]:
    return [c for c in ts.children if c.type not in _SKIPPED]


class Expr:
    """One HCL expression of a file. ``kind`` is one of: string, number, bool, null (literals),
    template (a quoted string with ``${}``/``%{}``), heredoc, tuple, object, traversal
    (``var.x``, ``data.a.b.json``, ``local.m["k"]``), index (``[a, b][0]``, ``f().x``), call,
    conditional, for, operation, parens."""

    __slots__ = ("file", "ts", "_kind", "_inner")

    def __init__(self, file: HCLSource, ts: Any) -> None:
        self.file = file
        self.ts = ts  # an `expression` node
        self._kind: str | None = None
        self._inner: Any = None  # the node that says what the expression is

    # --- place ---
    @property
    def start(self) -> int:
        return self.file.start(self.ts)

    @property
    def end(self) -> int:
        return self.file.end(self.ts)

    @property
    def span(self) -> Span:
        return self.file.lines.span(self.start, self.end)

    @property
    def text(self) -> str:
        """The source text, as written."""
        return self.file.text[self.start:self.end]

    @property
    def has_error(self) -> bool:
        return self.ts.has_error

    def node(self, value: Any) -> Node:
        """A node holding ``value`` at this expression's place."""
        return Node(value, start=self.start, end=self.end, lines=self.file.lines)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Expr({self.kind}, {self.text[:40]!r})"

    # --- what it is ---
    @property
    def kind(self) -> str:
        if self._kind is None:
            self._kind, self._inner = self._classify()
        return self._kind

    def _classify(self) -> tuple[str, Any]:
        parts = _parts(self.ts)
        if not parts:
            return "operation", self.ts
        first = parts[0]
        kind = first.type
        if kind == "(":
            return "parens", parts[1] if len(parts) > 1 else first
        if len(parts) > 1:
            return ("traversal" if kind == "variable_expr" else "index"), first
        if kind == "literal_value":
            value = first.child(0)
            return _LITERAL_KINDS.get(value.type, "operation"), value
        if kind == "template_expr":
            value = first.child(0)
            return ("heredoc" if value.type == "heredoc_template" else "template"), value
        if kind == "collection_value":
            value = first.child(0)
            return value.type, value  # tuple / object
        if kind == "operation":
            return "operation", first.child(0)
        if kind == "for_expr":
            return "for", first.child(0)
        return _OTHER_KINDS.get(kind, kind), first

    @property
    def inner(self) -> Expr | None:
        """The expression in parentheses, for ``(expr)``."""
        if self.kind != "parens" or self._inner.type != "expression":
            return None
        return Expr(self.file, self._inner)

    @property
    def interpolated(self) -> Expr | None:
        """The expression of a template that is one interpolation and nothing else (``"${x}"``,
        Terraform 0.11's way to write ``x``, which it is equal to since 0.12)."""
        if self.kind != "template":
            return None
        holes = template_holes(self.file, self._inner)
        if len(holes) != 1 or (holes[0][0], holes[0][1]) != quoted_range(self.file, self._inner):
            return None
        expression = holes[0][2].child(1)
        return Expr(self.file, expression) if holes[0][2].type == "template_interpolation" and \
            expression is not None and expression.type == "expression" else None

    def unwrapped(self) -> Expr:
        """This expression without the parentheses around it, nor a ``"${...}"`` (see
        ``interpolated``)."""
        expr = self
        while True:
            inner = expr.inner if expr.kind == "parens" else expr.interpolated
            if inner is None:
                return expr
            expr = inner

    # --- literals ---
    def string(self) -> str | None:
        """The value of a literal string or of a heredoc without interpolations, else None."""
        kind = self.kind
        if kind == "string":
            return string_value(self.file, self._inner)
        if kind == "heredoc" and not template_holes(self.file, self._inner):
            return self.render({})
        return None

    def number(self) -> int | float | None:
        """The value of a number literal (``-`` before it included), else None."""
        expr, sign = self.unwrapped(), 1
        if expr.kind == "operation" and expr._inner.type == "unary_operation":
            operator, operand = expr._inner.child(0), expr._inner.child(1)
            if operator.type != "-" or operand is None or operand.type != "literal_value" \
                    or operand.child(0).type != "numeric_lit":
                return None
            literal, sign = self.file.source(operand), -1
        elif expr.kind == "number":
            literal = expr.file.source(expr._inner)
        else:
            return None
        try:
            return sign * (int(literal) if literal.isdigit() else float(literal))
        except ValueError:
            return None

    def bool(self) -> bool | None:
        return self.file.source(self._inner) == "true" if self.kind == "bool" else None

    # --- collections ---
    def elements(self) -> list[Expr]:
        """The element expressions of a tuple ``[a, b]`` (empty for anything else)."""
        if self.kind != "tuple":
            return []
        return [Expr(self.file, c) for c in self._inner.children if c.type == "expression"]

    def members(self) -> list[tuple[Node | None, Expr, Expr]]:
        """The members of an object ``{k = v}``: (key node, key expression, value expression);
        the key node is None when the key is not literal (``(expr)``, a template, a reference)."""
        if self.kind != "object":
            return []
        members = []
        for element in self._inner.children:
            if element.type != "object_elem":
                continue
            key, value = element.child_by_field_name("key"), element.child_by_field_name("val")
            if key is None or value is None:
                continue
            key_expr = Expr(self.file, key)
            members.append((key_expr.key_node(), key_expr, Expr(self.file, value)))
        return members

    def key_node(self) -> Node | None:
        """This expression read as an object key: a bare name or a literal string/number/bool."""
        kind = self.kind
        if kind == "traversal" and self._inner.type == "variable_expr" and len(_parts(self.ts)) == 1:
            return self.node(self.text)
        if kind == "string":
            return self.node(self.string())
        if kind in ("number", "bool"):
            return self.node(self.file.source(self._inner))
        return None

    # --- references and calls ---
    def traversal(self) -> tuple | None:
        """The path of a reference: ``data.aws_iam_policy_document.x.json`` ->
        ``("data", "aws_iam_policy_document", "x", "json")``, ``local.m["k"][0]`` ->
        ``("local", "m", "k", 0)``, ``data.x.y[*].json`` -> ``("data", "x", "y", SPLAT, "json")``.
        None when it is not a reference or an index is not literal."""
        expr = self.unwrapped()
        if expr.kind != "traversal":
            return None
        file = expr.file
        parts = _parts(expr.ts)
        path: list = [file.source(parts[0])]
        pending = list(reversed(parts[1:]))
        while pending:
            part = pending.pop()
            kind = part.type
            if kind == "get_attr":
                path.append(file.source(_last_named(part)))
            elif kind == "index":
                step = _index_step(file, part.child(0))
                if step is None:
                    return None
                path.append(step)
            elif kind == "splat":
                splat = part.child(0)
                path.append(SPLAT)
                pending.extend(reversed([c for c in splat.children if c.type in ("get_attr", "index")]))
            else:
                return None
        return tuple(path)

    def call(self) -> Call | None:
        """The function call this expression is, else None."""
        expr = self.unwrapped()
        if expr.kind != "call":
            return None
        function = expr._inner
        name = function.child(0)
        args, expand = [], False
        for child in function.children:
            if child.type == "function_arguments":
                for argument in child.children:
                    if argument.type == "expression":
                        args.append(Expr(expr.file, argument))
                    elif argument.type == "ellipsis":
                        expand = True
        return Call(expr.file.source(name), expr.file.node(expr.file.source(name), name), args, expand)

    def conditional(self) -> tuple[Expr, Expr, Expr] | None:
        """(condition, value if true, value if false) of ``c ? a : b``, else None."""
        expr = self.unwrapped()
        if expr.kind != "conditional":
            return None
        parts = [Expr(expr.file, c) for c in expr._inner.children if c.type == "expression"]
        return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None

    # --- templates ---
    def template_parts(self) -> list[str | Expr | None] | None:
        """A quoted template or heredoc as its pieces: decoded literal text, the expression of
        each ``${...}``, and None for each ``%{...}`` directive tag. None for other kinds.
        A ``<<-`` heredoc's literal text keeps its indentation (see ``render``)."""
        kind = self.kind
        if kind not in ("template", "heredoc", "string"):
            return None
        file, ts = self.file, self._inner
        quoted = kind != "heredoc"
        start, end = quoted_range(file, ts) if quoted else heredoc_range(file, ts)
        pieces: list[str | Expr | None] = []
        at = start
        for hole_start, hole_end, hole in template_holes(file, ts) if kind != "string" else ():
            if hole_start > at:
                pieces.append(decode(file.text[at:hole_start], quoted))
            expression = hole.child(1) if hole.type == "template_interpolation" else None
            is_expression = expression is not None and expression.type == "expression"
            pieces.append(Expr(file, expression) if is_expression else None)
            at = hole_end
        if end > at:
            pieces.append(decode(file.text[at:end], quoted))
        return pieces

    def render(self, values: dict[tuple, str]) -> str | None:
        """The string a template spells when each interpolation is a reference listed in
        ``values``: ``"${path.module}/policy.json"`` with ``{("path", "module"): "mod"}`` ->
        ``"mod/policy.json"``. None if any other interpolation or directive is in it."""
        pieces = self.template_parts()
        if pieces is None:
            return None
        out = []
        for piece in pieces:
            if type(piece) is str:
                out.append(piece)
                continue
            path = piece.traversal() if piece is not None else None
            if path is None or path not in values:
                return None
            out.append(values[path])
        text = "".join(out)
        if self.kind == "heredoc" and is_flush(self._inner):
            start, end = heredoc_range(self.file, self._inner)
            width = dedent_width(self.file.text, start, end)
            if width:
                text = "\n".join(line[min(width, len(line) - len(line.lstrip(" \t"))):] for line in text.split("\n"))
        return text


def _last_named(ts: Any) -> Any:
    return ts.named_children[-1] if ts.named_child_count else ts


def _index_step(file: HCLSource, index: Any) -> str | int | None:
    if index.type == "legacy_index":
        digits = file.source(index)[1:]
        return int(digits) if digits.isdigit() else None
    expression = next((c for c in index.children if c.type == "expression"), None)
    if expression is None:
        return None
    key = Expr(file, expression)
    if key.kind == "string":
        return key.string()
    number = key.number()
    return number if type(number) is int else None
