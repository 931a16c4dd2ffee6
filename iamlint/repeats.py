"""The last steps before a report, after suppressions and baselines: repeated findings collapse
into one, and no file reports more than a limit of findings.

- The same rule on the same policy (or resource, or file) with the same message template (the
  message with its numbers outside backquotes set aside: `(line 12)`) past a threshold (10;
  ``collapse-repeats`` in the configuration) is reported once, at its first occurrence, with the
  count, and keeps that occurrence's fingerprint: 200,000 copies of one action are one line.
- A file reports at most ``MAX_FINDINGS_PER_FILE`` findings; past it, one IAM007 says how many
  there were. No real-world file comes near (the corpus: 134 at most).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

from iamlint.diagnostics import INTERNAL_ERROR, Diagnostic, Severity

COLLAPSE_AFTER = 10  # the default of `collapse-repeats`
MAX_FINDINGS_PER_FILE = 10_000
_QUOTED = re.compile(r"(`[^`]*`)")
_NUMBER = re.compile(r"\d[\d,.]*")
_DIGIT = re.compile(r"\d")


def template(message: str) -> str:
    """The message with its numbers outside backquotes set aside: what stays the same when the
    same finding repeats (`already listed (line 12)`, `(line 40)`)."""
    if _DIGIT.search(message) is None:
        return message
    return "".join(part if part.startswith("`") else _NUMBER.sub("#", part) for part in _QUOTED.split(message))


def _scope(place: str) -> tuple[str, str]:
    """(what holds the finding, its name in words), from a diagnostic's place."""
    parts = place.split("|")
    if len(parts) == 3:
        return parts[0], "policy"
    if len(parts) == 2 and parts[0].startswith("Resources/") and parts[0] != "Resources/":
        return parts[0], "resource"
    return "", "file"


def collapse_repeats(diagnostics: Sequence[Diagnostic], threshold: int = COLLAPSE_AFTER) -> list[Diagnostic]:
    """The diagnostics, each group of more than ``threshold`` alike reported once (0: never)."""
    if threshold <= 0 or len(diagnostics) <= threshold:
        return list(diagnostics)
    groups: dict[tuple, list[int]] = {}
    templates: dict[str, str] = {}  # message -> its template (repeats repeat their messages too)
    for number, d in enumerate(diagnostics):
        if d.code != INTERNAL_ERROR:
            shape = templates.get(d.message)
            if shape is None:
                shape = templates[d.message] = template(d.message)
            groups.setdefault((d.path, d.code, _scope(d.place)[0], shape), []).append(number)
    dropped: set[int] = set()
    replaced: dict[int, Diagnostic] = {}
    for members in groups.values():
        if len(members) > threshold:
            first = diagnostics[members[0]]
            replaced[members[0]] = first._replace(message=f"{first.message} [{len(members):,} findings like this "
                                                           f"in this {_scope(first.place)[1]}, reported once]")
            dropped.update(members[1:])
    if not replaced:
        return list(diagnostics)
    return [replaced.get(number, d) for number, d in enumerate(diagnostics) if number not in dropped]


def cap_per_file(diagnostics: Sequence[Diagnostic], limit: int | None = None) -> list[Diagnostic]:
    """At most ``limit`` diagnostics a file (an internal error always stays), then one IAM007 at
    the first one left out."""
    if limit is None:
        limit = MAX_FINDINGS_PER_FILE
    counts: dict[str, int] = {}
    for d in diagnostics:
        counts[d.path] = counts.get(d.path, 0) + 1
    if max(counts.values(), default=0) <= limit:
        return list(diagnostics)
    kept: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for d in diagnostics:
        number = seen[d.path] = seen.get(d.path, 0) + 1
        if number <= limit or d.code == INTERNAL_ERROR:
            kept.append(d)
        elif number == limit + 1:
            kept.append(partial(d.path, d.line, d.column, f"this file has {counts[d.path]:,} findings; only the first "
                                                           f"{limit:,} are reported (iamlint's per-file limit)"))
    return kept


def partial(path: str, line: int, column: int, message: str) -> Diagnostic:
    """An IAM007 partial-results diagnostic: iamlint stopped reporting or checking early here."""
    return Diagnostic(path, line, column, "IAM007", line, column + 1, "partial-results", Severity.WARNING, message,
                      "partial-results")


def finish(diagnostics: Sequence[Diagnostic], threshold: int = COLLAPSE_AFTER) -> list[Diagnostic]:
    """Collapse repeats, then cap each file: what a report shows."""
    return cap_per_file(collapse_repeats(diagnostics, threshold))
