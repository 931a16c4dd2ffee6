"""Baselines: record today's findings, then report only new ones.

An entry is a finding's rule, path and logical place (the policy's origin, the statement's Sid or
index, the offending value), never its line: adding lines above an old finding does not bring it
back, and fixing a finding removes it. Counts handle the same finding twice in one place.
"""

from __future__ import annotations

import json
from collections import Counter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

    from iamlint.diagnostics import Diagnostic

VERSION = 1


class BaselineError(ValueError):
    pass


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return d.code, d.path.replace("\\", "/"), d.place


def write_baseline(path: str, diagnostics: Sequence[Diagnostic]) -> None:
    from iamlint.diagnostics import INTERNAL_ERROR

    counts = Counter(_key(d) for d in diagnostics if d.code != INTERNAL_ERROR)  # a crash is never recorded
    entries = [{"code": code, "path": file, "place": place, "count": count}
               for (code, file, place), count in sorted(counts.items())]
    from iamlint.reporters.safe import write_json

    with open(path, "w", encoding="utf-8") as handle:
        write_json(handle, {"iamlint-baseline": VERSION, "findings": entries}, indent=1)
        handle.write("\n")


def read_baseline(path: str) -> Counter:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("iamlint-baseline") != VERSION:
            raise BaselineError(f"{path}: not an iamlint baseline (version {VERSION})")
        return Counter({(e["code"], e["path"], e["place"]): int(e.get("count", 1)) for e in data["findings"]})
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, BaselineError):
            raise
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None


def new_findings(diagnostics: Sequence[Diagnostic], baseline: Counter) -> list[Diagnostic]:
    """The diagnostics the baseline does not account for."""
    remaining = Counter(baseline)
    kept = []
    from iamlint.diagnostics import INTERNAL_ERROR

    for d in diagnostics:
        key = _key(d)
        if remaining[key] > 0 and d.code != INTERNAL_ERROR:
            remaining[key] -= 1
        else:
            kept.append(d)
    return kept
