"""Runs the rules: file -> policies -> findings -> diagnostics, sorted."""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

from iamlint.config import Config
from iamlint.diagnostics import Diagnostic, Finding
from iamlint.nodes import LineIndex, Span
from iamlint.parsers.json_parser import ParsedJSON, ParseError, parse_json
from iamlint.parsers.policy_json import read_policy_file
from iamlint.policy import PolicyDocument
from iamlint.rules import find_rule
from iamlint.rules.base import ReaderRule, Rule, TemplateRule

MAX_FILE_BYTES = 10 * 1024 * 1024
_START = Span(1, 1, 1, 1)


class PolicyContext:
    """What a rule may ask about the policy it checks: schema errors (computed once) and its options."""

    def __init__(self, policy: PolicyDocument, config: Config) -> None:
        self.policy = policy
        self.config = config
        self.rule: type[Rule] | None = None
        self._schema_errors = None

    def schema_errors(self):
        if self._schema_errors is None:
            from iamlint.schema import validate

            errors = validate(self.policy.kind, self.policy.root, self.policy.data)
            if self.policy.in_template:  # an intrinsic is an opaque value, not a grammar error
                from iamlint.intrinsics import opaque_on_path

                errors = [e for e in errors if not opaque_on_path(self.policy.root, e.path)]
            self._schema_errors = errors
        return self._schema_errors

    def option(self, name: str) -> Any:
        return self.config.option(self.rule, name)


class _Remembered:
    """What a server keeps of one YAML document between edits: its parsed pieces, and the
    policies of each resource (an unchanged resource keeps its node, its policies and their
    diagnostics)."""

    __slots__ = ("yaml", "resources")

    def __init__(self) -> None:
        from iamlint.parsers.yaml_incremental import IncrementalYAML

        self.yaml = IncrementalYAML()
        self.resources: dict = {}


_DIAGNOSTICS = "iamlint.diagnostics"  # a policy's diagnostics, in its cache (servers only)
_NAMES_A_LINE = r"\bline \d"  # a message such as `first at line 12` (compiled on first use: servers only)

# Below this many files a worker's start-up costs more than it saves.
PARALLEL_MIN_FILES = 200
_FORKED_LINTER: Linter | None = None


def default_jobs(file_count: int) -> int:
    if file_count < PARALLEL_MIN_FILES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, file_count // (PARALLEL_MIN_FILES // 2)))


def _lint_chunk(paths: list[str]) -> list[Diagnostic]:
    return _FORKED_LINTER.lint_paths(paths, jobs=1)


