"""Terraform's own spellings of a policy, as the positioned tree every rule reads.

- ``data "aws_iam_policy_document"``: blocks become the IAM document the provider renders. Each
  element's key node is the HCL attribute or block name (``actions`` for ``Action``), its value
  the HCL value (a finding on an action points at the string in ``actions = [...]``); the
  defaults the provider fills in (``Effect: Allow``, ``Version``) are nodes at the block's name.
  ``&{aws:username}`` becomes ``${aws:username}``, as the provider writes it; an empty ``sid`` or
  ``policy_id`` is left out, as the provider leaves it out.
- ``aws_lambda_permission`` and its kind: one resource-policy statement spelled as attributes,
  read through ``iamlint.statements`` as CloudFormation's ``AWS::Lambda::Permission`` is.
- What every Terraform policy gets: an element that may be null (``try(s.not_actions, null)``)
  beside its opposite is left out (``cleaned``), and the kind of a document nobody uses is
  worked out from its content (``inferred_kind``).

Values iamlint cannot know stay opaque (``iamlint.values``): a ``dynamic "condition"`` or
``dynamic "principals"``, or a ``condition`` whose ``test`` or ``variable`` is not literal, makes
the whole ``Condition`` or ``Principal`` opaque, so that "no condition" is never concluded from
it; a ``dynamic "statement"`` is read from its ``content`` as a statement that may or may not be
there, its ``Sid`` opaque (two mutually exclusive dynamic statements may share one).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from iamlint.parsers.hcl import Block, Body

from iamlint.nodes import Node
from iamlint.parsers.hcl_nodes import keyed, to_node
from iamlint.policy import TRUST_ACTIONS
from iamlint.readers.terraform_table import DOCUMENT_ELEMENTS, PRINCIPAL_BLOCKS
from iamlint.values import Alternatives, Opaque

PAIRS = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))
VERSION = "2012-10-17"


def _opaque(text: str, start: int, end: int, lines: Any, key: Node | None = None) -> Node:
    node = Node(Opaque(text), start=start, end=end, lines=lines)
    node.key = key
    return node


def _name(block: Block, name: str) -> Node:
    """A node holding ``name`` at the place of the block's type word (``statement``)."""
    node = block.type_node
    return node.with_value(name, key=None)


def _value(attribute, resolve: Callable | None) -> Node | None:
    node = _unset_if_empty(to_node(attribute.expr, resolve))
    return None if node is None else keyed(_provider_variables(node), attribute.name_node, resolve)


def _unset_if_empty(node: Node | None) -> Node | None:
    """An empty list is no element at all: the provider leaves an empty set out of the JSON."""
    if node is None:
        return None
    value = node.value
    if type(value) is list and not value:
        return None
    if type(value) is Alternatives:
        branches = [_unset_if_empty(b) for b in (value.if_true, value.if_false)]
        if branches[0] is None and branches[1] is None:
            return None
        return node.with_value(Alternatives(value.condition, *branches))
    return node


def _provider_variables(node: Node) -> Node:
    """Strings with ``&{...}`` as the provider sends them: ``${...}`` (same length, same places)."""
    value = node.value
    if type(value) is str:
        return node.with_value(value.replace("&{", "${")) if "&{" in value else node
    if type(value) is list:
        items = [_provider_variables(item) for item in value]
        return node.with_value(items) if any(a is not b for a, b in zip(items, value, strict=True)) else node
    if type(value) is Alternatives:
        branches = [None if b is None else _provider_variables(b) for b in (value.if_true, value.if_false)]
        return node.with_value(Alternatives(value.condition, *branches))
    if type(value) is Opaque and value.parts and any(type(p) is str and "&{" in p for p in value.parts):
        parts = tuple(p.replace("&{", "${") if type(p) is str else p for p in value.parts)
        return node.with_value(Opaque(value.text, parts))
    return node


def _dynamic(body: Body, name: str) -> list[Block]:
    return [b for b in body.blocks if b.type == "dynamic" and b.label_values[:1] == [name]]


