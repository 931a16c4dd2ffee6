"""Typed views over a policy's nodes: the document, its statements and their elements."""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.conditions import Conditions, value_is_true  # noqa: F401 (value_is_true: its old home)
from iamlint.nodes import Node

KINDS = ("identity", "resource", "trust", "scp", "rcp", "boundary")
KIND_NAMES = {
    "identity": "identity policy",
    "resource": "resource policy",
    "trust": "trust policy",
    "scp": "service control policy",
    "rcp": "resource control policy",
    "boundary": "permissions boundary",
}


def a_kind(kind: str) -> str:
    """``an identity policy``, ``a trust policy``: the kind's name with its article."""
    name = KIND_NAMES[kind]
    return ("an " if name[0] in "aeiou" else "a ") + name


TRUST_ACTIONS = ("sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession",
                 "sts:setsourceidentity", "sts:setcontext")


def infer_kind(root: Node) -> str:
    """The kind of a policy nothing else tells: trust when the Allow statements that name a
    principal only grant sts:AssumeRole* and friends; resource when a statement names a
    principal; identity otherwise."""
    statements = [n for n in (root.get("Statement").elements() if root.get("Statement") else []) if n.is_mapping]
    with_principal = [s for s in statements if s.get("Principal") is not None or s.get("NotPrincipal") is not None]
    if not with_principal:
        return "identity"
    allows = [s for s in with_principal if s.get("Effect") is not None and s.get("Effect").value == "Allow"]
    if not allows:
        return "resource"  # a trust policy grants; only-Deny statements with principals guard resources
    for statement in allows:
        actions = [n.value.lower() for n in (statement.get("Action").strings() if statement.get("Action") else [])]
        if not actions or not all(a in TRUST_ACTIONS for a in actions):
            return "resource"
    return "trust"


class PolicyDocument:
    """One policy found in a file: its root node, what kind it is and where it sits."""

    __slots__ = ("root", "kind", "path", "origin", "text", "_data", "_statements", "attachments", "inline",
                 "resource", "in_template", "cache", "source", "choices", "holder", "generator", "format", "remarks",
                 "merged", "partial")

    def __init__(self, root: Node, kind: str, path: str, origin: str = "", text: str = "", data: Any = None,
                 attachments: frozenset[str] = frozenset(), inline: bool = False, resource: str | None = None,
                 in_template: bool = False, holder: str | None = None) -> None:
        self.root = root
        self.kind = kind
        self.path = path
        self.origin = origin  # where in the file: "" for a whole file, "PolicyVersion/Document" in an envelope
        self.text = text  # the policy's own source text, for size limits
        self._data = data
        self._statements: list[Statement] | None = None
        # known only inside templates: what the policy is attached to ("role", "user", "group";
        # empty when unknown), whether it is inline, and the resource that holds it
        self.attachments = attachments
        self.inline = inline
        self.resource = resource
        self.in_template = in_template
        self.cache: dict = {}  # what plugins compute once per policy
        self.source = ""  # the file text the policy was read from, when it stands on its own there
        # a policy with alternatives (Fn::If, c ? a : b) is checked in each world: iamlint.worlds
        self.choices = None
        # what the policy protects, as a CloudFormation resource type whatever the format
        # (`AWS::S3::Bucket`, `AWS::SQS::Queue`, `AWS::IAM::Role` for a trust policy); None when
        # unknown (a policy file) or when it protects nothing (identity policies, SCPs)
        self.holder = holder
        self.generator = ""  # what wrote the file, when a tool did ("cdk"): advice in its terms
        self.format = ""  # the reader's name, where a rule speaks the format's language
        # (span or None, text): what a finding inside the span (None: anywhere) adds to its
        # message, in parentheses (a Terraform local's value, linted where it is written, names
        # the policy that uses it)
        self.remarks: tuple = ()
        # a policy put together from others that are linted where they are written (Terraform's
        # `source_policy_documents`): only the rules about a policy as a whole check it
        # (``Rule.whole_policy``); ``partial``: one of those others, whose own statements are
        # only part of the policy AWS receives (it is measured whole, not in part)
        self.merged = False
        self.partial = False

    def in_world(self, root: Node) -> PolicyDocument:
        """The policy as it is in one world of its alternatives (``root`` chosen from its tree)."""
        world = PolicyDocument(root, self.kind, self.path, self.origin, self.text, None, self.attachments,
                               self.inline, self.resource, self.in_template, self.holder)
        world.generator = self.generator
        world.format = self.format
        world.merged = self.merged
        world.partial = self.partial
        return world

    @property
    def data(self) -> Any:
        """The policy as plain JSON data (for jsonschema and size measurement), built once, when
        first asked (a re-lint that finds the policy unchanged never needs it)."""
        if self._data is None:
            if self.in_template:  # opaque values read as strings
                from iamlint.values import plain_data

                self._data = plain_data(self.root)
            else:
                self._data = self.root.to_python()
        return self._data

    def statements(self) -> list[Statement]:
        if self._statements is None:
            node = self.root.get("Statement")
            self._statements = [] if node is None else [
                Statement(n, i) for i, n in enumerate(node.elements()) if n.is_mapping]
        return self._statements


