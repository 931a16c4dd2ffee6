"""Runs the rules: file -> reader -> document -> findings -> diagnostics, suppressed and sorted.

The engine knows formats only through their readers (``iamlint.readers``): a reader turns a file
into a document of policies, resources, trees and suppressions, and the engine runs the policy,
document and file rules over it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from _thread import _local
from bisect import bisect_right

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Sequence

    from iamlint.config import Config
    from iamlint.readers.base import Document, Reader

from iamlint import services
from iamlint.diagnostics import Diagnostic, Finding, Related
from iamlint.nodes import LineIndex, Span
from iamlint.policy import PolicyDocument
from iamlint.readers import READERS, Source, reader_for
from iamlint.readers.base import contains
from iamlint.rules import find_rule
from iamlint.rules.base import DocumentRule, ReaderRule, Rule, RuleContext
from iamlint.rules.grammar import SchemaRule

MAX_FILE_BYTES = 10 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_START = Span(1, 1, 1, 1)


class Budget:
    """What may stop a lint early: a time budget, or a newer version of the document (a language
    server). The engine looks at it between policies and between rules; a stopped lint reports
    what it found and an IAM007 where it stopped."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds
        self.deadline: float | None = None  # set when the lint starts
        self.cancelled = False  # a newer version came: the result will not be used
        self.stopped = False

    def start(self) -> None:
        self.deadline = None if self.seconds is None else time.monotonic() + self.seconds

    def over(self) -> bool:
        if not self.stopped:
            if self.cancelled:
                self.stopped = True
            elif self.deadline is not None:
                self.stopped = time.monotonic() > self.deadline
        return self.stopped


_RUN = _local()  # per thread: the budget of the lint running on it (a server lints on several)


def current_budget() -> Budget | None:
    return getattr(_RUN, "budget", None)


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


def _lint_chunk(paths: list[str]) -> tuple[list[Diagnostic], int]:
    """A worker's diagnostics, and the number of policies it read."""
    before = _FORKED_LINTER.policies_read
    found = _FORKED_LINTER.lint_paths(paths, jobs=1)
    from iamlint.collection import settle

    settle()  # a worker ends with the run
    return found, _FORKED_LINTER.policies_read - before


