from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.values import Opaque


def _leaf(value) -> object:
    if type(value) is Opaque:
        return ("opaque", value.text)
    return value if type(value) is str else (type(value).__name__, value)


def _normal(node) -> object:
    """An element as compared: objects by key (as written), a list and a lone value alike, as a set."""
    if node is None:
        return None
    if node.is_mapping:
        return frozenset((key, _normal(child)) for key, child in node.items())
    if node.is_sequence and any(child.is_mapping or child.is_sequence for child in node.value):
        return ("list", tuple(_normal(child) for child in node.value))
    return frozenset(_leaf(child.value) for child in node.elements())


_ACTIONS: dict[str, tuple] = {}  # action as written -> (lower case, service, star pieces | None | False)


def _action(action: str) -> tuple:
    """An action as compared: lower case, its service, and its wildcard pieces (``arns.star_pieces``:
    None when it has a `?`; False for a plain name). Policies repeat actions: each is worked out once."""
    info = _ACTIONS.get(action)
    if info is None:
        if len(_ACTIONS) > 65536:
            _ACTIONS.clear()
        lowered = action.lower()
        wild = "*" in lowered or "?" in lowered
        info = _ACTIONS[action] = (lowered, lowered.partition(":")[0], arns.star_pieces(lowered) if wild else False)
    return info


def _wild_covers(pattern: str, pieces, action: str) -> bool:
    if pieces is None:
        return arns.glob_covers(pattern, action)
    return action.startswith(pieces[0]) and arns.star_match(pieces, action)


def _outline(node) -> object:
    """An element's shape, cheap to work out: absent, a string, or the keys of an object and of
    the objects in it (the operators and condition keys of a `Condition`)."""
    if node is None:
        return None
    value = node.value
    if type(value) is not dict:
        return value if type(value) is str else type(value).__name__
    return frozenset((key, frozenset(child.value) if type(child.value) is dict else None)
                     for key, child in value.items())


class _Member:
    """A statement of a group: its actions (strings, or an opaque value's identity) as a set for
    the quick test most pairs fail, its wildcard actions by service, and, worked out only for
    the pairs that pass, its resources and its principal and condition as compared."""

    __slots__ = ("statement", "actions", "action_set", "wild", "any_service", "_resources", "_normal")

    def __init__(self, statement, actions: list) -> None:
        self.statement, self.actions = statement, actions
        strings = [a for a in actions if type(a) is str]
        lowered = frozenset(map(str.lower, strings))
        self.action_set = lowered if len(strings) == len(actions) else lowered.union(
            a for a in actions if type(a) is not str)
        joined = "\0".join(strings)
        self.wild = True if "*" in joined or "?" in joined else None  # its wildcard actions, when first asked
        self.any_service: list = []  # `*`, `*:*`, `s3*:Get*`
        self._resources: tuple | None = None
        self._normal: tuple | None = None

    @property
    def normal(self) -> tuple:
        """Principal, NotPrincipal and Condition as compared."""
        if self._normal is None:
            value = self.statement.node.value
            self._normal = (_normal(value.get("Principal")), _normal(value.get("NotPrincipal")),
                            _normal(value.get("Condition")))
        return self._normal

    @property
    def resources(self) -> tuple:
        """(entries, their set, whether one has a wildcard); entries None without `Resource`,
        False when an entry is neither a string nor an opaque value."""
        if self._resources is None:
            if "Resource" not in self.statement.node.value:
                self._resources = (None, None, False)
            else:
                entries = _values(self.statement, "Resource")
                if not entries:  # an empty list grants nothing: the grammar rules say so
                    self._resources = (False, None, False)
                else:
                    joined = "\0".join(r for r in entries if type(r) is str)
                    self._resources = (entries, frozenset(entries), "*" in joined or "?" in joined)
        return self._resources

    def covers_action(self, action) -> bool:
        """Whether one of this statement's actions matches everything ``action`` does."""
        if type(action) is not str:
            if self.wild is True:
                self._index_wildcards()
            return action in self.action_set or any(p in ("*", "*:*") for p, _ in self.any_service)
        lowered, service, pieces = _action(action)
        if lowered in self.action_set:
            return True
        if self.wild is None:
            return False
        if self.wild is True:
            self._index_wildcards()
        if any(_wild_covers(pattern, its, lowered) for pattern, its in self.any_service):
            return True
        if "*" in service or "?" in service:
            return False
        return any(_wild_covers(pattern, its, lowered) for pattern, its in self.wild.get(service, ()))

    def _index_wildcards(self) -> None:
        self.wild = {}  # service -> (pattern, pieces) of its wildcard actions
        for action in self.action_set:
            if type(action) is str and ("*" in action or "?" in action):
                _, service, pieces = _action(action)
                if "*" in service or "?" in service:
                    self.any_service.append((action, pieces))
                else:
                    self.wild.setdefault(service, []).append((action, pieces))

    def covers(self, other: _Member) -> bool:
        """Whether this statement allows (or denies) everything ``other`` does: its actions and
        resources (the caller has checked that they are in one group: same effect, same elements)."""
        entries, values, wild = self.resources
        other_entries, other_values, _ = other.resources
        if entries is False or other_entries is False:
            return False
        if values is not None and not other_values <= values:
            if not wild or not self._covers_resources(other_entries, entries, values):
                return False
        if not (other.action_set <= self.action_set or (
                self.wild is not None and all(self.covers_action(action) for action in other.actions))):
            return False
        return self.normal == other.normal

    @staticmethod
    def _covers_resources(others: list, entries: list, values: frozenset) -> bool:
        wild = [r for r in entries if type(r) is str and ("*" in r or "?" in r)]
        for resource in others:
            if resource in values:
                continue
            if type(resource) is not str:
                if not any("*" in w and not w.strip("*?") for w in wild):
                    return False
            elif not any(arns.coverer(w)(resource) for w in wild):
                return False
        return True


