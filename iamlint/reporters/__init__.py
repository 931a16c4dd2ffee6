"""Output formats. Each reporter writes diagnostics, already sorted, to a stream."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Sequence, TextIO

from iamlint.diagnostics import Diagnostic
from iamlint.reporters.github import report_github
from iamlint.reporters.json_format import report_json
from iamlint.reporters.text import report_text

# name -> function(diagnostics, files_checked, stream, quiet)
REPORTERS: dict[str, Callable[[Sequence[Diagnostic], int, TextIO, bool], None]] = {
    "text": report_text, "json": report_json, "github": report_github}  # sarif: reporters.sarif (needs the rules)
