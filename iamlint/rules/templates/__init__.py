"""IAM4xx: how templates attach permissions (inline policies, users, admin managed policies)."""

from __future__ import annotations

from iamlint.nodes import Node


def literal_text(node: Node | None) -> str | None:
    """The text a value spells, as far as it is literal: a string, a ``Fn::Sub`` template, the
    string parts of a ``Fn::Join`` (``${AWS::Partition}`` and references stay as written), or an
    opaque string of known and unknown pieces (Terraform's ``"arn:${var.p}:..."``)."""
    if node is None:
        return None
    value = node.value
    if type(value) is str:
        return value
    parts = getattr(value, "parts", None)
    if parts is not None:
        return "".join(part if type(part) is str else "${" + part.name + "}" for part in parts)
    if type(value) is dict and len(value) == 1:
        (name, argument), = value.items()
        if name == "Fn::Sub":
            first = argument.value[0] if type(argument.value) is list and argument.value else argument
            return first.value if type(first.value) is str else None
        if name == "Fn::Join" and type(argument.value) is list and len(argument.value) == 2:
            separator, parts = argument.value
            if type(separator.value) is str and type(parts.value) is list:
                return separator.value.join(p.value if type(p.value) is str else "${}" for p in parts.value)
    return None
