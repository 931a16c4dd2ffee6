"""What every input, however hostile, must give: diagnostics and never an exception.

``check`` lints a text or bytes as the file ``name`` with every built-in rule, internal errors
raised rather than turned into IAM000 (so a failure shows its traceback), and checks that the
diagnostics are well formed, deterministic, and written by every reporter to a strict UTF-8
stream. ``check_incremental`` also checks that the language server's incremental linter, after
an earlier version of the file, finds exactly what a fresh lint finds.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@cache
def linter():
    from iamlint.config import Config
    from iamlint.engine import Linter
    from iamlint.rules import BUILTIN_RULES

    made = Linter(BUILTIN_RULES, Config())
    made.raise_errors = True
    return made


def lint(name: str, data: str | bytes) -> list:
    made = linter()
    return made.lint_bytes(name, data) if isinstance(data, bytes) else made.lint_text(name, data)


def check(name: str, data: str | bytes) -> list:
    """The diagnostics of ``data`` read as the file ``name``, after checking them; raises on any failure."""
    found = lint(name, data)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    # YAML counts a lone CR (and NEL, LS, PS) as a line break, as LSP does for CR; JSON only LF.
    # A YAML end mark may sit on the line after the last.
    lines = len(_LINE_BREAK.findall(text)) + 2
    codes = {rule.code for rule in linter().known_rules}
    for d in found:
        assert d.path == name, d
        assert 1 <= d.line <= lines and d.column >= 1, d
        assert (d.end_line, d.end_column) >= (d.line, d.column), d
        assert d.code in codes and d.code != "IAM000", d
        assert isinstance(d.message, str) and d.message, d
    assert found == sorted(found)
    assert lint(name, data) == found, "a second lint of the same input differs"
    write_reports(found)
    return found


def write_reports(diagnostics: list) -> None:
    """Every reporter writes the diagnostics to a strict UTF-8 stream; the JSON ones parse back."""
    from iamlint.reporters import BUILTIN_REPORTERS, find_reporter
    from iamlint.reporters.base import Report

    for name in BUILTIN_REPORTERS:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
        find_reporter(name).write(Report(diagnostics, 1), stream)
        stream.flush()
        if name in ("json", "sarif"):
            written = json.loads(raw.getvalue().decode("utf-8"))
            assert len(written if name == "json" else written["runs"][0]["results"]) == len(diagnostics)


def check_incremental(name: str, before: str, after: str) -> None:
    """The server's linter, having linted ``before``, finds in ``after`` what a fresh lint finds."""
    from iamlint.config import Config
    from iamlint.incremental import IncrementalLinter
    from iamlint.rules import BUILTIN_RULES

    server = IncrementalLinter(BUILTIN_RULES, Config())
    server.raise_errors = True
    server.lint_text(name, before)
    assert server.lint_text(name, after) == lint(name, after), "the incremental re-lint differs from a fresh lint"
