"""Terraform's JSON syntax (``.tf.json``, what cdktf writes) as the same file model as HCL.

``{"resource": {"aws_iam_role": {"ci": {...}}}}`` becomes the block ``resource "aws_iam_role"
"ci"``; a key that names a nested block type (``statement``, ``principals``, ``condition``,
``inline_policy``, ``dynamic``, ...) becomes nested blocks, any other key an attribute. Values are
expressions: numbers, booleans, ``null``, arrays and objects as themselves, and strings as
templates, as Terraform reads them: a string without ``${``/``%{`` is literal text; one with
them is parsed by the HCL parser in place (a "shadow" of the file, blank except for those
strings, keeps every offset), so ``"${data.aws_iam_policy_document.x.json}"`` is a reference and
``"arn:aws:s3:::${var.b}/*"`` an opaque value with its pieces, at their exact places. A policy
written as a JSON string is parsed in place too (its escapes mapped back).

Keys named ``//`` are comments in this syntax and are skipped.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.nodes import LineIndex, Node
from iamlint.parsers.hcl import Attribute, Block, Body
from iamlint.parsers.json_parser import ParseError, parse_json

# keys of a block's JSON object that are nested blocks (in the resources iamlint reads); others are attributes
NESTED_BLOCKS = frozenset({"statement", "principals", "not_principals", "condition", "inline_policy", "dynamic",
                           "content", "lifecycle", "provisioner", "connection", "timeouts"})
LABELS = {"resource": 2, "data": 2, "variable": 1, "provider": 1, "module": 1, "output": 1, "locals": 0,
          "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}
_TEMPLATE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")


class JSONExpr:
    """A value of a ``.tf.json`` file that is not a template string, with what the reader asks
    of an expression (``iamlint.parsers.hcl_values.Expr``)."""

    __slots__ = ("file", "value", "_kind")

    def __init__(self, file: TFJSONFile, value: Node) -> None:
        self.file = file
        self.value = value
        python = value.value
        if type(python) is dict:
            self._kind = "object"
        elif type(python) is list:
            self._kind = "tuple"
        elif type(python) is str:
            self._kind = "string"
        elif type(python) is bool:
            self._kind = "bool"
        elif python is None:
            self._kind = "null"
        else:
            self._kind = "number"

    kind = property(lambda self: self._kind)
    start = property(lambda self: self.value.start)
    end = property(lambda self: self.value.end)
    span = property(lambda self: self.value.span)
    has_error = False
    inner = None
    interpolated = None

    @property
    def text(self) -> str:
        return self.file.text[self.start:self.end]

    def node(self, value: Any) -> Node:
        return Node(value, start=self.start, end=self.end, lines=self.file.lines)

    def unwrapped(self) -> JSONExpr:
        return self

    def string(self) -> str | None:
        return self.value.value if self._kind == "string" else None

    def number(self) -> int | float | None:
        return self.value.value if self._kind == "number" else None

    def bool(self) -> bool | None:
        return self.value.value if self._kind == "bool" else None

    def elements(self) -> list:
        return [self.file.expr(item) for item in self.value.value] if self._kind == "tuple" else []

    def members(self) -> list:
        if self._kind != "object":
            return []
        found = []
        for name, child in self.value.value.items():
            if name == "//":
                continue
            key = child.key
            key_node = None if _TEMPLATE.search(name) else key.with_value(name, key=None)
            found.append((key_node, JSONExpr(self.file, key), self.file.expr(child)))
        return found

    def key_node(self) -> Node | None:
        return self.node(self.value.value) if self._kind == "string" else None

    def traversal(self) -> None:
        return None

    def call(self) -> None:
        return None

    def conditional(self) -> None:
        return None

    def template_parts(self) -> list | None:
        return [self.value.value] if self._kind == "string" else None

    def render(self, values: dict) -> str | None:
        return self.value.value if self._kind == "string" else None

    def references(self) -> list[tuple[str, ...]]:
        from iamlint.readers.terraform_syntax import references

        found = []
        for child in _children(self.value):
            found += references(self.file.expr(child))
        return found

    def json_document(self) -> Any:
        """The JSON document written in this literal string, parsed in place."""
        from iamlint.parsers.hcl_json import _parse_masked

        if self._kind != "string":
            return None
        return _parse_masked(self.file.text, self.start + 1, self.end - 1, [], True, self.file.lines)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"JSONExpr({self._kind}, {self.text[:40]!r})"


def _children(node: Node) -> list[Node]:
    if type(node.value) is dict:
        return [child for name, child in node.value.items() if name != "//"]
    if type(node.value) is list:
        return list(node.value)
    return []


class TFJSONFile:
    """A parsed ``.tf.json`` file: body, (no) comments, the first syntax error."""

    def __init__(self, text: str, lines: LineIndex | None = None, root: Node | None = None) -> None:
        """``root``: values already parsed, every string literal (a plan's evaluated values):
        the file has no blocks of its own; ``block`` makes one of any of its objects."""
        self.text = text
        self.lines = lines or LineIndex(text)
        self.body = Body()
        self.comments: list = []
        self.error: ParseError | None = None
        self._templates: dict[int, Any] = {}  # offset of a template string -> its HCL expression
        if root is not None:
            return
        try:
            parsed = parse_json(text, lines=self.lines)
        except ParseError as error:
            self.error = error
            return
        root = parsed.root
        if not root.is_mapping:
            return
        self._shadow(root)
        for block_type, value in root.value.items():
            for item in (value.value if value.is_sequence else [value]):
                self._top_level(block_type, value.key, item)

    # --- expressions ---

    def expr(self, node: Node) -> Any:
        """The expression of a value: HCL's for a template string, else a JSONExpr."""
        if type(node.value) is str:
            found = self._templates.get(node.start)
            if found is not None:
                return found
        return JSONExpr(self, node)

    def _shadow(self, root: Node) -> None:
        """Parse every template string in place: a text as long as the file, blank but for those
        strings, made one HCL tuple (``a=[`` before the first, commas between, ``]`` after)."""
        strings = []
        stack = [root]
        while stack:
            node = stack.pop()
            value = node.value
            if type(value) is str:
                raw = self.text[node.start:node.end]
                if "{" in raw and _TEMPLATE.search(raw):
                    shadow = _as_hcl(raw)
                    if shadow is not None:
                        strings.append((node.start, node.end, shadow))
            else:
                stack.extend(_children(node))
        if not strings:
            return
        strings.sort()
        if strings[0][0] < 3:
            return
        chars = [c if c == "\n" else " " for c in self.text]
        chars[0:3] = "a=["
        for index, (start, end, shadow) in enumerate(strings):
            chars[start:end] = shadow
            chars[end] = "," if index + 1 < len(strings) else "]"
        from iamlint.parsers.hcl import parse_hcl

        parsed = parse_hcl("".join(chars), self.lines)
        attribute = parsed.body.attribute("a")
        if attribute is None:
            return
        wanted = {start for start, _, _ in strings}
        for element in attribute.expr.elements():
            if element.start in wanted and not element.has_error:
                self._templates[element.start] = element

    # --- blocks ---

    def _top_level(self, block_type: str, type_key: Node, value: Node) -> None:
        if block_type == "//" or not value.is_mapping:
            return
        labels = LABELS.get(block_type)
        if labels is None:
            return
        type_node = type_key.with_value(block_type, key=None)
        if block_type == "locals":
            self.body.blocks.append(self._block(type_node, [], value))
            return
        for label_keys, body in _labelled(value, labels):
            for item in (body.value if body.is_sequence else [body]):
                if item.is_mapping:
                    self.body.blocks.append(self._block(type_node, label_keys, item))

    def block(self, type_node: Node, labels: list[Node], value: Node) -> Block:
        """A block of one of the file's objects."""
        return self._block(type_node, labels, value)

    def _block(self, type_node: Node, labels: list[Node], value: Node) -> Block:
        body = Body()
        for name, child in value.value.items():
            if name == "//":
                continue
            key = child.key
            if name in NESTED_BLOCKS:
                items = child.value if child.is_sequence else [child]
                for item in items:
                    if not item.is_mapping:
                        continue
                    nested_type = key.with_value(name, key=None)
                    if name == "dynamic":
                        for label, content in item.value.items():
                            if label != "//" and content.is_mapping:
                                body.blocks.append(self._block(nested_type, [content.key.with_value(label, key=None)],
                                                               content))
                    else:
                        body.blocks.append(self._block(nested_type, [], item))
                continue
            attribute = Attribute(key.with_value(name, key=None), self.expr(child), key.start, child.end, False,
                                  self.lines)
            if name in body.attributes:
                body.duplicates.append(attribute)
            else:
                body.attributes[name] = attribute
        start = labels[-1].start if labels else value.start  # the type label is shared by the blocks of a type
        return Block(type_node, labels, body, start, value.end, False, self.lines, self.text)


def _labelled(value: Node, count: int) -> list[tuple[list[Node], Node]]:
    """(label nodes, body) for ``{"label1": {"label2": body}}``, ``count`` labels deep."""
    found = [([], value)]
    for _ in range(count):
        deeper = []
        for labels, node in found:
            for name, child in node.items():
                if name != "//":
                    deeper.append((labels + [child.key.with_value(name, key=None)], child))
        found = deeper
    return found


def _as_hcl(raw: str) -> str | None:
    """A JSON string's source as an HCL quoted template of the same length and meaning: the
    escapes are HCL's too, except inside an interpolation, where ``\\"`` opens or closes a
    nested string (written `` "`` or ``" ``); None when something else is escaped there."""
    if "\\" not in raw:
        return raw
    out = []
    depth = 0  # nesting of `${` ... `}` around the current character
    nested = False  # inside a string nested in an interpolation
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            escaped = raw[index + 1]
            if depth == 0:
                if escaped not in 'nrt"\\u':
                    return None
                out.append(raw[index:index + 2])
            elif escaped == '"':
                out.append('" ' if nested else ' "')
                nested = not nested
            else:
                return None
            index += 2
            continue
        if not nested:
            if raw.startswith(("${", "%{"), index) and not raw.startswith(("$${", "%%{"), index - 1 if index else 0):
                depth += 1
            elif char == "}" and depth:
                depth -= 1
        out.append(char)
        index += 1
    return "".join(out)


def parse_tf_json(text: str, lines: LineIndex | None = None) -> TFJSONFile:
    """A ``.tf.json`` text as the file model. Raises HCLUnavailable only when a template string
    needs the HCL parser and it cannot be loaded."""
    return TFJSONFile(text, lines)
