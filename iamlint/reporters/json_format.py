"""A JSON array of diagnostics: a stable format (see the README) for scripts and other tools."""

from __future__ import annotations

import json
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, TextIO

from iamlint.diagnostics import Diagnostic


def report_json(diagnostics: Sequence[Diagnostic], files_checked: int, out: TextIO, quiet: bool = False) -> None:
    json.dump([d.as_dict() for d in diagnostics], out, indent=2, ensure_ascii=False)
    out.write("\n")
