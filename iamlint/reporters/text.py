"""``path:line:col: CODE message (rule-name)``, one per line, then a one-line summary."""

from __future__ import annotations

from collections import Counter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, TextIO

    from iamlint.diagnostics import Diagnostic
    from iamlint.reporters.base import Report

from iamlint.reporters.safe import write_text

DESCRIPTION = "`path:line:col: CODE message (rule-name)`, one per line, then a summary line (the default)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files_checked: int, notes: Sequence[str] = (),
            policies: int | None = None) -> str:
    """The last line: what was found, and how much was read (``policies``: the policies read in
    every file, so that files read but not understood do not pass for clean ones); ``notes`` say
    what the run did that a user may not expect (`cdk.out is ignored by git; linted because it
    was named`)."""
    told = "".join(f"; {note}" for note in notes)
    read = "" if policies is None else f"{policies} polic{'y' if policies == 1 else 'ies'}, "
    if not diagnostics:
        if policies is None:
            return f"iamlint: no problems in {_plural(files_checked, 'file')}{told}"
        return f"iamlint: no problems in {read}{_plural(files_checked, 'file')} checked{told}"
    by_severity = Counter(d.severity.value for d in diagnostics)
    parts = ", ".join(_plural(by_severity[s], s) for s in ("error", "warning", "info") if by_severity[s])
    files = len({d.path for d in diagnostics})
    return (f"iamlint: {_plural(len(diagnostics), 'problem')} ({parts}) in {_plural(files, 'file')}, "
            f"{read}{_plural(files_checked, 'file')} checked{told}")


def write(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        write_text(out, f"{d.path}:{d.line}:{d.column}: {d.code} {d.message} ({d.rule})\n")
    if not report.quiet:
        write_text(out, summary(report.diagnostics, report.files_checked, report.notes, report.policies) + "\n")
