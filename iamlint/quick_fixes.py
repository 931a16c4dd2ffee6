"""Quick fixes an editor offers on a diagnostic: silence it with a suppression comment, on its
line or for the whole file (YAML templates and Terraform; JSON has no comments), and in
Terraform for the whole block above which it is written.

A fix is offered only when it does what it says. With the edit applied, the file must hold the
same data (a "comment" written on a line of a multi-line string, such as a quoted JSON policy or
a heredoc, would become part of the string), and a lint must no longer find the finding, nor
anything it did not find before. A reader that reads comments says how to check the first
(``keeps_data``); YAML templates are checked here.
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


def _added_to(line_text: str, line: int, scope: str, code: str, pattern=COMMENT) -> Insertion | None:
    """``code`` added to a ``# iamlint: <scope>[...]`` comment already on the line, if there is one."""
    match = pattern.search(line_text)
    if match is None or match.group("scope") != scope or match.group("rules") is None:
        return None
    return Insertion(line, match.end("rules") + 1, f", {code}")


def suppressions(text: str, diagnostic: Diagnostic, pattern=COMMENT, blocks=()) -> list[tuple[str, Insertion]]:
    """(title, edit) for silencing a diagnostic on its line, above each of ``blocks`` (a
    Terraform block around it: (line, indentation, what it is)) and in the file."""
    code, name = diagnostic.code, diagnostic.rule
    lines = text.split("\n")
    fixes = []
    if 0 < diagnostic.line <= len(lines):
        line_text = lines[diagnostic.line - 1].rstrip("\r")
        edit = _added_to(line_text, diagnostic.line, "ignore", code, pattern) or \
            Insertion(diagnostic.line, len(line_text) + 1, f"  # iamlint: ignore[{code}]")
        fixes.append((f"Ignore {code} ({name}) on this line", edit))
    for line, indent, what in blocks:
        above = lines[line - 2].rstrip("\r") if line > 1 else ""
        joined = _added_to(above, line - 1, "ignore", code, pattern) if above.strip().startswith(("#", "//")) else None
        edit = joined or Insertion(line, 1, f"{indent}# iamlint: ignore[{code}]\n")
        fixes.append((f"Ignore {code} ({name}) in this {what}", edit))
    first = lines[0].rstrip("\r")
    edit = _added_to(first, 1, "ignore-file", code, pattern) or Insertion(1, 1, f"# iamlint: ignore-file[{code}]\n")
    fixes.append((f"Ignore {code} ({name}) in this file", edit))
    return fixes


def working_suppressions(linter: Linter, path: str, text: str, diagnostic: Diagnostic
                         ) -> list[tuple[str, Insertion]]:
    """The suppressions of ``suppressions`` that take the finding away and bring nothing new."""
    from iamlint.readers import Source, reader_for

    reader = reader_for(Source(path, text))
    keeps_data = getattr(reader, "keeps_data", None)
    if keeps_data is not None:  # a reader that reads comments (Terraform)
        candidates = suppressions(text, diagnostic, reader.suppression_pattern,
                                  reader.blocks_around(text, diagnostic.line))

        def same_data(edited: str, edit: Insertion) -> bool:
            return keeps_data(text, edited, edit)
    elif path.endswith((".yaml", ".yml", ".template")) and not text.lstrip().startswith("{"):
        from iamlint.parsers.json_parser import ParseError
        from iamlint.parsers.yaml_parser import parse_yaml

        try:
            data = parse_yaml(text).root.to_python()
        except ParseError:
            return []
        candidates = suppressions(text, diagnostic)

        def same_data(edited: str, edit: Insertion) -> bool:
            try:
                return parse_yaml(edited).root.to_python() == data
            except ParseError:
                return False
    else:
        return []
    before = Counter(d.code for d in linter.lint_text(path, text) if d.path == path)
    if not before[diagnostic.code]:
        return []  # the text has changed since the diagnostic was published
    found = []
    for title, edit in candidates:
        edited = edit.apply(text)
        if not same_data(edited, edit):
            continue
        after = Counter(d.code for d in linter.lint_text(path, edited) if d.path == path)
        if after[diagnostic.code] < before[diagnostic.code] and not after - before:
            found.append((title, edit))
    return found
