"""Values a reader cannot know before deployment, in every format.

A CloudFormation ``!Ref Bucket`` or ``!GetAtt Role.Arn``, a Terraform ``var.bucket_arn`` or
``"arn:aws:s3:::${var.bucket}/*"``: the reader turns each into a node whose value is an
``Opaque``. No rule reads it as ``*`` and none calls it invalid: it is not a string, a list or a
mapping, so element accessors skip it, and the schema check reads it as a string every element
accepts. Where the value is a string built from known and unknown pieces, ``parts`` keeps them,
so a rule can still see that ``arn:aws:iam::${AWS::AccountId}:root`` names an account's root.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.nodes import Node

# What an opaque value reads as for the structural schema check: a string every element accepts.
OPAQUE = "*"


class Unknown:
    """An unknown piece of a string: what the file names it by (``AWS::AccountId``, ``var.account``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Unknown({self.name!r})"


class Opaque:
    """A value known only when deployed: how the file writes it and, for a string built from
    pieces, the pieces (``str`` for known text, ``Unknown`` for the rest)."""

    __slots__ = ("text", "parts")

    def __init__(self, text: str, parts: tuple[str | Unknown, ...] | None = None) -> None:
        self.text = text
        self.parts = parts

    def __repr__(self) -> str:
        return f"Opaque({self.text!r})"

    def __str__(self) -> str:
        return self.text


def is_opaque(node: Node | None) -> bool:
    return node is not None and type(node.value) is Opaque


def plain_data(node: Node, opaque: str = OPAQUE) -> Any:
    """A tree as plain JSON data for the schema check, each opaque value the string ``opaque``."""
    value = node.value
    if type(value) is dict:
        return {k: plain_data(v, opaque) for k, v in value.items()}
    if type(value) is list:
        return [plain_data(v, opaque) for v in value]
    if type(value) is Opaque:
        return opaque
    return value


def opaque_on_path(root: Node, path: tuple) -> bool:
    """Whether the node at ``path``, or one on the way to it, is opaque."""
    node: Node | None = root
    for step in path:
        if node is None:
            return False
        if is_opaque(node):
            return True
        node = node.at((step,))
    return is_opaque(node)