class Statement:
    """One statement; element accessors tolerate every shape the schema would reject."""

    __slots__ = ("node", "index", "effect", "_matchers", "_strings", "_conditions", "_principals", "_covered")

    def __init__(self, node: Node, index: int) -> None:
        self.node = node
        self.index = index
        effect = node.get("Effect")  # (asked of every statement by most rules: read once)
        self.effect: str | None = effect.value if effect is not None and type(effect.value) is str else None
        self._matchers: dict[str, tuple] = {}
        self._strings: dict[str, list[Node]] = {}
        self._conditions: Conditions | None = None
        self._principals: dict | None = None  # iamlint.principals.principals, per element
        self._covered: dict | None = None  # catalogue -> what ``covers`` found

    def get(self, element: str) -> Node | None:
        return self.node.get(element)

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    def strings(self, element: str) -> list[Node]:
        """The string nodes of an element (a shared list: many rules ask; do not modify it)."""
        found = self._strings.get(element)
        if found is None:
            node = self.node.get(element)
            found = self._strings[element] = list(node.strings()) if node is not None else []
        return found

    def grants(self, action: str) -> list[Node]:
        """The nodes through which an Allow grants ``action`` (a concrete ``service:Name``).

        With ``Action``, the patterns that match it; with ``NotAction``, the NotAction key
        itself when no pattern excludes it (everything not listed is granted).
        """
        if not self.is_allow:
            return []
        if self.node.get("Action") is not None:
            return self.matching("Action", action)
        not_action = self.node.get("NotAction")
        if not_action is not None and not self.matching("NotAction", action):
            return [not_action.key or not_action]
        return []

    def matching(self, element: str, action: str) -> list[Node]:
        """The patterns of ``Action`` or ``NotAction`` that match a concrete action, in document
        order. Policies list thousands of actions, and rules ask about hundreds: literal names are
        looked up in a table, and only the wildcards of the action's own service (and those with a
        wildcard service) are matched one by one."""
        matcher = self._matchers.get(element)
        if matcher is None:
            literal: dict[str, list[Node]] = {}
            by_service: dict[str, list[Node]] = {}
            for node in self.strings(element):
                lowered = node.value.lower()
                if "*" in lowered or "?" in lowered:
                    service = lowered.partition(":")[0]
                    by_service.setdefault("*" if "*" in service or "?" in service else service, []).append(node)
                else:
                    literal.setdefault(lowered, []).append(node)
            matcher = self._matchers[element] = (literal, by_service)
        literal, by_service = matcher
        lowered = action.lower()
        candidates = by_service.get(lowered.partition(":")[0], []) + by_service.get("*", [])
        found = [n for n in candidates if action_matches(n.value, lowered)]
        found += literal.get(lowered, [])
        if len(found) > 1:
            found.sort(key=lambda n: (n.span.line, n.span.column))
        return found

    def covers(self, catalogue: ActionCatalogue) -> list[tuple[Node, list[str]]]:
        """Which actions of ``catalogue`` the statement applies to, whatever its effect, grouped
        by the node that covers them (each ``Action`` pattern, or the ``NotAction`` key); a
        shared list (rules ask again about the same catalogue): do not modify it."""
        if self._covered is None:
            self._covered = {}
        found = self._covered.get(catalogue)
        if found is None:
            found = self._covered[catalogue] = self._covers(catalogue)
        return found

    def _covers(self, catalogue: ActionCatalogue) -> list[tuple[Node, list[str]]]:
        if self.node.get("Action") is not None:
            found = [(n, catalogue.matching(n.value)) for n in self.strings("Action")]
            return [(n, hits) for n, hits in found if hits]
        not_action = self.node.get("NotAction")
        if not_action is None:
            return []
        excluded = set().union(*(catalogue.matching(n.value) for n in self.strings("NotAction")))
        hits = [a for a in catalogue.actions if a not in excluded]
        return [(not_action.key or not_action, hits)] if hits else []

    def resource_star(self) -> Node | None:
        """The ``"*"`` node of ``Resource``, if the statement applies to every resource."""
        for node in self.strings("Resource"):
            if node.value == "*":
                return node
        return None

    def conditions(self) -> Conditions:
        """The entries of ``Condition``, parsed (operator, set qualifier, ``IfExists``, negation,
        type, key, values: see iamlint.conditions), in document order; built once."""
        if self._conditions is None:
            self._conditions = Conditions.of(self.node.get("Condition"))
        return self._conditions

    def condition_keys(self) -> set[str]:
        """The condition keys tested, in lower case, whatever the operator."""
        return self.conditions().names


