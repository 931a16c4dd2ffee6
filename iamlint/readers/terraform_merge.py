"""Terraform's merged policy documents: a ``data "aws_iam_policy_document"`` with
``source_policy_documents`` or ``override_policy_documents`` (or the deprecated ``source_json``
and ``override_json``) renders one policy out of several.

Each document's own statements are linted where they are written (``terraform_document``); the
rules about a policy as a whole (its size, its Sids) also need the policy AWS receives. When
every input is a document of the module folder whose statements iamlint can read (literal Sids,
no ``dynamic "statement"``: a statement that may be there 0..n times makes the whole unknowable),
the merged policy is put together as the AWS provider does:

1. ``source_json``, then each of ``source_policy_documents``, one after the other: the provider
   refuses two of their statements with the same Sid, so they are kept side by side (a duplicate
   there is a real ``duplicate-sid``);
2. the document's own statements, each replacing the first statement with its Sid;
3. each of ``override_policy_documents``, then ``override_json``, each statement replacing the
   first statement with its Sid, so a Sid an override replaces is no duplicate.

A document merged into another is rendered the same way first. A duplicate inside one input is
that input's own finding (where it is written), so each input is merged into itself before.

The statements an input brings are placed at the reference that brings them
(``data.aws_iam_policy_document.base.json`` in ``source_policy_documents = [...]``), in the
linted file, and a finding there names the input: the inputs may be in other files.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.parsers.hcl import Block
    from iamlint.readers.terraform_module import ModuleFolder

from iamlint.nodes import Node
from iamlint.values import Alternatives

# (attribute, whether it holds a list, whether it overrides), in the order the provider merges them
SOURCES = (("source_json", False), ("source_policy_documents", True))
OVERRIDES = (("override_policy_documents", True), ("override_json", False))
MERGING = tuple(name for name, _ in SOURCES + OVERRIDES)
DOCUMENT = "aws_iam_policy_document"


class Unknowable(Exception):
    """An input iamlint cannot read, or a Sid it cannot know: no merged policy."""


def merges(block: Block) -> bool:
    """Whether a document block merges other documents into itself."""
    return any(block.body.attribute(name) is not None for name in MERGING)


def merged_root(block: Block, own: Node | None, module: ModuleFolder, resolve_for: Any
                ) -> tuple[Node, tuple] | None:
    """(root, remarks) of the policy a merging document renders, or None when an input is not
    known. ``own`` is the document's own tree (``document_node``, None without statements);
    ``resolve_for(path, origin)`` is the resolve hook for a document of another file."""
    try:
        merger = _Merger(module, resolve_for)
        statements, remarks = merger.rendered(block, own, top=True)
    except Unknowable:
        return None
    lines = block._lines
    entries: dict[str, Node] = {}
    if own is not None:
        entries["Version"] = own.value["Version"]
        if "Id" in own.value:
            entries["Id"] = own.value["Id"]
    else:
        version = block.type_node.with_value("2012-10-17", key=block.type_node.with_value("Version", key=None))
        entries["Version"] = version
    key = own.value["Statement"].key if own is not None else block.type_node.with_value("Statement", key=None)
    entries["Statement"] = Node(statements, start=block.start, end=block.end, lines=lines, key=key)
    root = Node(entries, start=block.start, end=block.end, lines=lines)
    root.key = block.header
    return root, remarks


class _Merger:
    def __init__(self, module: ModuleFolder, resolve_for: Any) -> None:
        self.module = module
        self.resolve_for = resolve_for
        self.active: set[str] = set()

    def statements_of(self, name: str) -> list[Node]:
        """The statements a document of the module folder renders (its inputs merged in)."""
        found = self.module.documents.get(name)
        if found is None or name in self.active:  # not in the folder, or a cycle Terraform refuses
            raise Unknowable(name)
        facts, block = found
        from iamlint.readers.terraform_document import document_node

        self.active.add(name)
        try:
            own = document_node(block, self.resolve_for(facts.path, f"data.{DOCUMENT}.{name}"))
            statements, _ = self.rendered(block, own, top=False)
        finally:
            self.active.discard(name)
        return statements

    def rendered(self, block: Block, own: Node | None, top: bool) -> tuple[list[Node], tuple]:
        body = block.body
        if any(b.type == "dynamic" and b.label_values[:1] == ["statement"] for b in body.blocks):
            raise Unknowable("dynamic statement")
        remarks: list = []
        merged: list[Node] = []
        for attribute, is_list in SOURCES:
            for place, name in self._inputs(body.attribute(attribute), is_list):
                merged += self._placed(_merged([], self.statements_of(name)), place)
                remarks.append((place.span, f"in `data.{DOCUMENT}.{name}`, merged by `{attribute}`"))
        own_statements = list(own.value["Statement"].value) if own is not None else []
        merged = _merged(merged, own_statements)
        for attribute, is_list in OVERRIDES:
            for place, name in self._inputs(body.attribute(attribute), is_list):
                merged = _merged(merged, self._placed(_merged([], self.statements_of(name)), place))
                remarks.append((place.span, f"in `data.{DOCUMENT}.{name}`, merged by `{attribute}`"))
        return merged, tuple(remarks) if top else ()

    def _inputs(self, attribute, is_list: bool) -> list[tuple[Node, str]]:
        """(the reference's place, the document's name) for each input an attribute names."""
        if attribute is None:
            return []
        expr = attribute.expr.unwrapped()
        if not is_list:
            name = _document_named(expr)
            if name is None:
                raise Unknowable(expr.text)
            return [(expr.node(name), name)]
        found = []
        for element in _elements(expr):
            element = element.unwrapped()
            if element.kind == "null" or (element.kind == "string" and element.string() == ""):
                continue  # nothing (compact() drops it; the provider skips an empty string)
            name = _document_named(element)
            if name is None:
                raise Unknowable(element.text)
            found.append((element.node(name), name))
        return found

    @staticmethod
    def _placed(statements: list[Node], place: Node) -> list[Node]:
        return [_relocated(statement, place) for statement in statements]


def _elements(expr) -> list:
    """The elements of a list expression: a tuple, ``compact()``/``concat()``/``flatten()`` of
    tuples, or one splat reference (``data.aws_iam_policy_document.x[*].json``: that document)."""
    if expr.kind == "tuple":
        return expr.elements()
    call = expr.call()
    if call is not None and not call.expand and call.name in ("compact", "concat", "flatten", "tolist"):
        found = []
        for argument in call.args:
            found += _elements(argument.unwrapped())
        return found
    from iamlint.parsers.hcl_values import SPLAT

    path = expr.traversal()
    if path is not None and SPLAT in path:
        return [expr]
    raise Unknowable(expr.text)


def _document_named(expr) -> str | None:
    """The name of the document ``data.aws_iam_policy_document.NAME.json`` names (an instance
    of it, ``[0]`` or ``["key"]``, or all of it, ``[*]``, in a list)."""
    path = expr.traversal()
    if path is None or len(path) not in (4, 5) or path[:2] != ("data", DOCUMENT) or path[-1] != "json":
        return None
    name = path[2]
    return name if type(name) is str else None


def _sid(statement: Node) -> str:
    """A statement's Sid ("" without one); Unknowable when it is only known when planned."""
    sid = statement.get("Sid")
    if sid is None:
        return ""
    if type(sid.value) is not str:
        raise Unknowable("Sid")
    return sid.value


def _merged(existing: list[Node], new: list[Node]) -> list[Node]:
    """The provider's merge: each new statement with a Sid replaces the first one with that
    Sid, every other one is added."""
    merged = list(existing)
    for statement in new:
        sid = _sid(statement)
        if sid:
            index = next((i for i, old in enumerate(merged) if _sid(old) == sid), None)
            if index is not None:
                merged[index] = statement
                continue
        merged.append(statement)
    return merged


def _relocated(node: Node, place: Node) -> Node:
    """A copy of a tree with every node (and key) at ``place``."""
    value = node.value
    if type(value) is dict:
        value = {name: _relocated(child, place) for name, child in value.items()}
    elif type(value) is list:
        value = [_relocated(child, place) for child in value]
    elif type(value) is Alternatives:
        value = Alternatives(value.condition, *(None if b is None else _relocated(b, place)
                                                for b in (value.if_true, value.if_false)))
    key = None if node.key is None else place.with_value(node.key.value, key=None)
    return place.with_value(value, key=key)