class Linter:
    """Lints files with a fixed set of rules, a configuration and the readers of the formats to read."""

    raise_errors = False  # tests and the fuzzer: let an internal error raise instead of becoming IAM000

    def __init__(self, rules: Sequence[type[Rule]], config: Config, readers: Iterable[str] | None = None,
                 known_rules: Sequence[type[Rule]] | None = None) -> None:
        self.config = config
        # every rule this run knows of, selected or not (suppressions may name any of them)
        self.known_rules = tuple(known_rules) if known_rules is not None else tuple(rules)
        wanted = set(readers) if readers is not None else None
        self.readers = frozenset(r.name for r in READERS if wanted is None or r.name in wanted)
        self.rules = list(rules)
        self.policy_rules = [rule() for rule in self.rules if not issubclass(rule, (ReaderRule, DocumentRule))]
        self._rules_for: dict[tuple[str, bool], list] = {}  # (kind, merged) -> the policy rules that check it
        self.document_rules = [rule() for rule in self.rules if issubclass(rule, DocumentRule)]
        self.file_rules = [rule() for rule in self.rules if issubclass(rule, ReaderRule)]
        self.enabled = {rule.code for rule in self.rules}
        # the grammar rules that claim schema errors, selected or not: what none claims is IAM101's
        self.schema_claimers = [rule() for rule in self.known_rules
                                if issubclass(rule, SchemaRule) and not rule.claims_every_error]
        self.policies_read = 0  # by every document linted so far: the summary line says it
        self.run: frozenset[str] | None = None  # the absolute paths of the files lint_paths was given
        # path -> the real path of the folder a reader may read in for it (Source.root): the folder
        # named on the command line it was found in (iamlint.discovery.collect)
        self.roots: dict[str, str] = {}

    # --- diagnostics ---

    def diagnostic(self, path: str, rule: type[Rule], finding: Finding, place: str = "") -> Diagnostic:
        span = finding.span or (finding.node.span if finding.node is not None else _START)
        if not place:
            place = _value_of(finding.node) if finding.node is not None else finding.message
        return Diagnostic(path, span.line, span.column, rule.code, span.end_line, span.end_column, rule.name,
                          self.config.severity(rule), finding.message, place,
                          services.describe() if getattr(rule, "uses_service_data", False) else "",
                          related_locations(path, finding.related) if finding.related else ())

    def reader_diagnostic(self, path: str, code: str, message: str, span: Span = _START) -> list[Diagnostic]:
        if code not in self.enabled:
            return []
        rule = find_rule(code)
        return [self.diagnostic(path, rule, Finding(None, message, span=span))]

    # --- reading ---

    def lint_paths(self, paths: Iterable[str], jobs: int | None = None) -> list[Diagnostic]:
        """Diagnostics of every file, sorted. Large runs are shared out over the CPUs with
        forked workers, which inherit the loaded rules and schemas instead of re-importing them."""
        global _FORKED_LINTER
        paths = list(paths)
        if _FORKED_LINTER is not self:  # a worker keeps the run of the whole command
            self.run = frozenset(os.path.abspath(path) for path in paths)
        if jobs is None:
            jobs = default_jobs(len(paths))
        if jobs > 1:
            import multiprocessing

            try:
                context = multiprocessing.get_context("fork")
            except ValueError:  # no fork on this platform
                jobs = 1
        if jobs <= 1:
            return sorted(self._lint_here(paths))
        _FORKED_LINTER = self
        chunks = _chunks(paths, jobs)
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        parts: list[tuple[list[Diagnostic], int]] = []
        lost: list[list[str]] = []  # the chunks of a worker that died
        try:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                futures = [(chunk, pool.submit(_lint_chunk, chunk)) for chunk in chunks]
                for chunk, future in futures:
                    try:
                        parts.append(future.result())
                    except BrokenProcessPool:
                        lost.append(chunk)
        finally:
            _FORKED_LINTER = None
        self.policies_read += sum(count for _, count in parts)
        diagnostics = [d for part, _ in parts for d in part]
        if lost:  # a worker was killed (out of memory, a signal): its files are linted here, not lost
            print(f"iamlint: a worker process died; the {sum(map(len, lost))} files whose results it took "
                  "with it are linted again in the main process", file=sys.stderr)
            for chunk in lost:
                diagnostics += self._lint_here(chunk)
        return sorted(diagnostics)

    def _lint_here(self, paths: list[str]) -> list[Diagnostic]:
        """The diagnostics of ``paths``, linted one after the other in this process."""
        from iamlint import collection

        diagnostics: list[Diagnostic] = []
        with collection.batch() as files:
            for path in paths:
                diagnostics.extend(self.lint_file(path))
                files.file_done()
        return diagnostics

    def lint_file(self, path: str) -> list[Diagnostic]:
        """The diagnostics of one file; whatever goes wrong in iamlint becomes one IAM000 for it."""
        try:
            data = self._read_file(path)  # its bytes, or the IAM003 of a file not read
            return self.lint_bytes(path, data) if type(data) is bytes else data
        except Exception as error:  # noqa: BLE001 - a bug must cost one file, never the run
            return self.internal_error(path, error)

    def _read_file(self, path: str) -> bytes | list[Diagnostic]:
        """The file's bytes: only a regular file, and never more than the size limit plus one
        byte, whatever ``stat`` says (a FIFO would block, ``/dev/zero`` never ends)."""
        try:  # (without blocking: a FIFO opens at once; a socket cannot be opened at all)
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        except FileNotFoundError:
            return self._refuse(path, "no such file")
        except IsADirectoryError:
            return self._refuse(path, "this is a folder, not a file")
        except OSError as exc:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = stat.S_IFREG
            if not stat.S_ISREG(mode):
                return self._refuse(path, f"not a regular file ({_file_type(mode)}); iamlint reads only regular files")
            return self._refuse(path, f"cannot read the file: {exc.strerror or exc}")
        try:
            status = os.fstat(descriptor)
            if stat.S_ISDIR(status.st_mode):
                return self._refuse(path, "this is a folder, not a file")
            if not stat.S_ISREG(status.st_mode):
                return self._refuse(path, f"not a regular file ({_file_type(status.st_mode)}); iamlint reads "
                                          "only regular files")
            if status.st_size > MAX_FILE_BYTES:
                return self._refuse(path, f"the file is {status.st_size / 1e6:.1f} MB, larger than the "
                                          f"{MAX_FILE_BYTES // (1024 * 1024)} MB iamlint reads")
            # what `stat` says, plus one byte to notice a file that grew (or one, in /proc, that says 0)
            parts, total, ask = [], 0, status.st_size + 1
            while total <= MAX_FILE_BYTES:
                part = os.read(descriptor, min(ask, MAX_FILE_BYTES + 1 - total))
                if not part:
                    break
                parts.append(part)
                total += len(part)
                ask = 65536
        except OSError as exc:
            return self._refuse(path, f"cannot read the file: {exc.strerror or exc}")
        finally:
            os.close(descriptor)
        if total > MAX_FILE_BYTES:
            return self._refuse(path, f"the file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB iamlint reads")
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _refuse(self, path: str, message: str) -> list[Diagnostic]:
        return self.reader_diagnostic(path, "IAM003", message)

    def internal_error(self, path: str, error: BaseException) -> list[Diagnostic]:
        """One IAM000 diagnostic for a file iamlint failed on: the exception's type, where in
        iamlint it was raised, and a request to report it. Never deselected or suppressed."""
        if self.raise_errors:
            raise error
        from iamlint.links import ISSUES
        from iamlint.rules.syntax.internal_error import InternalError

        where = _where(error)
        detail = str(error).splitlines()[0][:120] if str(error) else ""
        message = (f"iamlint failed on this file: {type(error).__name__}{f' ({detail})' if detail else ''}"
                   f"{' at ' + where if where else ''}; the other files were checked. Please report it: {ISSUES}")
        return [self.diagnostic(path, InternalError, Finding(None, message, span=_START), place="internal-error")]

    def lint_bytes(self, path: str, data: bytes) -> list[Diagnostic]:
        text, problem = decode(data)
        if problem is not None:
            message, span = problem
            return self.reader_diagnostic(path, "IAM003", message, span)
        return self._lint_text(path, text)

    def lint_text(self, path: str, text: str) -> list[Diagnostic]:
        """The diagnostics of a text read as if it were the file ``path``; whatever goes wrong in
        iamlint becomes one IAM000 for it."""
        try:
            surrogate = None if text.isascii() else _SURROGATE.search(text)
            if surrogate is not None:  # an editor may send one (JSON's "\ud800"); no file decodes to it
                line, column = LineIndex(text).position(surrogate.start())
                return self.reader_diagnostic(path, "IAM003", f"the text holds a lone surrogate "
                                              f"(U+{ord(surrogate.group()):04X}), which is not a character",
                                              Span(line, column, line, column + 1))
            return self._lint_text(path, text)
        except Exception as error:  # noqa: BLE001 - a bug must cost one file, never the run
            return self.internal_error(path, error)

    def lint_text_within(self, path: str, text: str, budget: Budget) -> list[Diagnostic]:
        """``lint_text``, stopping early when the budget runs out or is cancelled."""
        _RUN.budget = budget
        budget.start()
        try:
            return self.lint_text(path, text)
        finally:
            _RUN.budget = None

    def _lint_text(self, path: str, text: str) -> list[Diagnostic]:
        # the AWS service data this configuration reads (several configurations may take turns)
        services.use(getattr(self.config, "service_data", services.BUNDLED))
        source = Source(path, text, self.config.kind_for(path))
        source.run = self.run
        source.root = self.roots.get(path)
        reader = reader_for(source, self.readers)
        if reader is None or reader.name not in self.readers:
            return []
        return self.lint_document(self.read(reader, source))

    def read(self, reader: Reader, source: Source) -> Document:
        """The document a reader finds in a source (a server re-reads incrementally: see incremental)."""
        return reader.read(source)

    # --- linting ---

    def lint_document(self, document: Document) -> list[Diagnostic]:
        path = document.path
        diagnostics: list[Diagnostic] = []
        for error in document.errors:
            # an error in another file the document reads (a Terraform template) says which
            where = getattr(error, "path", None)
            line, column = (error.lines if where else document.lines).position(error.offset)
            diagnostics += self.reader_diagnostic(where or path, error.code, error.message,
                                                  Span(line, column, line, column + 1))
        for tree in document.trees:
            tree_path = getattr(tree, "path", None) or path
            for rule in self.file_rules:
                diagnostics += [self.diagnostic(tree_path, type(rule), f) for f in rule.check_file(tree)]
        self.policies_read += sum(not policy.merged for policy in document.policies)  # as written in files
        budget = current_budget()  # a server's: it may stop the lint between policies and rules
        stopped_at = None
        for policy in document.policies:
            diagnostics += self.lint_policy(policy)
            if budget is not None and budget.over():
                stopped_at = policy.root.span
                break
        if stopped_at is None:
            ctx = RuleContext(self.config)
            for rule in self.document_rules:
                if rule.formats is not None and document.format not in rule.formats:
                    continue
                ctx.rule = type(rule)
                diagnostics += [self.diagnostic(path, type(rule), f, document_place(document, f))
                                for f in rule.check_document(document, ctx)]
        if any(resource.construct for resource in document.resources):
            diagnostics = in_constructs(document, diagnostics)
        if document.suppressions or document.suppression_problems:
            diagnostics = self._suppress(document, diagnostics)
        if stopped_at is not None:  # what was found, without "unused" suppressions (their findings may be unchecked)
            diagnostics = [d for d in diagnostics if d.code != "IAM004"] + self._stopped(path, stopped_at, budget)
        return sorted(diagnostics)

    def lint_policy(self, policy: PolicyDocument) -> list[Diagnostic]:
        return [self.diagnostic(policy.path, rule, f, policy_place(policy, f)) for rule, f in self.findings(policy)]

    def findings(self, policy: PolicyDocument) -> list[tuple[type[Rule], Finding]]:
        """(rule, finding) for every policy rule that applies to the policy's kind, in each
        possible world of its alternatives (``iamlint.worlds``)."""
        if policy.choices is None:
            return _remarked(policy, self._findings(policy))
        from iamlint.worlds import findings_in_every_world

        found, complete = findings_in_every_world(policy, self._findings)
        if not complete and "IAM010" in self.enabled:
            names = policy.choices.names
            found.append((find_rule("IAM010"), Finding(
                policy.root.key or policy.root, f"this policy depends on {len(names)} conditions "
                f"(`{'`, `'.join(names)}`); each was checked on its own, not every combination")))
        return _remarked(policy, found)

    def _findings(self, policy: PolicyDocument) -> list[tuple[type[Rule], Finding]]:
        found: list[tuple[type[Rule], Finding]] = []
        ctx = RuleContext(self.config, policy, self.schema_claimers)
        budget = current_budget()
        rules = self._rules_for.get((policy.kind, policy.merged))
        if rules is None:
            rules = self._rules_for[policy.kind, policy.merged] = [
                (rule, type(rule)) for rule in self.policy_rules
                if policy.kind in rule.kinds and (rule.whole_policy or not policy.merged)]
        for rule, cls in rules:
            if budget is not None and budget.over():
                break
            ctx.rule = cls
            for finding in rule.check(policy, ctx):
                found.append((cls, finding))
        return found

    def _stopped(self, path: str, span: Span, budget: Budget) -> list[Diagnostic]:
        """The IAM007 of a lint stopped by its budget (suppressions are not applied to what it found)."""
        from iamlint.repeats import partial

        if budget.cancelled:
            return []  # nobody will see it
        return [partial(path, span.line, span.column, f"iamlint stopped checking this file here after "
                                                      f"{budget.seconds:g} s (the language server's time budget): "
                                                      f"later findings are missing; `iamlint` on the command line "
                                                      f"checks it whole")]

    def _suppress(self, document: Document, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics nobody silenced, plus IAM005 for suppressions written wrong and IAM004
        for those that silence nothing."""
        from iamlint.suppressions import apply_suppressions, unknown_selector

        problems = list(document.suppression_problems)
        suppressions = []
        for suppression in document.suppressions:
            unknown = unknown_selector(suppression.selectors, self.known_rules)
            if unknown is None:
                suppressions.append(suppression)
            elif suppression.path in (None, document.path):  # (one written in another file: that file's job)
                problems.append((suppression.span, f"`{unknown}` is not a rule code, code prefix or rule name"))
        kept, unused = apply_suppressions(diagnostics, suppressions, self.known_rules, self.enabled)
        for span, message in problems:
            kept += self.reader_diagnostic(document.path, "IAM005", message, span)
        for code, span, message in unused:
            kept += self.reader_diagnostic(document.path, code, message, span)
        return kept


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """The paths shared out over ``jobs`` workers, a folder's files together (a Terraform
    module's files read one another: workers sharing a folder would each parse all of it), a
    folder larger than a worker's share cut into runs of neighbours (alike names use alike
    services: each worker loads and expands fewer of them than with files dealt out in turn)."""
    share = -(-len(paths) // jobs)
    groups: list[list[str]] = []
    folders: dict[str, list[str]] = {}
    for path in paths:
        folders.setdefault(os.path.dirname(path), []).append(path)
    for group in folders.values():
        pieces = -(-len(group) // share)
        groups += [group[len(group) * i // pieces:len(group) * (i + 1) // pieces] for i in range(pieces)]
    chunks: list[list[str]] = [[] for _ in range(jobs)]
    for group in sorted(groups, key=len, reverse=True):  # biggest first, each to the lightest worker
        min(chunks, key=len).extend(group)
    return chunks


def _remarked(policy: PolicyDocument, found: list[tuple[type[Rule], Finding]]) -> list[tuple[type[Rule], Finding]]:
    """The findings with the remark of the policy's part they lie in added to their messages."""
    if not policy.remarks:
        return found
    marked = []
    for rule, finding in found:
        span = finding.span or (finding.node.span if finding.node is not None else None)
        for where, remark in policy.remarks:
            if where is None or (span is not None and contains(where, span)):
                finding = Finding(finding.node, f"{finding.message} ({remark})", finding.span)
                break
        marked.append((rule, finding))
    return marked
