"""HCL (Terraform) to a positioned model: blocks, attributes, comments, the first syntax error.

tree-sitter with the tree-sitter-hcl grammar parses the text (imported on the first HCL text
only; without them ``HCLUnavailable`` says so, and the caller turns it into one notice).
tree-sitter counts bytes; iamlint counts code points, so every offset goes through a byte ->
code-point map, which is the identity for an ASCII text. Blocks and attributes are listed when
the file is parsed; an expression (``Expr``) becomes nodes only when a reader asks. A file with
a syntax error still yields every block tree-sitter could recover; ``HCLFile.error`` is the
first ``ERROR``/``MISSING`` node, positioned.

What a reader uses (importable from this module, except what says `hcl_json`)::

    parsed = parse_hcl(text)                  # HCLFile; .error: HCLSyntaxError or None
    parsed.comments                           # Comment: text, content, start/end, span, alone
    for block in parsed.body.blocks_of("resource", "aws_iam_policy"):
        name = block.labels[1].value          # labels, type_node, header (type + labels), has_error
        attribute = block.body.attribute("policy")    # name_node, expr, has_error
        expr = attribute.expr                 # Expr: kind, text, span, string(), traversal(),
                                              # call(), conditional(), members(), render(...)
        node = to_node(expr, resolve=hook)    # the value as nodes; unknown parts opaque
        parsed_json = parse_string_json(expr) # hcl_json: JSON in a heredoc / quoted string
    block.to_node()                           # a block's attributes and nested blocks as one mapping
    parse_template_json(text)                 # hcl_json: a file read by templatefile() / file()

Values iamlint cannot know are ``iamlint.values.Opaque`` (with the pieces of a string built from
known and unknown parts), ``c ? a : b`` is an ``Alternatives``, ``null`` is absent (left out);
``hcl_nodes`` spells them, in one place. JSON in strings and template files: ``hcl_json``.
"""

from __future__ import annotations

import re
import threading

from iamlint.nodes import LineIndex, Node, Span
from iamlint.parsers.hcl_nodes import MAX_DEPTH, absent, alternatives, keyed, opaque, to_node
from iamlint.parsers.hcl_source import HCLSource, Offsets
from iamlint.parsers.hcl_strings import string_value
from iamlint.parsers.hcl_values import SPLAT, Call, Expr
from iamlint.parsers.json_parser import ParseError