def document_node(block: Block, resolve: Callable | None) -> Node | None:
    """The IAM document a ``data "aws_iam_policy_document"`` block renders, its own statements
    only (what ``source_policy_documents`` merges in is linted where it is written); None when
    it has no statement of its own."""
    body = block.body
    lines = block._lines
    entries: dict[str, Node] = {}
    version = body.attribute("version")
    version_node = _value(version, resolve) if version is not None else None
    entries["Version"] = version_node if version_node is not None else \
        _name(block, VERSION).with_value(VERSION, key=_name(block, "Version"))
    policy_id = body.attribute("policy_id")
    if policy_id is not None:
        node = _value(policy_id, resolve)
        if node is not None and node.value != "":  # the provider writes no empty `Id`
            entries["Id"] = node
    statements = []
    first_block = None
    for child in body.blocks:
        if child.type == "statement":
            statements.append(statement_node(child, child.body, resolve, maybe=False))
        elif child.type == "dynamic" and child.label_values[:1] == ["statement"]:
            content = child.body.block("content")
            if content is None:
                continue
            statements.append(statement_node(child, content.body, resolve, maybe=True))
        else:
            continue
        first_block = first_block or child
    if not statements:
        return None
    entries["Statement"] = Node(statements, start=statements[0].start, end=statements[-1].end, lines=lines,
                                key=_name(first_block, "Statement"))
    root = Node(entries, start=block.start, end=block.end, lines=lines)
    root.key = block.header
    return root


def statement_node(block: Block, body: Body, resolve: Callable | None, maybe: bool) -> Node:
    """One ``statement`` block (or a ``dynamic "statement"``'s ``content``) as a statement."""
    lines = block._lines
    entries: dict[str, Node] = {}
    for name, element in DOCUMENT_ELEMENTS.items():
        attribute = body.attribute(name)
        if attribute is None:
            continue
        node = _value(attribute, resolve)
        if node is None:
            continue
        if element == "Sid" and node.value == "":
            continue  # the provider writes no `Sid` for an empty one
        if element == "Sid" and maybe:  # a maybe-statement's Sid may repeat another's: unknown
            node = _opaque(attribute.expr.text, attribute.expr.start, attribute.expr.end, lines, attribute.name_node)
        entries[element] = node
    if "Effect" not in entries:  # the provider's default
        entries["Effect"] = _name(block, "Allow").with_value("Allow", key=_name(block, "Effect"))
    for block_type, element in PRINCIPAL_BLOCKS.items():
        node = _principal(body, block_type, resolve)
        if node is not None:
            entries[element] = node
    condition = _condition(body, resolve)
    if condition is not None:
        entries["Condition"] = condition
    return cleaned_statement(Node(entries, start=block.start, end=block.end, lines=lines))


def _principal(body: Body, block_type: str, resolve: Callable | None) -> Node | None:
    """``principals { type, identifiers }`` blocks as one ``Principal``: ``{type: identifiers}``
    merged by type, ``"*"`` for type ``*``; opaque when any is dynamic or has an unknown type."""
    blocks = [b for b in body.blocks if b.type == block_type]
    dynamic = _dynamic(body, block_type)
    if not blocks and not dynamic:
        return None
    everything = sorted(blocks + dynamic, key=lambda b: b.start)
    first, last = everything[0], everything[-1]
    lines = first._lines
    key = first.type_node if first.type == block_type else first.labels[0].with_value(block_type, key=None)
    whole = _opaque(first._text[first.start:last.end], first.start, last.end, lines, key)
    if dynamic:
        return whole
    by_type: dict[str, list[Node]] = {}
    type_nodes: dict[str, Node] = {}
    for block in blocks:
        type_attribute = block.body.attribute("type")
        type_node = _value(type_attribute, resolve) if type_attribute is not None else None
        if type_node is None or type(type_node.value) is not str:
            return whole
        identifiers = block.body.attribute("identifiers")
        value = _value(identifiers, resolve) if identifiers is not None else None
        if type_node.value == "*":
            star = value.value[0] if value is not None and type(value.value) is list and value.value else type_node
            return star.with_value("*", key=key)
        items = by_type.setdefault(type_node.value, [])
        type_nodes.setdefault(type_node.value, type_node)
        if value is None:
            continue
        items.extend(value.value if type(value.value) is list else [value])
    entries = {}
    for name, items in by_type.items():
        type_node = type_nodes[name]
        type_key = type_node.with_value(name, key=None)
        if items:
            entries[name] = Node(items, start=items[0].start, end=items[-1].end, lines=lines, key=type_key)
        else:
            entries[name] = type_node.with_value([], key=type_key)
    return Node(entries, start=first.start, end=last.end, lines=lines, key=key)


