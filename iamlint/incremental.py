"""The language server's linter: re-lints an edited document doing only the work the edit needs.

Three memories, each checked against a fresh lint by the tests (test_memo, test_yaml_incremental):
- per file, what its reader keeps between reads (a YAML template is re-parsed piece by piece, and
  an unchanged resource keeps its node and its policies);
- per policy object, its diagnostics: a policy an edit did not touch keeps them, moved with the
  lines above it;
- per policy text, its findings: a changed policy is looked up by its own text first, so undoing
  an edit costs no rule.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.diagnostics import Diagnostic
    from iamlint.readers.base import Document, Reader, Source

from iamlint.diagnostics import Finding
from iamlint.engine import Linter, current_budget, policy_place
from iamlint.nodes import Node, Span
from iamlint.policy import PolicyDocument
from iamlint.worlds import WORLD_ROOTS, choose

_DIAGNOSTICS = "iamlint.diagnostics"  # a policy's diagnostics, in its cache
_MEMO_SIZE = 4096


class IncrementalLinter(Linter):
    """A Linter that remembers what it read and found, for a server re-linting documents as they change."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memory: dict[str, dict] = {}  # path -> what its reader keeps between reads
        self.memo: dict = {}  # policy key -> (the line it is pinned to, or None; its findings)

    def forget(self, path: str) -> None:
        """A closed document: drop what was kept for it."""
        self.memory.pop(path, None)

    def read(self, reader: Reader, source: Source) -> Document:
        return reader.read(source, self.memory.setdefault(source.path, {}))

    def lint_policy(self, policy: PolicyDocument) -> list[Diagnostic]:
        done = self._diagnostics_again(policy)
        if done is not None:
            return done
        findings = self._memo_lookup(policy)
        if findings is None:
            findings = self.findings(policy)
            budget = current_budget()
            if budget is not None and budget.over():  # stopped part way: remember nothing of it
                return [self.diagnostic(policy.path, rule, f, policy_place(policy, f)) for rule, f in findings]
            self._memo_store(policy, findings)
        diagnostics = [self.diagnostic(policy.path, rule, f, policy_place(policy, f)) for rule, f in findings]
        first, last = _lines_of(policy)
        # diagnostics can move with the policy when they lie in it and name no other place of the
        # file (whose line their message may give: `first at line 12`)
        movable = all(first <= d.line and d.end_line <= last and not _names_a_place(d) for d in diagnostics)
        policy.cache[_DIAGNOSTICS] = (first, movable, diagnostics)
        return diagnostics

    def _diagnostics_again(self, policy: PolicyDocument) -> list[Diagnostic] | None:
        """The diagnostics of a policy object linted before (an unchanged resource of a template
        read incrementally), moved with it when lines above it came or went; None when they
        cannot be."""
        done = policy.cache.get(_DIAGNOSTICS)
        if done is None:
            return None
        then, movable, diagnostics = done
        lines = _lines_of(policy)[0] - then
        if not lines:
            return diagnostics
        if not movable:
            return None
        diagnostics = [d._replace(line=d.line + lines, end_line=d.end_line + lines) for d in diagnostics]
        policy.cache[_DIAGNOSTICS] = (then + lines, movable, diagnostics)
        return diagnostics

    def _memo_key(self, policy: PolicyDocument):
        import json

        # the policy's own text says it all when it has one (cheap); else its data
        content = policy.source or json.dumps(policy.data, sort_keys=True, default=str)
        # the worlds it is checked in also depend on the rest of the template (its Conditions)
        worlds = () if policy.choices is None else tuple(tuple(w.items()) for w in policy.choices.worlds()[0])
        return (policy.kind, policy.holder, policy.origin, policy.resource, policy.inline,
                tuple(sorted(policy.attachments)), policy.text if not policy.in_template else "", content, worlds)

    def _memo_store(self, policy: PolicyDocument, findings) -> None:
        paths = _node_paths(_roots(policy))
        # a finding that names another place (whose line its message may give: `first at line
        # 12`) holds only while the policy stays put
        pinned = policy.root.span.line if any(f.related for _, f in findings) else None
        stored = []
        for rule, finding in findings:
            where = paths.get(id(finding.node)) if finding.node is not None else None
            if finding.node is not None and where is None:
                return  # a node outside the tree: do not remember this policy
            related = []
            for message, place in finding.related:
                if isinstance(place, Node):
                    place = paths.get(id(place))
                    if place is None:
                        return
                    related.append((message, place, True))
                else:  # a span or another file's location: as it is (the policy is pinned)
                    related.append((message, place, False))
            base = finding.node.span if finding.node is not None else None
            span = finding.span
            delta = None if span is None else (
                (span.line - base.line, span.column - base.column, span.end_line - base.line,
                 span.end_column - base.column) if base is not None else tuple(span))
            stored.append((rule, where, finding.message, delta, tuple(related)))
        if len(self.memo) > _MEMO_SIZE:
            self.memo.clear()
        self.memo[self._memo_key(policy)] = (pinned, stored)

    def _memo_lookup(self, policy: PolicyDocument):
        remembered = self.memo.get(self._memo_key(policy))
        if remembered is None:
            return None
        pinned, stored = remembered
        if pinned is not None and pinned != policy.root.span.line:
            return None
        roots = _roots(policy, again=True)
        findings = []
        for rule, where, message, delta, stored_related in stored:
            node = None
            if where is not None:
                node = _node_at(roots, where)
                if node is None:
                    return None
            related = []
            for related_message, place, is_node in stored_related:
                if is_node:
                    place = _node_at(roots, place)
                    if place is None:
                        return None
                related.append((related_message, place))
            span = None
            if delta is not None:
                if node is None:
                    span = Span(*delta)
                else:
                    base = node.span
                    span = Span(base.line + delta[0], base.column + delta[1], base.line + delta[2],
                                base.column + delta[3])
            findings.append((rule, Finding(node, message, span, tuple(related))))
        return findings