__all__ = ["SPLAT", "Attribute", "Block", "Body", "Call", "Comment", "Expr", "HCLFile", "HCLSyntaxError",
           "HCLUnavailable", "Offsets", "absent", "alternatives", "opaque", "parse_hcl", "to_node"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

_COMMENT_START = re.compile(r"#|//|/\*")
# What a missing token is called in a message
_TOKEN_NAMES = {"quoted_template_end": '"', "template_interpolation_end": "}", "template_directive_end": "}",
                "heredoc_identifier": "heredoc end marker"}
_local = threading.local()  # a tree-sitter parser is not to be shared between threads


class HCLUnavailable(Exception):
    """tree-sitter or its HCL grammar cannot be imported or loaded (a platform without wheels,
    an incompatible version): Terraform files cannot be read, everything else can."""


class HCLSyntaxError(ParseError):
    """The first syntax error of an HCL text: ``offset`` where it starts, ``end`` where the
    unparsable stretch ends (equal for a missing token)."""

    def __init__(self, message: str, offset: int, end: int) -> None:
        super().__init__(message, offset)
        self.end = end


def _parser() -> Any:
    parser = getattr(_local, "parser", None)
    if parser is None:
        try:
            import tree_sitter
            import tree_sitter_hcl

            parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
        except Exception as error:  # ImportError, or a grammar this tree-sitter cannot load
            raise HCLUnavailable(
                "reading Terraform needs the packages tree-sitter and tree-sitter-hcl "
                f"(pip install 'tree-sitter>=0.23,<0.27' 'tree-sitter-hcl>=1.2,<2'): {error}") from None
        _local.parser = parser
    return parser


class Comment:
    """A ``#``, ``//`` or ``/* */`` comment: its text as written and where it is."""

    __slots__ = ("text", "start", "end", "alone", "_lines")

    def __init__(self, text: str, start: int, end: int, alone: bool, lines: LineIndex) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.alone = alone  # nothing but blanks before it on its line: it speaks for what follows
        self._lines = lines

    @property
    def content(self) -> str:
        """The words of the comment, without its markers."""
        text = self.text
        if text.startswith("/*"):
            return text[2:-2].strip() if text.endswith("*/") else text[2:].strip()
        return text[1:].strip() if text.startswith("#") else text[2:].strip()

    @property
    def span(self) -> Span:
        return self._lines.span(self.start, self.end)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Comment({self.text!r}, {self.span.line}:{self.span.column})"


class Attribute:
    """``name = expression``: the name as a node (where a finding about the attribute goes) and
    the expression, read on demand."""

    __slots__ = ("name", "name_node", "expr", "start", "end", "has_error", "_lines")

    def __init__(self, name_node: Node, expr: Expr, start: int, end: int, has_error: bool, lines: LineIndex) -> None:
        self.name = name_node.value
        self.name_node = name_node
        self.expr = expr
        self.start = start
        self.end = end
        self.has_error = has_error
        self._lines = lines

    @property
    def node(self) -> Node:
        return Node(self.name, start=self.start, end=self.end, lines=self._lines)

    @property
    def span(self) -> Span:
        return self._lines.span(self.start, self.end)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Attribute({self.name!r}, {self.span.line}:{self.span.column})"


class Body:
    """The attributes and blocks of a file or of a block, in the order written."""

    __slots__ = ("attributes", "blocks", "duplicates")

    def __init__(self) -> None:
        self.attributes: dict[str, Attribute] = {}
        self.blocks: list[Block] = []
        self.duplicates: list[Attribute] = []  # an attribute set twice (Terraform rejects it): the later ones

    def attribute(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def blocks_of(self, type_: str, *labels: str) -> Iterator[Block]:
        """The blocks of this type whose first labels are ``labels``."""
        for block in self.blocks:
            if block.type == type_ and tuple(block.label_values[:len(labels)]) == labels:
                yield block

    def block(self, type_: str, *labels: str) -> Block | None:
        return next(self.blocks_of(type_, *labels), None)


class Block:
    """``type "label" ... { body }``. ``type_node`` and ``labels`` are nodes (labels decoded);
    ``header`` spans the type and labels, where a finding about the whole block goes."""

    __slots__ = ("type", "type_node", "labels", "body", "start", "end", "has_error", "_lines", "_text")

    def __init__(self, type_node: Node, labels: list[Node], body: Body, start: int, end: int,
                 has_error: bool, lines: LineIndex, text: str) -> None:
        self.type = type_node.value
        self.type_node = type_node
        self.labels = labels
        self.body = body
        self.start = start
        self.end = end
        self.has_error = has_error
        self._lines = lines
        self._text = text

    @property
    def label_values(self) -> list[str]:
        return [label.value for label in self.labels]

    @property
    def header(self) -> Node:
        last = self.labels[-1] if self.labels else self.type_node
        return Node(self.type, start=self.start, end=last.end, lines=self._lines)

    @property
    def node(self) -> Node:
        return Node(self.type, start=self.start, end=self.end, lines=self._lines)

    @property
    def span(self) -> Span:
        return self._lines.span(self.start, self.end)

    def to_node(self, resolve: Callable[[Expr], Node | None] | None = None, _depth: int = 0) -> Node:
        """The block's content as one mapping node spanning the block: each attribute's value
        under its name (the key node is the attribute's name), and each type of nested block as
        a list of such mappings under the type (the key node is the first such block's type).
        Nested blocks' labels are left out (a reader asks ``body`` for ``dynamic "statement"``)."""
        if _depth > MAX_DEPTH:
            return opaque(self._text[self.start:self.end], self.start, self.end, self._lines)
        entries: dict[str, Node] = {}
        for name, attribute in self.body.attributes.items():
            value = to_node(attribute.expr, resolve)
            if value is not None:  # null: not set
                entries[name] = keyed(value, attribute.name_node, resolve)
        groups: dict[str, Node] = {}
        for block in self.body.blocks:
            group = groups.get(block.type)
            if group is None:
                group = groups[block.type] = Node([], key=block.type_node, start=block.start, end=block.end,
                                                  lines=self._lines)
                entries.setdefault(block.type, group)  # an attribute of the same name (invalid) wins
            group.value.append(block.to_node(resolve, _depth + 1))
            group.end = block.end
        return Node(entries, start=self.start, end=self.end, lines=self._lines)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Block({self.type!r}, {self.label_values!r}, {self.span.line}:{self.span.column})"


class HCLFile(HCLSource):
    """A parsed HCL text: its body, comments and first syntax error (None when it has none)."""

    __slots__ = ("tree", "body", "comments", "error")

    def __init__(self, text: str, lines: LineIndex | None = None) -> None:
        super().__init__(text, lines)
        data = text.encode("utf-8", "surrogatepass")
        self.tree = _parser().parse(data)
        root = self.tree.root_node
        self.body = Body()
        self._read_body(root, self.body)
        self.comments = list(self._comments(root))
        self.error = self._first_error(root) if root.has_error else None

    # --- structure ---
    def _read_body(self, ts_body: Any, body: Body) -> None:
        text, lines = self.text, self.lines
        char = self.offsets.char if self.offsets.mapped else int  # int(n) is n, at C speed
        pending = [(ts_body, body)]  # no recursion, however deep the blocks nest
        while pending:
            ts_body, body = pending.pop()
            children = list(reversed(ts_body.children))
            while children:
                child = children.pop()
                kind = child.type
                if kind == "body" or kind == "ERROR":  # the file's body; what recovery kept around an error
                    children.extend(reversed(child.children))
                elif kind == "attribute":
                    parts = child.children
                    name, expression = parts[0], parts[-1]
                    if expression.type != "expression":
                        expression = next((p for p in reversed(parts) if p.type == "expression"), None)
                    if name.type != "identifier" or expression is None:
                        continue
                    start, end = char(name.start_byte), char(name.end_byte)
                    name_node = Node(text[start:end], start=start, end=end, lines=lines)
                    attribute = Attribute(name_node, Expr(self, expression), char(child.start_byte),
                                          char(child.end_byte), child.has_error, lines)
                    if attribute.name in body.attributes:
                        body.duplicates.append(attribute)
                    else:
                        body.attributes[attribute.name] = attribute
                elif kind == "block":
                    parts = child.children
                    if not parts or parts[0].type != "identifier":
                        continue
                    labels = []
                    inner = Body()
                    for part in parts[1:]:
                        if part.type == "string_lit":
                            labels.append(self.node(string_value(self, part), part))
                        elif part.type == "identifier":
                            labels.append(self.node(self.source(part), part))
                        elif part.type == "body":
                            pending.append((part, inner))
                    head = parts[0]
                    start, end = char(head.start_byte), char(head.end_byte)
                    body.blocks.append(Block(Node(text[start:end], start=start, end=end, lines=lines), labels, inner,
                                             start, char(child.end_byte), child.has_error, lines, text))

    def _comments(self, root: Any) -> Iterator[Comment]:
        """Comments, found where the text could start one and confirmed by the tree (so a ``#``
        in a string or a ``//`` in a URL is not one)."""
        text = self.text
        after = 0
        for candidate in _COMMENT_START.finditer(text):
            at = candidate.start()
            if at < after:
                continue
            byte = self.offsets.byte(at)
            ts = root.descendant_for_byte_range(byte, byte + 1)
            if ts is None or ts.type != "comment" or ts.start_byte != byte:
                continue
            after = self.end(ts)
            line_start = text.rfind("\n", 0, at) + 1
            yield Comment(text[at:after], at, after, not text[line_start:at].strip(), self.lines)

    def _first_error(self, root: Any) -> HCLSyntaxError:
        """The first ERROR or MISSING node, the innermost one where errors nest."""
        node = root
        while True:
            for child in node.children:
                if child.is_missing:
                    return self._missing(child)
                if child.has_error:  # an ERROR node, or a node holding one
                    node = child
                    break
            else:
                return self._unexpected(node)

    def _missing(self, ts: Any) -> HCLSyntaxError:
        at = self.start(ts)
        if ts.type in ("<<", "<<-"):  # tree-sitter's way of saying a value is missing
            found = self.text[at:].split(None, 1)
            return HCLSyntaxError(f"syntax error: expected a value, found `{found[0][:20]}`" if found
                                  else "syntax error: expected a value", at, at)
        message = f"syntax error: missing `{_TOKEN_NAMES.get(ts.type, ts.type)}`"
        opener = ts.parent
        if opener is not None and opener.type.endswith("_end"):
            opener = opener.parent
        if opener is not None and opener.type in _OPENERS:
            line, column = self.lines.position(self.start(opener))
            message += f" to close the {_OPENERS[opener.type]} at {line}:{column}"
        return HCLSyntaxError(message, at, at)

    def _unexpected(self, ts: Any) -> HCLSyntaxError:
        start, end = self.start(ts), self.end(ts)
        text = self.text
        if not text[end:].strip():  # the error runs to the end: most likely something left open
            unclosed = []
            for child in ts.children:
                kind = child.type
                if kind in _OPENING_TOKENS:
                    unclosed.append(child)
                elif kind in _CLOSING_TOKENS and unclosed:
                    unclosed.pop()
            if unclosed:
                opener = unclosed[-1]
                line, column = self.lines.position(self.start(opener))
                at = len(text.rstrip())
                return HCLSyntaxError(f"syntax error: missing `{_OPENING_TOKENS[opener.type]}` to close the "
                                      f"`{self.source(opener)}` at {line}:{column}", at, at)
        snippet = text[start:end].strip().split("\n", 1)[0]
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        message = f"syntax error: unexpected `{snippet}`" if snippet else "syntax error"
        return HCLSyntaxError(message, start, end)


_OPENERS = {"object": "object", "tuple": "list", "block": "block", "function_call": "call",
            "expression": "parenthesis", "for_tuple_expr": "`for` expression", "for_object_expr": "`for` expression",
            "string_lit": "string", "quoted_template": "string", "template_interpolation": "interpolation",
            "heredoc_template": "heredoc"}
# Brackets (quotes are left out: after an error, tree-sitter's scanner often misreads them)
_OPENING_TOKENS = {"object_start": "}", "tuple_start": "]", "block_start": "}", "(": ")", "{": "}", "[": "]"}
_CLOSING_TOKENS = {"object_end", "tuple_end", "block_end", ")", "}", "]"}


def parse_hcl(text: str, lines: LineIndex | None = None) -> HCLFile:
    """Parse an HCL text. Raises HCLUnavailable when tree-sitter-hcl cannot be loaded; never a
    syntax error (see ``HCLFile.error``)."""
    return HCLFile(text, lines)
