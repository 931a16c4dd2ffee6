"""CloudFormation intrinsic functions inside policies: opaque values, never errors or wildcards.

A template's policy is read as IAM will see it after deployment, as far as that can be known
without deploying: ``Ref AWS::NoValue`` removes its element, both branches of ``Fn::If`` are
checked, a ``Fn::Sub`` without variables is the string it spells (``resolve``), and every other
intrinsic (``Ref``, ``Fn::GetAtt``, a ``Fn::Sub`` with variables, ``Fn::Join``, ...) becomes an
opaque value (``with_opaque_values``, ``iamlint.values``) that no rule reads as ``*`` and no
schema check reports.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.nodes import Node
from iamlint.values import Opaque, Unknown

SUB_VARIABLE = re.compile(r"\$\{(?!!)[^}]*\}")  # `${Name}`; `${!Literal}` is an escape


def intrinsic_name(node: Node | None) -> str | None:
    """``Ref``, ``Fn::If``, ... when ``node`` is an intrinsic function call, else None."""
    if node is None or type(node.value) is not dict or len(node.value) != 1:
        return None
    (name,) = node.value
    return name if name == "Ref" or name.startswith("Fn::") else None


def is_no_value(node: Node | None) -> bool:
    return intrinsic_name(node) == "Ref" and node.value["Ref"].value == "AWS::NoValue"


def _if_branches(node: Node) -> list[Node] | None:
    arguments = node.value["Fn::If"].value
    if type(arguments) is not list or len(arguments) != 3:
        return None
    return [branch for branch in arguments[1:] if not is_no_value(branch)]


def resolve(node: Node) -> Node | None:
    """``node`` with intrinsics resolved as far as they can be (None: removed): a copy where
    something changed, the node itself where nothing did. Leaf nodes are shared with the
    original tree, so positions are the file's own."""
    name = intrinsic_name(node)
    if name == "Ref" and is_no_value(node):
        return None
    if name == "Fn::Sub":
        argument = node.value["Fn::Sub"]
        if type(argument.value) is str and not SUB_VARIABLE.search(argument.value):
            return node.with_value(argument.value.replace("${!", "${"))
        return node
    if name == "Fn::If":
        branches = _if_branches(node)
        if branches is None:
            return node
        resolved = [r for r in (resolve(b) for b in branches) if r is not None]
        if not resolved:
            return None
        if len(resolved) == 1:
            return _with_key(resolved[0], node.key)
        if all(type(r.value) is dict and intrinsic_name(r) is None for r in resolved):
            merged: dict[str, Node] = {}  # both branches' entries: every one of them may apply
            for branch in resolved:
                merged.update(branch.value)
            return node.with_value(merged)
        items: list[Node] = []  # a value that is one branch or the other: check both
        for branch in resolved:
            items.extend(branch.value if type(branch.value) is list else [branch])
        return node.with_value(items)
    if name is not None:
        return node
    value = node.value
    changed = False  # an unchanged subtree is returned as it is, not copied
    if type(value) is dict:
        entries = {}
        for key, child in value.items():
            resolved_child = resolve(child)
            if resolved_child is not None:
                entries[key] = resolved_child
            changed = changed or resolved_child is not child
        return node.with_value(entries) if changed else node
    if type(value) is list:
        items = []
        for child in value:
            if intrinsic_name(child) == "Fn::If":  # in a list, each branch is an element of its own
                branches = _if_branches(child)
                if branches is not None:
                    changed = True
                    for branch in branches:
                        resolved_branch = resolve(branch)
                        if resolved_branch is not None:
                            items.extend(resolved_branch.value if type(resolved_branch.value) is list
                                         and type(branch.value) is list else [resolved_branch])
                    continue
            resolved_child = resolve(child)
            if resolved_child is not None:
                items.append(resolved_child)
            changed = changed or resolved_child is not child
        return node.with_value(items) if changed else node
    return node


def _with_key(node: Node, key: Node | None) -> Node:
    return node.with_value(node.value, key or node.key)


def with_opaque_values(node: Node) -> Node:
    """A resolved tree with each intrinsic left in it (``Ref``, ``Fn::GetAtt``, ...) an opaque
    value; unchanged subtrees are shared."""
    if intrinsic_name(node) is not None:
        return node.with_value(opaque(node))
    value = node.value
    if type(value) is dict:
        entries = {key: with_opaque_values(child) for key, child in value.items()}
        return node.with_value(entries) if any(entries[k] is not value[k] for k in value) else node
    if type(value) is list:
        items = [with_opaque_values(child) for child in value]
        return node.with_value(items) if any(a is not b for a, b in zip(items, value)) else node
    return node


def opaque(node: Node) -> Opaque:
    """The opaque value of an intrinsic function call, with the pieces of the string it builds
    where it builds one (``Fn::Sub``, ``Fn::Join``)."""
    name = intrinsic_name(node)
    argument = node.value[name]
    return Opaque(f"{name} {_source(argument)}".strip() if name != "Ref" else f"Ref {_source(argument)}",
                  _pieces(name, argument))


def _source(node: Node) -> str:
    value = node.value
    if type(value) is str:
        return value
    if type(value) is list:
        return "[" + ", ".join(_source(item) for item in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{k}: {_source(v)}" for k, v in value.items()) + "}"
    if type(value) is Opaque:
        return value.text
    return str(value)


def _pieces(name: str, argument: Node) -> tuple | None:
    """``Fn::Sub`` "a${X}b" -> ("a", Unknown("X"), "b"); ``Fn::Join`` ["", ["a", {"Ref": "X"}]] -> ("a", Unknown("X"))."""
    if name == "Fn::Sub":
        template = argument.value[0] if type(argument.value) is list and argument.value else argument
        if type(template.value) is not str:
            return None
        pieces: list = []
        at = 0
        for match in SUB_VARIABLE.finditer(template.value):
            pieces.append(template.value[at:match.start()].replace("${!", "${"))
            pieces.append(Unknown(match.group()[2:-1]))
            at = match.end()
        pieces.append(template.value[at:].replace("${!", "${"))
        return tuple(p for p in pieces if p != "")
    if name == "Fn::Join" and type(argument.value) is list and len(argument.value) == 2:
        separator, items = argument.value
        if type(separator.value) is not str or type(items.value) is not list:
            return None
        pieces = []
        for index, item in enumerate(items.value):
            if index and separator.value:
                pieces.append(separator.value)
            if type(item.value) is str:
                pieces.append(item.value)
            elif intrinsic_name(item) == "Ref" and type(item.value["Ref"].value) is str:
                pieces.append(Unknown(item.value["Ref"].value))
            else:
                pieces.append(Unknown(_source(item)))
        return tuple(p for p in pieces if p != "")
    return None