class Linter:
    """Lints files with a fixed set of rules and a configuration."""

    def __init__(self, rules: Sequence[type[Rule]], config: Config,
                 reads: Sequence[str] = ("policies", "templates"),
                 known_rules: Sequence[type[Rule]] | None = None) -> None:
        self.config = config
        # every rule this run knows of, selected or not (suppressions may name any of them)
        self.known_rules = tuple(known_rules) if known_rules is not None else tuple(rules)
        self.reads_policies = "policies" in reads
        self.reads_templates = "templates" in reads
        self.rules = list(rules)
        self.policy_rules = [rule() for rule in self.rules if not issubclass(rule, (ReaderRule, TemplateRule))]
        self.template_rules = [rule() for rule in self.rules if issubclass(rule, TemplateRule)]
        self.enabled = {rule.code for rule in self.rules}
        # a long-running server sets these to {}: the findings of each policy by its text (see
        # lint_policy), and what it keeps of each YAML document between edits, by path
        self.memo: dict | None = None
        self.documents: dict[str, _Remembered] | None = None

    # --- diagnostics ---

    def _diagnostic(self, path: str, rule: type[Rule], finding: Finding, place: str = "") -> Diagnostic:
        span = finding.span or (finding.node.span if finding.node is not None else _START)
        if not place:
            place = _value_of(finding.node) if finding.node is not None else finding.message
        return Diagnostic(path, span.line, span.column, rule.code, span.end_line, span.end_column, rule.name,
                          self.config.severity(rule), finding.message, place)

    def reader_diagnostic(self, path: str, code: str, message: str, span: Span = _START) -> list[Diagnostic]:
        if code not in self.enabled:
            return []
        rule = find_rule(code)
        return [self._diagnostic(path, rule, Finding(None, message, span=span))]

    # --- reading ---

    def lint_paths(self, paths: Iterable[str], jobs: int | None = None) -> list[Diagnostic]:
        """Diagnostics of every file, sorted. Large runs are shared out over the CPUs with
        forked workers, which inherit the loaded rules and schemas instead of re-importing them."""
        paths = list(paths)
        if jobs is None:
            jobs = default_jobs(len(paths))
        if jobs > 1:
            import multiprocessing

            try:
                context = multiprocessing.get_context("fork")
            except ValueError:  # no fork on this platform
                jobs = 1
        if jobs <= 1:
            diagnostics: list[Diagnostic] = []
            for path in paths:
                diagnostics.extend(self.lint_file(path))
            return sorted(diagnostics)
        global _FORKED_LINTER
        _FORKED_LINTER = self
        chunks = [paths[i::jobs] for i in range(jobs)]  # interleaved, so big neighbours spread out
        with context.Pool(jobs) as pool:
            parts = pool.map(_lint_chunk, chunks)
        return sorted(d for part in parts for d in part)

    def lint_file(self, path: str) -> list[Diagnostic]:
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                return self.reader_diagnostic(path, "IAM003", f"the file is {size / 1e6:.1f} MB, larger than the "
                                                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB iamlint reads")
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return self.reader_diagnostic(path, "IAM003", "no such file")
        except IsADirectoryError:
            return self.reader_diagnostic(path, "IAM003", "this is a folder, not a file")
        except OSError as exc:
            return self.reader_diagnostic(path, "IAM003", f"cannot read the file: {exc.strerror or exc}")
        return self.lint_bytes(path, data)

    def lint_bytes(self, path: str, data: bytes) -> list[Diagnostic]:
        text, problem = decode(data)
        if problem is not None:
            message, span = problem
            return self.reader_diagnostic(path, "IAM003", message, span)
        return self.lint_text(path, text)

    def lint_text(self, path: str, text: str) -> list[Diagnostic]:
        if path.endswith((".yaml", ".yml")) or (path.endswith(".template") and not text.lstrip().startswith("{")):
            return self.lint_yaml(path, text) if self.reads_templates else []
        found = read_policy_file(path, text, self.config.kind_for(path))
        if found.is_template:
            if not self.reads_templates:
                return []
            try:
                parsed = parse_json(text)
            except ParseError as error:
                return self._parse_error(path, error, LineIndex(text))
            return self.lint_template(path, text, parsed)
        if not self.reads_policies:
            return []
        diagnostics: list[Diagnostic] = []
        if found.error is not None:
            diagnostics += self._parse_error(path, found.error, found.lines)
        if found.parsed is not None:
            diagnostics += self._file_rules(path, found.parsed)
        for policy in found.policies:
            diagnostics += self.lint_policy(policy)
        return sorted(diagnostics)

    def lint_yaml(self, path: str, text: str) -> list[Diagnostic]:
        """YAML files are read when they look like templates; the rest are someone else's."""
        from iamlint.cloudformation import LOOKS_LIKE_TEMPLATE, is_template_node

        if not LOOKS_LIKE_TEMPLATE.search(text):
            return []
        remembered = None
        try:
            if self.documents is not None:  # a server: re-parse only what an edit changed
                remembered = self.documents.get(path)
                if remembered is None:
                    remembered = self.documents[path] = _Remembered()
                parsed = remembered.yaml.parse(text)
            else:
                from iamlint.parsers.yaml_parser import parse_yaml

                parsed = parse_yaml(text)
        except ParseError as error:
            return self._parse_error(path, error, LineIndex(text))
        if not is_template_node(parsed.root):
            return []
        return self.lint_template(path, text, parsed, remembered)

    def lint_template(self, path: str, text: str, parsed: ParsedJSON, remembered: _Remembered | None = None
                      ) -> list[Diagnostic]:
        from iamlint.cloudformation import Template
        from iamlint.suppressions import apply_suppressions

        template = Template(path, parsed.root, text, parsed.lines,
                            remembered.resources if remembered is not None else None)
        if remembered is not None:
            remembered.resources = template.by_resource
        diagnostics: list[Diagnostic] = []
        for error in template.errors:
            diagnostics += self._parse_error(path, error, parsed.lines)
        diagnostics += self._file_rules(path, parsed)
        for policy in template.policies:
            diagnostics += self.lint_policy(policy)
        ctx = PolicyContext(None, self.config)
        for rule in self.template_rules:
            ctx.rule = type(rule)
            diagnostics += [self._diagnostic(path, type(rule), f, template_place(template, f))
                            for f in rule.check_template(template, ctx)]
        return sorted(apply_suppressions(diagnostics, template, self))

    def _parse_error(self, path: str, error: ParseError, lines: LineIndex) -> list[Diagnostic]:
        line, column = lines.position(error.offset)
        return self.reader_diagnostic(path, error.code, error.message, Span(line, column, line, column + 1))

    def _file_rules(self, path: str, parsed: ParsedJSON) -> list[Diagnostic]:
        diagnostics: list[Diagnostic] = []
        for rule in self.rules:
            if hasattr(rule, "check_file"):
                diagnostics += [self._diagnostic(path, rule, f) for f in rule().check_file(parsed)]
        return diagnostics

    def lint_policy(self, policy: PolicyDocument) -> list[Diagnostic]:
        if self.memo is not None:
            done = self._diagnostics_again(policy)
            if done is not None:
                return done
        findings = self._memo_lookup(policy) if self.memo is not None else None
        if findings is None:
            findings = []
            ctx = PolicyContext(policy, self.config)
            for rule in self.policy_rules:
                if policy.kind not in rule.kinds:
                    continue
                ctx.rule = type(rule)
                findings.extend((type(rule), f) for f in rule.check(policy, ctx))
            if self.memo is not None:
                self._memo_store(policy, findings)
        diagnostics = [self._diagnostic(policy.path, rule, f, policy_place(policy, f)) for rule, f in findings]
        if self.memo is not None:
            first, last = _lines_of(policy)
            # diagnostics can move with the policy when they lie in it and no message names a line
            movable = all(first <= d.line and d.end_line <= last and not re.search(_NAMES_A_LINE, d.message)
                          for d in diagnostics)
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

    # --- memo: a long-running server re-lints only the policies an edit changed ---

    def _memo_key(self, policy: PolicyDocument):
        import json

        # the policy's own text says it all when it has one (cheap); else its data
        content = policy.source or json.dumps(policy.data, sort_keys=True, default=str)
        return (policy.kind, policy.origin, policy.resource, policy.inline, tuple(sorted(policy.attachments)),
                policy.text if not policy.in_template else "", content)

    def _memo_store(self, policy: PolicyDocument, findings) -> None:
        paths = _node_paths(policy.root)
        # a message that names a line (`first at line 12`) holds only while the policy stays put
        pinned = policy.root.span.line if any(re.search(_NAMES_A_LINE, f.message) for _, f in findings) else None
        stored = []
        for rule, finding in findings:
            where = paths.get(id(finding.node)) if finding.node is not None else None
            if finding.node is not None and where is None:
                return  # a node outside the tree: do not remember this policy
            base = finding.node.span if finding.node is not None else None
            span = finding.span
            delta = None if span is None else (
                (span.line - base.line, span.column - base.column, span.end_line - base.line,
                 span.end_column - base.column) if base is not None else tuple(span))
            stored.append((rule, where, finding.message, delta))
        if len(self.memo) > 4096:
            self.memo.clear()
        self.memo[self._memo_key(policy)] = (pinned, stored)

    def _memo_lookup(self, policy: PolicyDocument):
        remembered = self.memo.get(self._memo_key(policy))
        if remembered is None:
            return None
        pinned, stored = remembered
        if pinned is not None and pinned != policy.root.span.line:
            return None
        findings = []
        for rule, where, message, delta in stored:
            node = None
            if where is not None:
                path, is_key = where
                node = policy.root.at(path)
                if node is None or (is_key and node.key is None):
                    return None
                node = node.key if is_key else node
            span = None
            if delta is not None:
                if node is None:
                    span = Span(*delta)
                else:
                    base = node.span
                    span = Span(base.line + delta[0], base.column + delta[1], base.line + delta[2],
                                base.column + delta[3])
            findings.append((rule, Finding(node, message, span=span)))
        return findings


def _lines_of(policy: PolicyDocument) -> tuple[int, int]:
    """The first and last line of a policy, its key (``PolicyDocument:``) included."""
    span = policy.root.span
    key = policy.root.key
    return (key.span.line if key is not None else span.line), span.end_line


def _node_paths(root) -> dict[int, tuple[tuple, bool]]:
    """id(node) -> (path from the root, whether it is the key node) for every node of a tree."""
    paths: dict[int, tuple[tuple, bool]] = {}
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        paths[id(node)] = (path, False)
        if node.key is not None:
            paths.setdefault(id(node.key), (path, True))
        if type(node.value) is dict:
            stack.extend((child, path + (name,)) for name, child in node.value.items())
        elif type(node.value) is list:
            stack.extend((child, path + (index,)) for index, child in enumerate(node.value))
    return paths


def _value_of(node) -> str:
    if node is None:
        return ""
    if type(node.value) in (dict, list):
        return node.key.value if node.key is not None else ""
    return str(node.value)


def _contains(outer: Span, inner: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) <= (outer.end_line, outer.end_column)


def policy_place(policy: PolicyDocument, finding: Finding) -> str:
    """`origin|statement|value`: the policy within the file, the statement (Sid, else #index) and
    the offending value, so the identity of a finding survives lines moving above it."""
    span = finding.span or (finding.node.span if finding.node is not None else None)
    statement = ""
    if span is not None:
        for candidate in policy.statements():
            if _contains(candidate.node.span, span):
                sid = candidate.get("Sid")
                statement = f"Sid={sid.value}" if sid is not None and sid.is_string else f"#{candidate.index}"
                break
    return f"{policy.origin}|{statement}|{_value_of(finding.node)}"


def template_place(template, finding: Finding) -> str:
    """`Resources/<LogicalId>|value` for a template rule's finding."""
    span = finding.span or (finding.node.span if finding.node is not None else None)
    resource = next((r.logical_id for r in template.resources if span is not None and _contains(r.node.span, span)), "")
    return f"Resources/{resource}|{_value_of(finding.node)}"


def decode(data: bytes) -> tuple[str, tuple[str, Span] | None]:
    """UTF-8 text without its BOM, or why the bytes are not readable text and where."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", ("the file is UTF-16; save it as UTF-8", _START)
    nul = data.find(b"\0")
    if nul != -1:
        return "", ("the file is binary (it contains a NUL byte)", _byte_span(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "", (f"the file is not UTF-8 (byte 0x{data[exc.start]:02X} cannot be decoded)", _byte_span(data, exc.start))
    return (text[1:] if text.startswith("\ufeff") else text), None


def _byte_span(data: bytes, offset: int) -> Span:
    before = data[:offset].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return Span(line, column, line, column + 1)
