"""Values a reader cannot know before deployment, in every format: opaque values, and
alternatives (a value that is one of two, depending on a condition).

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
    """An unknown piece of a string: what the file names it by (``AWS::AccountId``, ``var.account``),
    and, when that name is an alias the reader sees through (a Terraform ``local.account_id``
    holding ``data.aws_caller_identity.current.account_id``), what it stands for: rules read the
    ``meaning``, messages show the ``name``."""

    __slots__ = ("name", "means")

    def __init__(self, name: str, means: str | None = None) -> None:
        self.name = name
        self.means = means

    @property
    def meaning(self) -> str:
        return self.means or self.name

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
        return self.spelled()

    def spelled(self) -> str:
        """The string it builds, unknown pieces as `${name}`; else how it is written."""
        if self.parts is None:
            return self.text
        return "".join(part if type(part) is str else f"${{{part.name}}}" for part in self.parts)


class Alternatives:
    """A value that is one of two, chosen by a condition only known when deployed: a
    CloudFormation ``Fn::If``, a Terraform ``c ? a : b``. A branch of None means "absent" (the
    element is removed: ``AWS::NoValue``, ``null``). Rules never see one: the engine checks each
    possible world (``iamlint.worlds``), where every condition has one truth value."""

    __slots__ = ("condition", "if_true", "if_false")

    def __init__(self, condition: str, if_true: Node | None, if_false: Node | None) -> None:
        self.condition = condition  # its name (CloudFormation) or its expression (Terraform)
        self.if_true = if_true
        self.if_false = if_false

    def branch(self, truth: bool) -> Node | None:
        return self.if_true if truth else self.if_false

    def __repr__(self) -> str:
        return f"Alternatives({self.condition!r})"


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
    if type(value) is Alternatives:  # a tree not split into worlds (a cache key): both, as written
        return {"?": [value.condition, *(None if b is None else plain_data(b, opaque)
                                          for b in (value.if_true, value.if_false))]}
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
