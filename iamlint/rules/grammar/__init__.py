"""IAM1xx: the policy grammar. Most of these rules claim violations found by the JSON Schema."""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

from iamlint.nodes import Node, Span
from iamlint.rules.base import Finding, Rule

if TYPE_CHECKING:
    from iamlint.policy import PolicyDocument
    from iamlint.rules.base import RuleContext
    from iamlint.schema import SchemaError

STATEMENT_ELEMENTS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                      "Resource", "NotResource", "Condition")
_TYPE_NAMES = {"string": "a string", "array": "a list", "object": "an object", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "null"}


class SchemaRule(Rule):
    """A grammar rule that reports the schema violations it recognises (``claim``)."""

    claims_every_error = False  # True for the generic rule, which reports what no other rule claims

    def claim(self, error: SchemaError, policy: PolicyDocument) -> str | None:
        """The message for an error this rule owns, or None."""
        raise NotImplementedError

    def check(self, policy: PolicyDocument, ctx: RuleContext) -> Iterable[Finding]:
        for error in ctx.schema_errors():
            message = self.claim(error, policy)
            if message is not None:
                yield Finding(error.node, message, span=point_span(error))


def point_span(error: SchemaError) -> Span | None:
    """Objects that miss something are reported at their opening brace, not across their whole body."""
    if error.keyword in ("required", "anyOf", "minProperties") and error.node.is_mapping:
        return opening(error.node)
    return None


def opening(node: Node) -> Span:
    span = node.span
    return Span(span.line, span.column, span.line, span.column + 1)


def element(path: tuple) -> str:
    """The IAM element a path is about: the last key in it (``Statement/0/Action/1`` -> ``Action``)."""
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return "policy"


def in_element(path: tuple, names: tuple[str, ...]) -> bool:
    """True when the path runs through a statement element among ``names``."""
    return len(path) >= 3 and path[0] == "Statement" and any(step in names for step in path[1:3])


def show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return "`" + (text if len(text) <= 60 else text[:57] + "...") + "`"


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return _TYPE_NAMES.get({int: "integer", float: "number", str: "string", list: "array", dict: "object"}
                           .get(type(value), ""), "a value")


def expected_types(expected: Any) -> str:
    names = [_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def either(values: list) -> str:
    shown = [show(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def close_matches(word: str, possibilities, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """difflib's suggestions, imported only when there is something to suggest (start-up time)."""
    from difflib import get_close_matches

    return get_close_matches(word, possibilities, n, cutoff)
