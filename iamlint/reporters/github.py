"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request diff.

    ::error file=policy.json,line=3,col=17,endLine=3,endColumn=25,title=IAM104 invalid-effect::message
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from iamlint.diagnostics import Diagnostic
    from iamlint.reporters.base import Report

from iamlint.reporters.safe import write_text

DESCRIPTION = "GitHub Actions workflow commands: annotations on the pull request diff"
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    properties = ",".join([
        f"file={_escape_property(d.path)}", f"line={d.line}", f"col={d.column}", f"endLine={d.end_line}",
        f"endColumn={d.end_column}", f"title={_escape_property(f'{d.code} {d.rule}')}"])
    return f"::{COMMANDS[d.severity.value]} {properties}::{_escape_data(d.message)}"


def write(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        write_text(out, annotation(d) + "\n")