def _values(statement, element: str) -> list | None:
    """The entries of Action or Resource, each a string or an opaque value's identity; None
    when an entry is neither (the schema's business)."""
    node = statement.node.value[element]
    strings = statement.strings(element)  # shared with the other rules
    if len(strings) == (len(node.value) if type(node.value) is list else 1):
        return [n.value for n in strings]
    found = []
    for entry in node.elements():
        value = entry.value
        if type(value) is str:
            found.append(value)
        elif type(value) is Opaque:
            found.append(_leaf(value))
        else:
            return None
    return found


def _member(statement) -> _Member | None:
    """The statement as compared (the caller has checked its elements and effect)."""
    actions = _values(statement, "Action")
    return _Member(statement, actions) if actions else None


def _where(statement):
    """Where to report a statement, and how to name it."""
    sid = statement.get("Sid")
    if sid is not None and sid.is_string and sid.value:
        return sid, f"the statement `{sid.value}` (line {sid.span.line})"
    effect = statement.get("Effect")
    place = effect.key or effect
    return place, f"the statement at line {place.span.line}"


CANDIDATES = 64  # the most statements each one is compared with, of those that list its first action


class RedundantStatement(Rule):
    """A statement allows (or denies) nothing that another statement of the policy does not.

    Statement A is covered by statement B when both have the same `Effect`, the same
    `Principal`, `NotPrincipal` and `Condition` (lists compared as sets), every action of A is
    matched by an action of B (`s3:GetObject` by `s3:Get*`) and every resource of A by a
    resource of B (`arn:aws:s3:::reports/2024/*` by `arn:aws:s3:::reports/*`). Reported at A's
    `Sid` (else its `Effect`), naming B; of two statements that cover each other, the later is
    reported. Statements with `NotAction` or `NotResource` are not compared, nor are conditions
    of which one is weaker than the other: only equal ones.

    ## Why is this bad?
    The statement grants nothing more: it makes the policy longer (size limits count it) and
    misleads reviewers, who read a narrow grant where a wider one already applies. It is often
    a leftover of an edit that widened the other statement.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "ReadAll", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "ReadAll", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}
      ]
    }
    ```

    ## Known problems
    Each statement is compared with at most 64 others that list its first action, and 256 whose
    wildcards may cover it, so a policy of thousands of alike statements is checked in linear
    time; a statement covered only by one beyond those is not reported.

    ## References
    - [IAM JSON policy elements: Statement](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM229"
    name = "redundant-statement"
    severity = Severity.INFO

    def check(self, policy, ctx) -> Iterable[Finding]:
        statements = policy.statements()
        if len(statements) < 2:
            return
        groups: dict[tuple, list] = {}
        for statement in statements:
            value = statement.node.value
            if "Action" not in value or "NotAction" in value or "NotResource" in value:
                continue
            effect = value.get("Effect")
            effect = effect.value if effect is not None else None
            if effect != "Allow" and effect != "Deny":
                continue
            # grouped by the keys of principal and condition; their values are compared only for
            # the pairs that pass the rest
            if "Principal" in value or "NotPrincipal" in value or "Condition" in value:
                key = (effect, "Resource" in value, _outline(value.get("Principal")),
                       _outline(value.get("NotPrincipal")), _outline(value.get("Condition")))
            else:
                key = (effect, "Resource" in value)
            groups.setdefault(key, []).append(statement)
        for group in groups.values():
            if len(group) > 1:
                members = [member for member in map(_member, group) if member is not None]
                if len(members) > 1:
                    yield from self._redundant(members)

    def _redundant(self, group: list[_Member]) -> Iterable[Finding]:
        wild = [(position, member) for position, member in enumerate(group) if member.wild is not None]
        naming: dict = {}  # an action as written (lower case) -> the members that list it
        for position, member in enumerate(group):
            for action in member.action_set:
                naming.setdefault(action, []).append(position)
        for position, member in enumerate(group):
            # the members whose actions cover this one's first: most pairs differ on it (at most
            # CANDIDATES of each sort, so a policy of thousands of alike statements stays linear)
            probe = member.actions[0]
            lowered, service, _ = _action(probe) if type(probe) is str else (probe, "*", None)
            candidates = [p for p in naming.get(lowered, ())[:CANDIDATES + 1] if p != position][:CANDIDATES]
            if wild:
                found = examined = 0
                for p, other in wild:
                    if found >= CANDIDATES or examined >= 4 * CANDIDATES:
                        break
                    if p == position or lowered in other.action_set:
                        continue
                    if other.wild is True:
                        other._index_wildcards()
                    if other.any_service or service in other.wild:
                        examined += 1
                        if other.covers_action(probe):
                            candidates.append(p)
                            found += 1
                if found:
                    candidates.sort()
            for other_position in candidates:
                other = group[other_position]
                if not other.covers(member):
                    continue
                same = member.covers(other)
                if same and other_position > position:
                    continue  # of two that cover each other, the first stays
                place, _ = _where(member.statement)
                other_place, named = _where(other.statement)
                verb = "allows" if member.statement.effect == "Allow" else "denies"
                message = (f"this statement adds nothing: it {verb} the same as {named}" if same
                           else f"this statement adds nothing: {named} {verb} the same and more")
                yield Finding(place, message, related=(("the statement that covers it", other_place),))
                break
