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


_CHECKED: dict[str, tuple] = {}  # action string -> (prefix, name, expansion), or () when not checkable
_registered = False


def checked_actions(policy: PolicyDocument) -> list[tuple[Node, str, str, tuple | None]]:
    """(node, prefix, name, the actions it stands for or None) for every action string of the
    policy that names a service (not `*`, not a wildcard prefix), computed once per policy for
    the rules that need it."""
    found = policy.cache.get("actions")
    if found is None:
        from iamlint import services

        global _registered
        if not _registered:  # the expansions depend on the service data in use
            services.on_change(_CHECKED)
            _registered = True
        found = []
        expand, known = services.expand, _CHECKED
        for node in action_nodes(policy):
            value = node.value
            entry = known.get(value)
            if entry is None:
                prefix, colon, name = value.partition(":")
                usable = colon and prefix and name and "*" not in prefix and "?" not in prefix
                entry = known[value] = (prefix, name, expand(value)) if usable else ()
            if entry:
                found.append((node, *entry))
        policy.cache["actions"] = found
    return found


def suggestion(word: str, candidates, cutoff: float = 0.7) -> str:
    """`; did you mean `X`?` for the closest candidate, or nothing. Only candidates that begin
    with the same letter are compared (typos are rarely in the first letter, and difflib is slow
    on the thousands of actions of a large service)."""
    from iamlint.rules.grammar import close_matches

    lowered = word.lower()
    by_lower = {c.lower(): c for c in candidates if c[:1].lower() == lowered[:1]}
    found = close_matches(lowered, list(by_lower), n=1, cutoff=cutoff)
    return f"; did you mean `{by_lower[found[0]]}`?" if found else ""


def conditions_by_key(policy: PolicyDocument) -> dict[str, list]:
    """Lowercase condition key -> [(statement, condition entry), ...] over the whole policy, in
    document order; computed once per policy (most statements test no key, and the rules about
    particular keys ask this instead of walking every statement)."""
    found = policy.cache.get("conditions_by_key")
    if found is None:
        found = {}
        for statement in policy.statements():
            for entry in statement.conditions():
                found.setdefault(entry.name, []).append((statement, entry))
        policy.cache["conditions_by_key"] = found
    return found
