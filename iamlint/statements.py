"""Resources that are one resource-policy statement spelled as properties, read as the policy
they add: a Lambda permission (`AWS::Lambda::Permission`, Terraform's `aws_lambda_permission`)
is the statement Lambda adds to the function's policy, a layer version permission the one it
adds to the layer's. Built here once, from nodes named as CloudFormation names the properties,
so every reader that has such resources gets every rule for free.

The statement is made of the resource's own nodes: each value is the property's value node and
each key the property's key node (``Condition: {ArnLike: {aws:SourceArn: ...}}`` is reported at
``SourceArn:``); what the resource does not spell (``Version``, ``Effect: Allow``) sits at the
``anchor`` the reader gives (the resource's type). Values only known when deployed stay opaque;
alternatives (``Fn::If``, ``c ? a : b``) stay alternatives, checked in each world.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.nodes import Node

from iamlint.values import Alternatives, Opaque

VERSION = "2012-10-17"
_ACCOUNT = re.compile(r"\d+")

# property -> (operator, condition key): what Lambda's AddPermission writes for each
LAMBDA_PERMISSION_CONDITIONS = (
    ("SourceArn", "ArnLike", "aws:SourceArn"),
    ("SourceAccount", "StringEquals", "aws:SourceAccount"),
    ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
    ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ("EventSourceToken", "StringEquals", "lambda:EventSourceToken"),
    ("InvokedViaFunctionUrl", "Bool", "lambda:InvokedViaFunctionUrl"),
)
LAYER_PERMISSION_CONDITIONS = (("OrganizationId", "StringEquals", "aws:PrincipalOrgID"),)


def lambda_permission(properties: Node, anchor: Node) -> Node | None:
    """The policy an `AWS::Lambda::Permission` adds to its function, from the resource's
    properties (a mapping node; CloudFormation's names: ``Principal``, ``Action``,
    ``FunctionName``, ``SourceArn``, ``SourceAccount``, ``PrincipalOrgID``,
    ``FunctionUrlAuthType``, ``EventSourceToken``, ``InvokedViaFunctionUrl``)::

        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow",
                        "Principal": "*" | {"AWS": <Principal>} | {"Service": <Principal>},
                        "Action": <Action>,
                        "Resource": <FunctionName, opaque: a name or an ARN>,
                        "Condition": {"ArnLike": {"aws:SourceArn": <SourceArn>},
                                      "StringEquals": {"aws:SourceAccount": <SourceAccount>, ...}}}]}

    None when ``properties`` is not a mapping."""
    return _permission(properties, anchor, "FunctionName", LAMBDA_PERMISSION_CONDITIONS)


def layer_version_permission(properties: Node, anchor: Node) -> Node | None:
    """The policy an `AWS::Lambda::LayerVersionPermission` adds to its layer version:
    ``Principal`` (an account id or ``*``), ``Action``, ``LayerVersionArn`` as the resource and
    ``OrganizationId`` as ``aws:PrincipalOrgID``."""
    return _permission(properties, anchor, "LayerVersionArn", LAYER_PERMISSION_CONDITIONS)


def _permission(properties: Node, anchor: Node, resource: str, conditions: tuple) -> Node | None:
    if not properties.is_mapping:
        return None
    entries: dict[str, Node] = {"Effect": _at(anchor, "Allow", "Effect")}
    principal = properties.get("Principal")
    if principal is not None:
        entries["Principal"] = _alternatives(principal, _principal)
    action = properties.get("Action")
    if action is not None:
        entries["Action"] = action
    target = properties.get(resource)
    if target is not None:
        resource_node = _alternatives(target, _opaque)
        entries["Resource"] = resource_node.with_value(resource_node.value, key=_key(target, "Resource"))
    condition = _condition(properties, conditions)
    if condition is not None:
        entries["Condition"] = condition
    statement = properties.with_value(entries, key=None)
    statements = properties.with_value([statement], key=_at(anchor, "Statement", None))
    return properties.with_value({"Version": _at(anchor, VERSION, "Version"), "Statement": statements})


def _at(anchor: Node, value, key: str | None) -> Node:
    """A node holding ``value`` in the anchor's place, under a key node ``key`` there too."""
    return anchor.with_value(value, key=None if key is None else anchor.with_value(key, key=None))


def _key(node: Node, name: str) -> Node | None:
    """The key node of a property, renamed to the policy's element: it stays where it is written."""
    return node.key.with_value(name, key=None) if node.key is not None else None


def _alternatives(node: Node, build) -> Node:
    """``build(node)``, in each branch of an alternative value."""
    value = node.value
    if type(value) is Alternatives:
        branches = [None if b is None else _alternatives(b, build) for b in (value.if_true, value.if_false)]
        return node.with_value(Alternatives(value.condition, *branches))
    return build(node)


def _principal(node: Node) -> Node:
    """``"*"`` as it is; an account id, an ARN or a value only known when deployed under
    ``AWS``; a service's domain name (known, or with known pieces that have a dot) under
    ``Service``."""
    if type(node.value) is str and node.value.strip() == "*":
        return node
    kind = principal_key(node.value)
    inner = node.with_value(node.value, key=_key(node, kind) if node.key is not None else node.with_value(kind))
    return node.with_value({kind: inner})


def principal_key(value) -> str:
    """``AWS`` or ``Service``: what a Lambda-style principal names, as the Lambda API reads it
    (an account id or an ARN, else a service principal). A value known only in part is a
    service when its known text has a dot and does not start an ARN
    (``logs.${AWS::Region}.amazonaws.com``); wholly unknown, ``AWS`` (no rule reads it)."""
    if type(value) is str:
        text = value.strip()
        # digits only: an account id, perhaps mistyped (invalid-principal says so)
        return "AWS" if text.startswith("arn:") or _ACCOUNT.fullmatch(text) else "Service"
    if type(value) is not Opaque or value.parts is None:
        return "AWS"  # an account id YAML read as a number, or a value only known when deployed
    known = "".join(part for part in value.parts if type(part) is str)
    first = value.parts[0]
    if type(first) is str and first.startswith("arn:"):
        return "AWS"
    suffix = any(type(part) is not str and part.name == "AWS::URLSuffix" for part in value.parts)
    return "Service" if "." in known or suffix else "AWS"


def _opaque(node: Node) -> Node:
    """A function's or layer's name or ARN: opaque, so no rule judges it as an ARN."""
    if type(node.value) is Opaque:
        return node
    return node.with_value(Opaque(str(node.value)))


def _condition(properties: Node, conditions: tuple) -> Node | None:
    operators: dict[str, Node] = {}
    first: Node | None = None
    for prop, operator, key in conditions:
        value = properties.get(prop)
        if value is None:
            continue
        first = first or value
        block = operators.get(operator)
        if block is None:
            block = operators[operator] = value.with_value({}, key=_key(value, operator))
        block.value[key] = value.with_value(value.value, key=_key(value, key))
    if first is None:
        return None
    return first.with_value(operators, key=_key(first, "Condition"))
