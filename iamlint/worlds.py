"""Possible worlds: a policy that holds alternatives (``Fn::If``, ``c ? a : b``) is checked once
for each combination of its conditions' truth values, and a finding is reported once, saying in
which worlds it holds ("when `IsProd` is true") unless it holds in all of them.

A world gives each condition one truth value, the same everywhere the condition is used:
choosing each alternative on its own would invent combinations that never exist (`Effect: !If
[C, Allow, Deny]` with `Resource: !If [C, x, "*"]` never allows `*`). A reader may also say which
combinations are impossible (CloudFormation's `Conditions` section), and may give a policy a
guard: the truth values under which the policy exists at all (a `PolicyDocument` chosen by an
`Fn::If` around it).
"""

from __future__ import annotations

from itertools import product

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

    from iamlint.policy import PolicyDocument

from iamlint.nodes import Node
from iamlint.values import Alternatives

MAX_CONDITIONS = 6  # every combination of up to 6 conditions (64 worlds); beyond, each one alone
WORLD_ROOTS = "iamlint.worlds"  # a policy's cache: the root of each of its worlds, as last checked


class Choices:
    """What makes a policy more than one policy: the conditions of its alternatives, the truth
    values under which it exists, and which combinations can happen."""

    __slots__ = ("names", "guard", "possible")

    def __init__(self, names: tuple[str, ...], guard: dict[str, bool] | None = None,
                 possible: Callable[[dict[str, bool]], bool] | None = None) -> None:
        self.names = names  # the conditions its alternatives depend on, in document order
        self.guard = guard or {}
        self.possible = possible

    def worlds(self) -> tuple[list[dict[str, bool]], bool]:
        """Every possible world (each a full assignment), and whether all combinations were
        checked (False: too many conditions; each was varied alone, the others true)."""
        free = [name for name in self.names if name not in self.guard]
        if len(free) <= MAX_CONDITIONS:
            candidates = [dict(zip(free, truths, strict=True)) for truths in product((True, False), repeat=len(free))]
            complete = True
        else:
            candidates = [dict.fromkeys(free, True)]
            candidates += [{**dict.fromkeys(free, True), name: False} for name in free]
            complete = False
        worlds = [{**self.guard, **c} for c in candidates]
        if self.possible is not None:
            worlds = [w for w in worlds if self.possible(w)] or worlds[:1]
        return worlds, complete


def choose(node: Node, world: dict[str, bool]) -> Node | None:
    """The tree as it is in one world: each alternative replaced by its branch (None: absent, and
    removed from its mapping or list). Subtrees without alternatives are shared, not copied."""
    value = node.value
    if type(value) is Alternatives:
        branch = value.branch(world.get(value.condition, True))
        if branch is None:
            return None
        chosen = choose(branch, world)
        if chosen is None:
            return None
        return chosen.with_value(chosen.value, key=node.key or chosen.key)
    if type(value) is dict:
        entries = {}
        changed = False
        for name, child in value.items():
            picked = choose(child, world)
            changed = changed or picked is not child
            if picked is not None:
                entries[name] = picked
        return node.with_value(entries) if changed else node
    if type(value) is list:
        items = []
        changed = False
        for child in value:
            picked = choose(child, world)
            changed = changed or picked is not child
            if picked is None:
                continue
            if picked is not child and type(child.value) is Alternatives and type(picked.value) is list:
                items.extend(picked.value)  # a list chosen inside a list: its elements, as if written there
            else:
                items.append(picked)
        return node.with_value(items) if changed else node
    return node


def describe(holds: list[dict[str, bool]], worlds: list[dict[str, bool]], guard: dict[str, bool],
             causes: list[str] = ()) -> str:
    """" (when `A` is true and `B` is false)": the worlds, among ``worlds``, where a finding holds,
    in as few conditions as tell them apart (those of the alternatives around the finding, its
    ``causes``, first); "" when it holds in every one and the policy exists in every world."""
    if len(holds) == len(worlds):
        return f" (when {_conjunction(guard)})" if guard else ""
    common = {name: truth for name, truth in holds[0].items() if all(w[name] == truth for w in holds)}
    if _selects(common, worlds) != len(holds):
        return " (when " + ", or when ".join(_conjunction(w) for w in holds) + ")"
    # drop what the rest implies: first the conditions that did not choose the finding's node
    for name in sorted(common, key=lambda n: (n in causes or n in guard, -list(common).index(n))):
        fewer = {n: t for n, t in common.items() if n != name}
        if fewer and _selects(fewer, worlds) == len(holds):
            common = fewer
    return f" (when {_conjunction(common)})"


def _selects(assignment: dict[str, bool], worlds: list[dict[str, bool]]) -> int:
    return sum(all(w[name] == truth for name, truth in assignment.items()) for w in worlds)


def causes(root: Node, span) -> list[str]:
    """The conditions of the alternatives around ``span`` in a tree: those that hold it, and
    those beside it in the mappings on the way (an ``Effect: !If [...]`` beside the ``Action``)."""
    found: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        value = node.value
        if type(value) is Alternatives:
            for branch in (value.if_true, value.if_false):
                if branch is not None and _holds(branch.span, span):
                    found.append(value.condition)
                    stack.append(branch)
        elif type(value) is dict:
            found += [child.value.condition for child in value.values() if type(child.value) is Alternatives]
            stack.extend(child for child in value.values() if _holds(child.span, span))
        elif type(value) is list:
            stack.extend(child for child in value if _holds(child.span, span))
    return found


def _holds(outer, inner) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and \
        (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


def _conjunction(assignment: dict[str, bool]) -> str:
    return " and ".join(f"`{name}` is {'true' if truth else 'false'}" for name, truth in assignment.items())


def findings_in_every_world(policy: PolicyDocument, check: Callable[[PolicyDocument], list]) -> tuple[list, bool]:
    """(rule, finding) pairs of ``check`` over every world of a policy, each once, its message
    saying where it holds when not everywhere; and whether every combination was checked."""
    choices = policy.choices
    worlds, complete = choices.worlds()
    seen: dict[tuple, tuple] = {}  # (rule, place, message) -> (rule, finding, worlds where it holds)
    roots = policy.cache[WORLD_ROOTS] = [choose(policy.root, world) for world in worlds]
    for world, root in zip(worlds, roots, strict=True):
        if root is None:
            continue  # the whole policy is absent in this world
        for rule, finding in check(policy.in_world(root)):
            span = finding.span or (finding.node.span if finding.node is not None else None)
            key = (rule, span, finding.message)
            if key in seen:
                seen[key][2].append(world)
            else:
                seen[key] = (rule, finding, [world])
    found = []
    for rule, finding, holds in seen.values():
        span = finding.span or (finding.node.span if finding.node is not None else None)
        reasons = causes(policy.root, span) if span is not None and len(holds) < len(worlds) else []
        qualifier = describe(holds, worlds, choices.guard, reasons)
        found.append((rule, finding if not qualifier else finding._replace(message=finding.message + qualifier)))
    return found, complete