def _condition(body: Body, resolve: Callable | None) -> Node | None:
    """``condition { test, variable, values }`` blocks as one ``Condition``: ``{test: {variable:
    values}}``, values of a repeated test and variable together; opaque when any is dynamic or
    names its test or variable through an expression."""
    blocks = [b for b in body.blocks if b.type == "condition"]
    dynamic = _dynamic(body, "condition")
    if not blocks and not dynamic:
        return None
    everything = sorted(blocks + dynamic, key=lambda b: b.start)
    first, last = everything[0], everything[-1]
    lines = first._lines
    key = first.type_node if first.type == "condition" else first.labels[0].with_value("condition", key=None)
    whole = _opaque(first._text[first.start:last.end], first.start, last.end, lines, key)
    if dynamic:
        return whole
    operators: dict[str, Node] = {}
    for block in blocks:
        test, variable = block.body.attribute("test"), block.body.attribute("variable")
        test_node = _value(test, resolve) if test is not None else None
        variable_node = _value(variable, resolve) if variable is not None else None
        if test_node is None or variable_node is None or type(test_node.value) is not str \
                or type(variable_node.value) is not str:
            return whole
        values = block.body.attribute("values")
        value = _value(values, resolve) if values is not None else None
        if value is None:
            value = block.type_node.with_value([], key=None)
        operator = operators.get(test_node.value)
        if operator is None:
            operator = operators[test_node.value] = Node({}, start=block.start, end=block.end, lines=lines,
                                                         key=test_node.with_value(test_node.value, key=None))
        operator.end = block.end
        key_node = variable_node.with_value(variable_node.value, key=None)
        earlier = operator.value.get(variable_node.value)
        if earlier is not None:  # the provider merges the values of a repeated test and variable
            items = list(earlier.elements()) + list(value.elements())
            value = Node(items, start=earlier.start, end=value.end, lines=lines)
        operator.value[variable_node.value] = value.with_value(value.value, key=key_node)
    return Node(operators, start=first.start, end=last.end, lines=lines, key=key)


def cleaned_statement(statement: Node) -> Node:
    """A statement without the unknown half of an element pair (``Action``/``NotAction``, ...):
    modules write ``actions = try(s.actions, null)`` and ``not_actions = try(s.not_actions, null)``
    and only one is ever set. The literal one is kept; when both are unknown, the positive one."""
    value = statement.value
    if type(value) is not dict:
        return statement
    drop = []
    for positive, negative in PAIRS:
        first, second = value.get(positive), value.get(negative)
        if first is None or second is None:
            continue
        if type(second.value) is Opaque:
            drop.append(negative)
        elif type(first.value) is Opaque:
            drop.append(positive)
    if not drop:
        return statement
    return statement.with_value({k: v for k, v in value.items() if k not in drop})


def cleaned(root: Node) -> Node:
    """A policy's statements, each ``cleaned_statement``."""
    value = root.value
    if type(value) is Alternatives:
        branches = [None if b is None else cleaned(b) for b in (value.if_true, value.if_false)]
        return root.with_value(Alternatives(value.condition, *branches))
    statements = root.get("Statement")
    if statements is None:
        return root
    if statements.is_mapping:
        new = cleaned_statement(statements)
    elif statements.is_sequence:
        items = [cleaned_statement(s) for s in statements.value]
        changed = any(a is not b for a, b in zip(items, statements.value, strict=True))
        new = statements.with_value(items) if changed else statements
    else:
        return root
    if new is statements:
        return root
    return root.with_value({**root.value, "Statement": new})


def inferred_kind(root: Node) -> str:
    """The kind of a policy nobody in its folder uses, from its content: identity without a
    principal; trust when every Allow with a principal grants only ``sts:AssumeRole*`` and its
    kin; resource otherwise. A statement whose actions are all unknown says nothing."""
    statements = root.get("Statement")
    items = [s for s in (statements.elements() if statements is not None else []) if s.is_mapping]
    with_principal = [s for s in items if s.get("Principal") is not None or s.get("NotPrincipal") is not None]
    if not with_principal:
        return "identity"
    known = []
    for statement in with_principal:
        effect = statement.get("Effect")
        actions = statement.get("Action")
        names = [n.value.lower() for n in actions.strings()] if actions is not None else []
        if effect is not None and effect.value == "Allow" and names:
            known.append(names)
    if known and all(all(name in TRUST_ACTIONS for name in names) for names in known):
        return "trust"
    return "resource"


def statement_resource(block: Block, elements: dict, anchor: Node, resolve: Callable | None) -> Node | None:
    """The policy an ``aws_lambda_permission``-like resource adds, built as the CloudFormation
    reader builds it (``iamlint.statements``): its attributes as a mapping keyed by the
    CloudFormation property names, each value the attribute's value node (opaque or alternatives
    where iamlint cannot know it) under the attribute's name node; what the resource does not
    spell sits at ``anchor`` (its type label)."""
    from iamlint import statements

    body = block.body
    entries: dict[str, Node] = {}
    for attribute_name, prop in elements["properties"].items():
        attribute = body.attribute(attribute_name)
        node = to_node(attribute.expr, resolve) if attribute is not None else None
        if node is not None:  # null: not set
            entries[prop] = keyed(node, attribute.name_node, resolve)
    properties = Node(entries, start=block.start, end=block.end, lines=block._lines, key=block.header)
    return getattr(statements, elements["build"])(properties, anchor)
