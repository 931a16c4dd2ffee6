"""CloudFormation intrinsic functions inside policies: opaque values, never errors or wildcards.

A template's policy is read as IAM will see it after deployment, as far as that can be known
without deploying: ``Ref AWS::NoValue`` removes its element, each branch of an ``Fn::If`` is
checked in the worlds where it applies, a ``Fn::Sub`` without variables is the string it
spells (``resolve``), and every other intrinsic (``Ref``, ``Fn::GetAtt``, a ``Fn::Sub`` with
variables, ``Fn::Join``, ...) and every dynamic reference (``{{resolve:ssm:...}}``) becomes an
opaque value (``with_opaque_values``, ``iamlint.values``) that no rule reads as ``*`` and no
schema check reports.
"""

from __future__ import annotations

import re

from iamlint.nodes import Node
from iamlint.values import Alternatives, Opaque, Unknown

SUB_VARIABLE = re.compile(r"\$\{(?!!)[^}]*\}")  # `${Name}`; `${!Literal}` is an escape
DYNAMIC_REFERENCE = "{{resolve:"  # `{{resolve:ssm:/name}}`: a value CloudFormation reads when it deploys
_DYNAMIC = re.compile(r"\{\{resolve:[^}]*\}\}")


def intrinsic_name(node: Node | None) -> str | None:
    """``Ref``, ``Fn::If``, ... when ``node`` is an intrinsic function call, else None."""
    if node is None or type(node.value) is not dict or len(node.value) != 1:
        return None
    (name,) = node.value
    return name if name == "Ref" or name.startswith("Fn::") else None


def is_no_value(node: Node | None) -> bool:
    return intrinsic_name(node) == "Ref" and node.value["Ref"].value == "AWS::NoValue"


def if_arguments(node: Node) -> tuple[str, Node, Node] | None:
    """(condition name, value if true, value if false) of a well-formed ``Fn::If``."""
    arguments = node.value["Fn::If"].value
    if type(arguments) is not list or len(arguments) != 3 or type(arguments[0].value) is not str:
        return None
    return arguments[0].value, arguments[1], arguments[2]


def resolve(node: Node, conditions: list[str] | None = None) -> Node | None:
    """``node`` with intrinsics resolved as far as they can be (None: removed): a copy where
    something changed, the node itself where nothing did. Leaf nodes are shared with the
    original tree, so positions are the file's own. An ``Fn::If`` becomes an ``Alternatives``
    value (its condition's name is added to ``conditions``): both branches are checked, each in
    the worlds where it applies (``iamlint.worlds``)."""
    name = intrinsic_name(node)
    if name == "Ref" and is_no_value(node):
        return None
    if name == "Fn::Sub":
        argument = node.value["Fn::Sub"]
        if type(argument.value) is str and not SUB_VARIABLE.search(argument.value):
            return node.with_value(argument.value.replace("${!", "${"))
        return node
    if name == "Fn::If":
        arguments = if_arguments(node)
        if arguments is None:
            return node
        condition, if_true, if_false = arguments
        if conditions is not None and condition not in conditions:
            conditions.append(condition)
        return node.with_value(Alternatives(condition, resolve(if_true, conditions), resolve(if_false, conditions)))
    if name is not None:
        return node
    value = node.value
    changed = False  # an unchanged subtree is returned as it is, not copied
    if type(value) is dict:
        entries = {}
        for key, child in value.items():
            resolved_child = resolve(child, conditions)
            if resolved_child is not None:
                entries[key] = resolved_child
            changed = changed or resolved_child is not child
        return node.with_value(entries) if changed else node
    if type(value) is list:
        items = []
        for child in value:
            resolved_child = resolve(child, conditions)
            if resolved_child is not None:
                items.append(resolved_child)
            changed = changed or resolved_child is not child
        return node.with_value(items) if changed else node
    return node


def with_opaque_values(node: Node) -> Node:
    """A resolved tree with each intrinsic left in it (``Ref``, ``Fn::GetAtt``, ...) an opaque
    value; unchanged subtrees are shared."""
    if intrinsic_name(node) is not None:
        return node.with_value(opaque(node))
    value = node.value
    if type(value) is str and DYNAMIC_REFERENCE in value:
        return node.with_value(Opaque(value, _dynamic_pieces(value)))
    if type(value) is Alternatives:
        branches = [None if b is None else with_opaque_values(b) for b in (value.if_true, value.if_false)]
        if branches[0] is value.if_true and branches[1] is value.if_false:
            return node
        return node.with_value(Alternatives(value.condition, *branches))
    if type(value) is dict:
        entries = {key: with_opaque_values(child) for key, child in value.items()}
        return node.with_value(entries) if any(entries[k] is not value[k] for k in value) else node
    if type(value) is list:
        items = [with_opaque_values(child) for child in value]
        return node.with_value(items) if any(a is not b for a, b in zip(items, value, strict=True)) else node
    return node


def _dynamic_pieces(value: str) -> tuple:
    """"arn:aws:kms:{{resolve:ssm:/region}}:..." -> ("arn:aws:kms:", Unknown("{{resolve:ssm:/region}}"), ":...")."""
    pieces: list = []
    at = 0
    for match in _DYNAMIC.finditer(value):
        pieces += [value[at:match.start()], Unknown(match.group())]
        at = match.end()
    pieces.append(value[at:])
    return tuple(p for p in pieces if p != "")


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
    """``Fn::Sub`` "a${X}b" -> ("a", Unknown("X"), "b");
    ``Fn::Join`` ["", ["a", {"Ref": "X"}]] -> ("a", Unknown("X"))."""
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