def _names_a_place(diagnostic: Diagnostic) -> bool:
    """Whether a diagnostic names another place of its own file."""
    return any(r.path == diagnostic.path for r in diagnostic.related)


def _node_at(roots: list, where: tuple):
    """The node at a place ``_node_paths`` gave, in the trees of a policy's worlds, or None."""
    (world, path), is_key = where
    node = roots[world].at(path) if roots[world] is not None else None
    if node is None or (is_key and node.key is None):
        return None
    return node.key if is_key else node


def _lines_of(policy: PolicyDocument) -> tuple[int, int]:
    """The first and last line of a policy, its key (``PolicyDocument:``) included."""
    span = policy.root.span
    key = policy.root.key
    return (key.span.line if key is not None else span.line), span.end_line


def _roots(policy: PolicyDocument, again: bool = False) -> list:
    """The roots of a policy's worlds (its own root when it has no alternatives): those its
    findings were found in, or (``again``) the same trees built anew for the policy as it is now."""
    if policy.choices is None:
        return [policy.root]
    if again:
        worlds, _ = policy.choices.worlds()
        return [choose(policy.root, world) for world in worlds]
    return policy.cache[WORLD_ROOTS]


def _node_paths(roots: list) -> dict[int, tuple[tuple, bool]]:
    """id(node) -> ((world, path from its root), whether it is the key node) for every node of
    the trees of a policy's worlds."""
    paths: dict[int, tuple[tuple, bool]] = {}
    stack = [(root, (world, ())) for world, root in enumerate(roots) if root is not None]
    while stack:
        node, (world, path) = stack.pop()
        where = (world, path)
        paths.setdefault(id(node), (where, False))
        if node.key is not None:
            paths.setdefault(id(node.key), (where, True))
        if type(node.value) is dict:
            stack.extend((child, (world, path + (name,))) for name, child in node.value.items())
        elif type(node.value) is list:
            stack.extend((child, (world, path + (index,))) for index, child in enumerate(node.value))
    return paths