@lru_cache(maxsize=4096)
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), re.S)


def action_matches(pattern: str, action: str) -> bool:
    """IAM's case-insensitive ``*``/``?`` match of an action pattern against an action."""
    pattern, action = pattern.lower(), action.lower()
    if "*" not in pattern and "?" not in pattern:
        return pattern == action
    if pattern.endswith("*") and "*" not in pattern[:-1] and "?" not in pattern:
        return action.startswith(pattern[:-1])
    return _pattern(pattern).fullmatch(action) is not None


class ActionCatalogue:
    """A fixed list of actions that wildcard patterns are matched against in one regex pass each."""

    def __init__(self, actions) -> None:
        self.actions = list(dict.fromkeys(actions))
        self._by_lower = {a.lower(): a for a in self.actions}
        self._text = "\n".join(self._by_lower)
        self._services = {a.split(":", 1)[0] for a in self._by_lower}
        self._found: dict[str, list[str]] = {}  # pattern -> its matches: policies repeat patterns

    def matching(self, pattern: str) -> list[str] | tuple[()]:
        """The catalogue's actions that ``pattern`` (``*``/``?`` wildcards, any case) matches (a
        shared list: do not modify it)."""
        found = self._found.get(pattern)
        if found is None:
            if len(self._found) > 65536:
                self._found.clear()
            found = self._found[pattern] = self._matching(pattern) or ()  # most match nothing: one shared ()
        return found

    def _matching(self, pattern: str) -> list[str]:
        lowered = pattern.lower()
        if "*" not in lowered and "?" not in lowered:  # most patterns are plain names: no regex to build
            return [self._by_lower[lowered]] if lowered in self._by_lower else []
        service, colon, _ = lowered.partition(":")
        if colon and "*" not in service and "?" not in service and service not in self._services:
            return []  # `ec2:Describe*` when the catalogue has no ec2 action
        return [self._by_lower[a] for a in _line_pattern(pattern).findall(self._text)]


@lru_cache(maxsize=4096)
def _line_pattern(pattern: str) -> re.Pattern:
    body = re.escape(pattern.lower()).replace(r"\*", "[^\n]*").replace(r"\?", "[^\n]")
    return re.compile(f"^{body}$", re.M)
