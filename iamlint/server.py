"""`iamlint server`: a language server over stdio, for editors (pygls).

Publishes diagnostics for the documents of every format iamlint reads (JSON, YAML, Terraform)
on open, on change (debounced: typing does not lint every keystroke) and on save, with ranges,
codes, links to the rule's docs, and hover text on a diagnostic. The configuration nearest to
each document applies and is re-read when it changes. The linter stays loaded between edits, so
re-linting a document costs only the lint. A Terraform document reads the other files of its
module folder from disk, so it is linted again when one of them changes.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from urllib.parse import unquote, urlparse

from iamlint import __version__

DEBOUNCE_SECONDS = 0.3
# A document's lint stops after this long and shows what it found (IAM007); IAMLINT_SERVER_BUDGET overrides.
BUDGET_SECONDS = 10.0
LINT_THREADS = 4  # documents linted at once, off the message loop


def is_linted(path: str) -> bool:
    """Whether a document is of a format some reader reads (by its name, as a folder walk decides)."""
    from iamlint.readers import extensions

    return path.endswith(extensions())


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


# Files whose change can change what an open Terraform document says: its module folder's files
# and the templates they read (in the folder or below it)
MODULE_FILES = (".tf", ".tofu", ".tf.json", ".tftpl", ".tpl", ".json")


def depends_on(document: str, changed: str) -> bool:
    """Whether the lint of an open Terraform document may change when the file ``changed`` does:
    a file of its folder or below (a template), or, for a template, a file of a folder above it."""
    if not document.endswith(MODULE_FILES) or not changed.endswith(MODULE_FILES) or document == changed:
        return False
    folder, other = os.path.dirname(document), os.path.dirname(changed)
    return other == folder or other.startswith(folder + os.sep) or folder.startswith(other + os.sep)


class _GarbageCollectionPause:
    """No garbage collection while a lint runs: a lint allocates tens of thousands of short-lived
    nodes, and collecting in the middle of it only costs time (collect after, when the client
    already has its diagnostics)."""

    def __init__(self) -> None:
        self.running = 0
        self.lock = threading.Lock()

    def __enter__(self) -> None:
        with self.lock:
            self.running += 1
            gc.disable()

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.running -= 1
            if not self.running:
                gc.enable()


class Session:
    """Everything the server keeps between edits: the loaded configurations and linters, and the
    last diagnostics of each document (for hover)."""

    def __init__(self) -> None:
        self.linters: dict[str | None, tuple[float, object]] = {}  # config path -> (mtime, linter)
        self.results: dict[str, list] = {}  # uri -> iamlint diagnostics
        self.rules: dict[str, tuple] = {}  # uri -> the rules known to its lint (where their docs are)
        self.frozen = False
        self.lock = threading.Lock()

    def linter_for(self, path: str):
        from iamlint.config import find_config_file, load_config
        from iamlint.incremental import IncrementalLinter

        source = find_config_file(os.path.dirname(os.path.abspath(path)))
        mtime = os.path.getmtime(source) if source else 0.0
        with self.lock:  # documents are linted on several threads
            cached = self.linters.get(source)
            if cached is None or cached[0] != mtime:  # new, or the configuration changed on disk
                config = load_config(source)
                known = config.known_rules()
                linter = IncrementalLinter(config.rules_to_run(known), config, known_rules=known)
                cached = (mtime, linter)
                self.linters[source] = cached
        return cached[1]

    def forget(self, uri: str) -> None:
        """A closed document: drop what was kept for it."""
        self.results.pop(uri, None)
        self.rules.pop(uri, None)
        path = uri_to_path(uri)
        for _, linter in self.linters.values():
            linter.forget(path)

    def suppressions(self, uri: str, text: str, published) -> list:
        """(title, insertion) for the suppression comments that silence a published LSP diagnostic."""
        from iamlint.config import ConfigError
        from iamlint.plugins import PluginError
        from iamlint.quick_fixes import working_suppressions
        from iamlint.selection import SelectorError

        line = published.range.start.line + 1
        matching = [d for d in self.results.get(uri, []) if d.code == published.code and d.line == line]
        if not matching or text.startswith("\ufeff"):  # (an edit before a byte order mark would break it)
            return []
        path = uri_to_path(uri)
        try:
            linter = self.linter_for(path)
        except (ConfigError, SelectorError, PluginError):  # reported as a diagnostic of its own
            return []
        return working_suppressions(linter, path, text, matching[0])

    def lint(self, uri: str, text: str, budget=None) -> list:
        """iamlint diagnostics of a document's current text, stopping early when ``budget`` (an
        ``engine.Budget``) runs out or is cancelled; a configuration error is one diagnostic."""
        from iamlint.config import ConfigError
        from iamlint.diagnostics import Diagnostic, Severity
        from iamlint.plugins import PluginError
        from iamlint.selection import SelectorError

        path = uri_to_path(uri)
        if not is_linted(path):
            return []
        try:
            linter = self.linter_for(path)
        except (ConfigError, SelectorError, PluginError) as error:
            return [Diagnostic(path, 1, 1, "config", 1, 1, "configuration", Severity.ERROR, str(error))]
        from iamlint.repeats import finish

        text = text.lstrip("\ufeff")
        found = linter.lint_text(path, text) if budget is None else linter.lint_text_within(path, text, budget)
        found = linter.config.without_ignored(found, linter.known_rules)
        found = [d for d in found if d.path == path]  # (a Terraform file also reports its templates' findings)
        found = finish(found, linter.config.collapse_repeats)
        if budget is None or not budget.cancelled:
            self.results[uri] = found
            self.rules[uri] = linter.known_rules
        return found


def _utf16(line_text: str, column: int) -> int:
    """An LSP character offset (UTF-16 code units) for a 1-based column in code points."""
    prefix = line_text[:max(column - 1, 0)]
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


SEVERITIES = {"error": 1, "warning": 2, "info": 3}  # LSP DiagnosticSeverity


def to_lsp(diagnostics: list, text: str, uri: str = "", rules=()) -> list[dict]:
    """LSP Diagnostic objects as plain JSON-ready dicts (building lsprotocol objects and having
    them unstructured again costs more than the lint itself). With the document's ``uri``, a
    diagnostic's related locations become its ``relatedInformation``; with the ``rules`` known to
    the lint, a diagnostic of a rule that has a page links to it (``codeDescription``)."""
    from iamlint.links import rule_urls

    urls = rule_urls(rules)
    lines = text.split("\n")
    count = len(lines)
    ascii_only = text.isascii()  # then a UTF-16 offset is the column itself

    def position(line: int, column: int) -> dict:
        line_text = lines[line - 1] if 0 < line <= count else ""
        if ascii_only:
            return {"line": max(line - 1, 0), "character": max(min(column - 1, len(line_text)), 0)}
        return {"line": max(line - 1, 0), "character": _utf16(line_text, column)}

    result = []
    for d in diagnostics:
        end = position(d.end_line, d.end_column) if (d.end_line, d.end_column) > (d.line, d.column) \
            else position(d.line, d.column + 1)
        item = {"range": {"start": position(d.line, d.column), "end": end}, "message": d.message,
                "severity": SEVERITIES[d.severity], "code": d.code, "source": "iamlint"}
        href = urls.get(d.code)
        if href is not None:
            item["codeDescription"] = {"href": href}
        if uri and d.related:
            item["relatedInformation"] = [_related_information(r, d.path, uri, position) for r in d.related]
        result.append(item)
    return result


def _related_information(related, path: str, uri: str, position) -> dict:
    """An LSP DiagnosticRelatedInformation: a place of the same document, or of another file
    (whose text the server does not have: its columns are taken as they are)."""
    if related.path == path:
        start, end = position(related.line, related.column), position(related.end_line, related.end_column)
    else:
        from pathlib import Path

        uri = Path(related.path).resolve().as_uri()
        start = {"line": max(related.line - 1, 0), "character": max(related.column - 1, 0)}
        end = {"line": max(related.end_line - 1, 0), "character": max(related.end_column - 1, 0)}
    return {"location": {"uri": uri, "range": {"start": start, "end": end}}, "message": related.message}


def hover_text(diagnostics: list, line: int, column: int, rules=()) -> str | None:
    """Markdown for the diagnostics under a 1-based position: what the rule checks, the finding,
    and how to read more (``rules``: those known to the lint, a plugin's among them)."""
    from iamlint.links import rule_url
    from iamlint.plugins import BUILTIN_PLUGINS, plugin_rules
    from iamlint.rules import find_rule

    known = {rule.code: rule for rule in rules}
    parts = []
    for d in diagnostics:
        if (d.line, d.column) <= (line, column) <= (d.end_line, d.end_column):
            rule = known.get(d.code) or find_rule(d.code) or find_rule(d.code, plugin_rules(BUILTIN_PLUGINS))
            summary = rule.summary() if rule is not None else ""
            url = rule_url(rule) if rule is not None else None
            link = f"[Rule documentation]({url}) · " if url else ""
            parts.append(f"**{d.code} {d.rule}**: {d.message}\n\n{summary}\n\n{link}`iamlint rule {d.code}`")
    return "\n\n---\n\n".join(parts) or None


def run() -> int:
    try:
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer
    except ImportError:
        print("iamlint server needs pygls: pip install 'iamlint[lsp]'", file=sys.stderr)
        return 2
    import asyncio

    from iamlint.config import CONFIG_FILES

    config_uris = tuple(f"/{name}" for name in CONFIG_FILES)
    server = LanguageServer("iamlint", __version__)
    session = Session()
    pending: dict[str, asyncio.TimerHandle] = {}

    timing = os.environ.get("IAMLINT_SERVER_TIMING") == "1"

    def notify(method: str, params: dict) -> None:
        # plain JSON straight to the client: lsprotocol objects (or pygls's message classes) are
        # unstructured field by field by cattrs, which costs more than the lint itself
        server.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    budget_seconds = float(os.environ.get("IAMLINT_SERVER_BUDGET") or BUDGET_SECONDS)
    from concurrent.futures import ThreadPoolExecutor

    from iamlint.engine import Budget

    # Lints run on worker threads, so a long one never holds up the message loop (hover, code
    # actions, other documents). A document is linted by one lint at a time (its incremental
    # memory is its own); a newer version cancels the lint of the older one.
    workers = ThreadPoolExecutor(max_workers=LINT_THREADS, thread_name_prefix="iamlint-lint")
    budgets: dict[str, Budget] = {}  # uri -> the budget of its latest lint
    locks: dict[str, asyncio.Lock] = {}  # uri -> held while one of its lints (or quick fixes) runs
    paused = _GarbageCollectionPause()

    def lint_off_the_loop(uri: str, text: str, budget: Budget) -> dict:
        started = time.perf_counter()
        with paused:
            found = session.lint(uri, text, budget)
            params = {"uri": uri, "diagnostics": to_lsp(found, text, uri, session.rules.get(uri, ()))}
        return {"params": params, "ms": (time.perf_counter() - started) * 1000}

    def publish(uri: str) -> None:
        pending.pop(uri, None)
        asyncio.ensure_future(relint(uri))

    async def relint(uri: str) -> None:
        cancel_lint(uri)
        budget = budgets[uri] = Budget(budget_seconds)
        async with locks.setdefault(uri, asyncio.Lock()):  # the stale lint stops at its next check
            if budget.cancelled or uri not in server.workspace.text_documents:
                return  # a newer version came while waiting, or the document closed
            document = server.workspace.get_text_document(uri)
            text, version = document.source, document.version
            try:
                result = await asyncio.get_running_loop().run_in_executor(workers, lint_off_the_loop, uri, text,
                                                                          budget)
            except Exception as error:  # noqa: BLE001 - one document's failure never stops the server
                result = failed(uri, error)
        if budget.cancelled or uri not in server.workspace.text_documents:
            return
        params = result["params"]
        if timing:  # for bench/lsp_relint.py: the server's own time, without the transport
            notify("window/logMessage", {"type": 4, "message": f"iamlint: linted {uri} in {result['ms']:.2f} ms"})
        if version is not None:
            params["version"] = version
        notify("textDocument/publishDiagnostics", params)
        if not session.frozen:  # rules, schemas and service data live as long as the server: stop scanning them
            gc.freeze()
            session.frozen = True

    def failed(uri: str, error: BaseException) -> dict:
        """One diagnostic for a document the server failed on, and the traceback in the log."""
        import traceback

        from iamlint.diagnostics import Diagnostic, Severity
        from iamlint.links import ISSUES

        notify("window/logMessage", {"type": 1, "message": f"iamlint: failed on {uri}\n" + "".join(
            traceback.format_exception(type(error), error, error.__traceback__))})
        message = (f"iamlint failed on this document: {type(error).__name__}; the traceback is in the log. "
                   f"Please report it: {ISSUES}")
        session.results[uri] = [Diagnostic(uri_to_path(uri), 1, 1, "IAM000", 1, 2, "internal-error", Severity.ERROR,
                                           message, "internal-error")]
        # (built here, not through to_lsp: it may be what failed)
        start, end = {"line": 0, "character": 0}, {"line": 0, "character": 1}
        return {"params": {"uri": uri, "diagnostics": [{"range": {"start": start, "end": end}, "message": message,
                                                         "severity": 1, "code": "IAM000", "source": "iamlint"}]},
                "ms": 0.0}

    def cancel_lint(uri: str) -> None:
        budget = budgets.pop(uri, None)
        if budget is not None:
            budget.cancelled = True

    def cancel(uri: str) -> None:
        """Forget a pending re-lint of the document and stop one that runs (a newer version came)."""
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        cancel_lint(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel(uri)
        pending[uri] = asyncio.get_event_loop().call_later(DEBOUNCE_SECONDS, publish, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(config_uris):
            relint_open_documents()
            return
        cancel(uri)
        publish(uri)
        relint_dependents([uri_to_path(uri)], skip=uri)

    def relint_dependents(changed: list[str], skip: str = "") -> None:
        """Files changed on disk: lint again the open Terraform documents that read them."""
        for uri in list(server.workspace.text_documents):
            path = uri_to_path(uri)
            if uri != skip and is_linted(path) and any(depends_on(path, other) for other in changed):
                cancel(uri)
                publish(uri)

    def relint_open_documents() -> None:
        """A configuration changed: what it says applies to every open document at once."""
        session.linters.clear()  # read every configuration again, whatever its modification time
        for uri in list(server.workspace.text_documents):
            if is_linted(uri_to_path(uri)):
                cancel(uri)
                publish(uri)

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        # ask the editor to say when a configuration file changes on disk, when it can
        workspace = server.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace is not None else None
        if watching is not None and watching.dynamic_registration:
            patterns = [f"**/{name}" for name in CONFIG_FILES]
            patterns += [f"**/*{extension}" for extension in MODULE_FILES if extension != ".json"]
            server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="iamlint-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern=pattern) for pattern in patterns]))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(config_uris) for change in params.changes):
            relint_open_documents()
            return
        relint_dependents([uri_to_path(change.uri) for change in params.changes])

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel(uri)
        session.forget(uri)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def code_action(params: types.CodeActionParams):
        wanted = [d for d in params.context.diagnostics if d.source == "iamlint"]
        if not wanted:
            return None
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        text = document.source

        def fixes() -> list:  # lints the text again (off the loop, and not beside a lint of the same document)
            return [(d, fix) for d in wanted for fix in session.suppressions(uri, text, d)]

        async with locks.setdefault(uri, asyncio.Lock()):
            found = await asyncio.get_running_loop().run_in_executor(workers, fixes)
        actions, offered = [], set()
        for wanted_diagnostic, (title, edit) in found:
            if (title, edit.line) in offered:  # two findings of one rule on one line: one fix for both
                continue
            offered.add((title, edit.line))
            line_text = document.lines[edit.line - 1] if edit.line <= len(document.lines) else ""
            at = types.Position(line=edit.line - 1, character=_utf16(line_text, edit.column))
            actions.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[wanted_diagnostic],
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=at, end=at),
                                                                       new_text=edit.text)]})))
        return actions or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams):
        document = server.workspace.get_text_document(params.text_document.uri)
        lines = document.lines
        line_text = lines[params.position.line] if params.position.line < len(lines) else ""
        # LSP counts UTF-16 code units; iamlint counts code points
        units, column = 0, 1
        for char in line_text:
            if units >= params.position.character:
                break
            units += len(char.encode("utf-16-le", "surrogatepass")) // 2
            column += 1
        uri = params.text_document.uri
        text = hover_text(session.results.get(uri, []), params.position.line + 1, column, session.rules.get(uri, ()))
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    try:
        server.start_io()
    finally:  # lints still running stop at their next check: the process exits without waiting for them
        for budget in list(budgets.values()):
            budget.cancelled = True
        workers.shutdown(wait=False, cancel_futures=True)
    return 0