def in_constructs(document: Document, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in a resource the AWS CDK made name its construct (in the message, and as a
    field), with the place in the app's source that created it as a related location."""
    made = [r for r in document.resources if r.construct]
    found = []
    for d in diagnostics:
        span = Span(d.line, d.column, d.end_line, d.end_column)
        resource = next((r for r in made if contains(r.node.span, span)), None) if d.path == document.path else None
        if resource is None:
            found.append(d)
            continue
        found.append(d._replace(message=f"{d.message} (construct `{resource.construct}`)",
                                construct=resource.construct, related=d.related + resource.trace))
    return found


def related_locations(path: str, related) -> tuple[Related, ...]:
    """A finding's ``(message, node | span | Related)`` pairs as related locations."""
    found = []
    for message, where in related:
        if isinstance(where, Related):
            found.append(where if where.message else where._replace(message=message))
            continue
        span = where if isinstance(where, Span) else where.span
        found.append(Related(path, span.line, span.column, span.end_line, span.end_column, message))
    return tuple(found)


def _value_of(node) -> str:
    if node is None:
        return ""
    if type(node.value) in (dict, list):
        return node.key.value if node.key is not None else ""
    return str(node.value)


def policy_place(policy: PolicyDocument, finding: Finding) -> str:
    """`origin|statement|value`: the policy within the file, the statement (Sid, else #index) and
    the offending value, so the identity of a finding survives lines moving above it."""
    span = finding.span or (finding.node.span if finding.node is not None else None)
    statement = ""
    if span is not None:
        candidate = statement_at(policy, span)
        if candidate is not None:
            sid = candidate.get("Sid")
            statement = f"Sid={sid.value}" if sid is not None and sid.is_string else f"#{candidate.index}"
    return f"{policy.origin}|{statement}|{_value_of(finding.node)}"


_FEW_STATEMENTS = 8  # below this, looking at each statement costs less than an index
_STATEMENT_INDEX = "iamlint.statement-index"


def statement_at(policy: PolicyDocument, span: Span):
    """The first statement (in document order) whose node holds the start of ``span``, found in
    logarithmic time: a policy of 50,000 statements, each with findings, must not cost 50,000
    comparisons a finding."""
    statements = policy.statements()
    if len(statements) <= _FEW_STATEMENTS:
        for candidate in statements:
            if contains(candidate.node.span, span):
                return candidate
        return None
    index = policy.cache.get(_STATEMENT_INDEX)
    if index is None:
        index = policy.cache[_STATEMENT_INDEX] = _StatementIndex(statements)
    return index.at((span.line, span.column))


class _StatementIndex:
    """Which statement holds a position: the positions where the answer changes, and the answer
    from each. Statements' spans are usually disjoint and in order; YAML aliases can make them
    repeat or nest, so the answer (the lowest index among the spans that hold the position, as a
    scan in order would find) is worked out by one sweep over every start and end."""

    def __init__(self, statements: list) -> None:
        from heapq import heappop, heappush

        events = []  # (position, 0 = a span starts / 1 = a span has ended, statement number)
        for number, statement in enumerate(statements):
            span = statement.node.span
            events.append(((span.line, span.column), 0, number))
            events.append(((span.end_line, span.end_column + 1), 1, number))  # the end is held
        events.sort()
        self.bounds: list[tuple[int, int]] = []
        self.answers: list = []
        active: list[int] = []  # a heap of statement numbers; ended ones are dropped when on top
        ended: set[int] = set()
        at = 0
        while at < len(events):
            position = events[at][0]
            while at < len(events) and events[at][0] == position:
                _, kind, number = events[at]
                if kind == 0:
                    heappush(active, number)
                else:
                    ended.add(number)
                at += 1
            while active and active[0] in ended:
                heappop(active)
            self.bounds.append(position)
            self.answers.append(statements[active[0]] if active else None)

    def at(self, position: tuple[int, int]):
        slot = bisect_right(self.bounds, position) - 1
        return self.answers[slot] if slot >= 0 else None


def document_place(document: Document, finding: Finding) -> str:
    """`<resource's origin>|value` for a document rule's finding (`Resources/<LogicalId>|...`)."""
    span = finding.span or (finding.node.span if finding.node is not None else None)
    resource = document.resource_at(span) if span is not None else None
    return f"{resource.origin if resource is not None else document.unplaced_origin}|{_value_of(finding.node)}"


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def _where(error: BaseException) -> str:
    """``iamlint/parsers/json_parser.py:95``: the innermost frame of iamlint's own code."""
    import traceback

    package = os.path.dirname(os.path.abspath(__file__))
    found = ""
    for frame in traceback.extract_tb(error.__traceback__):
        filename = os.path.abspath(frame.filename)
        if filename.startswith(package + os.sep):
            found = f"iamlint/{os.path.relpath(filename, package).replace(os.sep, '/')}:{frame.lineno}"
    return found


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
        message = f"the file is not UTF-8 (byte 0x{data[exc.start]:02X} cannot be decoded)"
        return "", (message, _byte_span(data, exc.start))
    return (text[1:] if text.startswith("\ufeff") else text), None


def _byte_span(data: bytes, offset: int) -> Span:
    before = data[:offset].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return Span(line, column, line, column + 1)
