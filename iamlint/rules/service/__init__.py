"""IAM2xx: what AWS services accept, checked offline against the service data snapshot."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator

    from iamlint.nodes import Node
    from iamlint.policy import PolicyDocument

ACTION_ELEMENTS = ("Action", "NotAction")


def action_nodes(policy: PolicyDocument) -> Iterator[Node]:
    """Every action string of every statement, ``Action`` and ``NotAction`` alike."""
    for statement in policy.statements():
        for element in ACTION_ELEMENTS:
            yield from statement.strings(element)


def suggestion(word: str, candidates, cutoff: float = 0.7) -> str:
    """`; did you mean `X`?` for the closest candidate, or nothing."""
    from iamlint.rules.grammar import close_matches

    by_lower = {c.lower(): c for c in candidates}
    found = close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return f"; did you mean `{by_lower[found[0]]}`?" if found else ""
