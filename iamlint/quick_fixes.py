"""Quick fixes an editor offers on a diagnostic: silence it with a suppression comment, on its
line or for the whole file (YAML templates; JSON has no comments).

A fix is offered only when it does what it says. With the edit applied, the template must hold
the same data (a "comment" written on a line of a multi-line string, such as a quoted JSON
policy, would become part of the string), and a lint must no longer find the finding, nor
anything it did not find before.
"""

from __future__ import annotations

from collections import Counter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.diagnostics import Diagnostic
    from iamlint.engine import Linter

from iamlint.suppressions import COMMENT


class Insertion:
    """Text to insert before a 1-based line and column (in code points)."""

    __slots__ = ("line", "column", "text")

    def __init__(self, line: int, column: int, text: str) -> None:
        self.line = line
        self.column = column
        self.text = text

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        at = sum(len(line) + 1 for line in lines[:self.line - 1]) + self.column - 1
        return text[:at] + self.text + text[at:]


def _added_to(line_text: str, line: int, scope: str, code: str) -> Insertion | None:
    """``code`` added to a ``# iamlint: <scope>[...]`` comment already on the line, if there is one."""
    match = COMMENT.search(line_text)
    if match is None or match.group("scope") != scope or match.group("rules") is None:
        return None
    return Insertion(line, match.end("rules") + 1, f", {code}")


def suppressions(text: str, diagnostic: Diagnostic) -> list[tuple[str, Insertion]]:
    """(title, edit) for silencing a diagnostic of a YAML template on its line and in the file."""
    code, name = diagnostic.code, diagnostic.rule
    lines = text.split("\n")
    fixes = []
    if 0 < diagnostic.line <= len(lines):
        line_text = lines[diagnostic.line - 1].rstrip("\r")
        edit = _added_to(line_text, diagnostic.line, "ignore", code) or \
            Insertion(diagnostic.line, len(line_text) + 1, f"  # iamlint: ignore[{code}]")
        fixes.append((f"Ignore {code} ({name}) on this line", edit))
    first = lines[0].rstrip("\r")
    edit = _added_to(first, 1, "ignore-file", code) or Insertion(1, 1, f"# iamlint: ignore-file[{code}]\n")
    fixes.append((f"Ignore {code} ({name}) in this file", edit))
    return fixes


def working_suppressions(linter: Linter, path: str, text: str, diagnostic: Diagnostic
                         ) -> list[tuple[str, Insertion]]:
    """The suppressions of ``suppressions`` that take the finding away and bring nothing new."""
    if not path.endswith((".yaml", ".yml", ".template")) or text.lstrip().startswith("{"):
        return []
    from iamlint.parsers.json_parser import ParseError
    from iamlint.parsers.yaml_parser import parse_yaml

    before = Counter(d.code for d in linter.lint_text(path, text))
    if not before[diagnostic.code]:
        return []  # the text has changed since the diagnostic was published
    try:
        data = parse_yaml(text).root.to_python()
    except ParseError:
        return []
    found = []
    for title, edit in suppressions(text, diagnostic):
        edited = edit.apply(text)
        try:
            same_data = parse_yaml(edited).root.to_python() == data
        except ParseError:
            continue
        after = Counter(d.code for d in linter.lint_text(path, edited))
        if same_data and after[diagnostic.code] < before[diagnostic.code] and not after - before:
            found.append((title, edit))
    return found
