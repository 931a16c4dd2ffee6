"""CloudFormation intrinsic functions inside policies: opaque values, never errors or wildcards.

A template's policy is read as IAM will see it after deployment, as far as that can be known
without deploying: ``Ref AWS::NoValue`` removes its element, both branches of ``Fn::If`` are
checked, a ``Fn::Sub`` without variables is the string it spells, and every other intrinsic
(``Ref``, ``Fn::GetAtt``, a ``Fn::Sub`` with variables, ``Fn::Join``, ...) is an opaque value that
no rule reads as ``*`` and no schema check reports.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.nodes import Node

SUB_VARIABLE = re.compile(r"\$\{(?!!)[^}]*\}")  # `${Name}`; `${!Literal}` is an escape
# What an opaque value reads as for the structural schema check: a string every element accepts.
OPAQUE = "*"


def intrinsic_name(node: Node | None) -> str | None:
    """``Ref``, ``Fn::If``, ... when ``node`` is an intrinsic function call, else None."""
    if node is None or type(node.value) is not dict or len(node.value) != 1:
        return None
    (name,) = node.value
    return name if name == "Ref" or name.startswith("Fn::") else None


def is_no_value(node: Node | None) -> bool:
    return intrinsic_name(node) == "Ref" and node.value["Ref"].value == "AWS::NoValue"


def is_opaque(node: Node) -> bool:
    return intrinsic_name(node) is not None


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


def plain_data(node: Node, opaque: str = OPAQUE) -> Any:
    """The resolved policy as plain data for the schema check, each opaque value a string."""
    if is_opaque(node):
        return opaque
    value = node.value
    if type(value) is dict:
        return {k: plain_data(v, opaque) for k, v in value.items()}
    if type(value) is list:
        return [plain_data(v, opaque) for v in value]
    return value


def opaque_on_path(root: Node, path: tuple) -> bool:
    """Whether the node at ``path``, or one on the way to it, is an opaque intrinsic."""
    node: Node | None = root
    for step in path:
        if node is None:
            return False
        if is_opaque(node):
            return True
        node = node.at((step,))
    return node is not None and is_opaque(node)
