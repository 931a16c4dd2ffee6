"""Suppressions: ``# iamlint: ignore[IAM401] reason`` on the line of a finding,
``# iamlint: ignore-file[...]`` for the whole file, and what a format adds (a CloudFormation
resource's ``Metadata.iamlint.ignore``).

Readers find them (``comment_suppressions`` serves every format with ``#`` comments); the engine
checks the rules they name and applies them. Every suppression names its rules (codes, prefixes
or names): a bare ``ignore`` is reported (IAM005), and so is one that suppresses nothing
(IAM004), so stale suppressions do not pile up.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

    from iamlint.diagnostics import Diagnostic

from iamlint.nodes import Span
from iamlint.selection import specificity

COMMENT = re.compile(r"#\s*iamlint\s*:\s*(?P<scope>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?")
_NEVER_SUPPRESSED = ("IAM000", "IAM004", "IAM005")


class Suppression:
    """Rule selectors silenced over some lines (or the whole file), and where that is written."""

    def __init__(self, selectors: list[str], span: Span, file_wide: bool = False,
                 lines: tuple[int, int] | None = None, path: str | None = None, origins: tuple[str, ...] = (),
                 where: str = "", elsewhere: bool = False) -> None:
        self.selectors = selectors
        self.span = span  # where it is written, for IAM004
        self.file_wide = file_wide
        self.lines = lines  # the lines it covers (a comment: its own line; Metadata: the resource)
        # the file its lines are in, when a document reports findings in other files too (None:
        # every finding of the document); and the logical places it covers wherever they are
        # reported (a Terraform resource's findings in the template file it reads)
        self.path = path
        self.origins = origins  # prefixes of Diagnostic.place
        self._where = where
        # what it silences may be reported by another file's document (a template file a
        # resource reads): it is never called unused
        self.elsewhere = elsewhere
        self.used = False

    def covers(self, diagnostic: Diagnostic, rules_by_code: dict) -> bool:
        if diagnostic.code in _NEVER_SUPPRESSED:
            return False
        if not (self.origins and diagnostic.place.startswith(self.origins)):
            if self.path is not None and diagnostic.path != self.path:
                return False
            if not self.file_wide and not (self.lines[0] <= diagnostic.line <= self.lines[1]):
                return False
        rule = rules_by_code.get(diagnostic.code)
        return rule is not None and any(specificity(s, rule) >= 0 for s in self.selectors)

    def describe(self) -> str:
        return ", ".join(self.selectors)

    @property
    def where(self) -> str:
        """What it covers, in words."""
        if self._where:
            return self._where
        if self.file_wide:
            return "this file"
        return "this line" if self.lines[0] == self.lines[1] else "this resource"


def comment_suppressions(text: str, problems: list[tuple[Span, str]]) -> list[Suppression]:
    """The ``# iamlint: ignore[...]`` comments of a text; one without rules goes to ``problems``."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if "iamlint" not in line:
            continue
        match = COMMENT.search(line)
        if match is None:
            continue
        span = Span(number, match.start() + 1, number, match.end() + 1)
        selectors = [s.strip() for s in (match.group("rules") or "").split(",") if s.strip()]
        if not selectors:
            problems.append((span, (f"`# iamlint: {match.group('scope')}` must name the rules it silences, "
                                    f"e.g. `# iamlint: {match.group('scope')}[IAM401] reason`")))
            continue
        found.append(Suppression(selectors, span, file_wide=match.group("scope") == "ignore-file",
                                 lines=(number, number)))
    return found


def unknown_selector(selectors: Sequence[str], known) -> str | None:
    """The first selector that names no known rule (``ALL`` is never allowed in a suppression)."""
    for selector in selectors:
        if selector.upper() == "ALL" or not any(specificity(selector, rule) >= 0 for rule in known):
            return selector
    return None


def apply_suppressions(diagnostics: list[Diagnostic], suppressions: list[Suppression], known, enabled
                       ) -> tuple[list[Diagnostic], list[tuple[str, Span, str]]]:
    """The diagnostics nobody silenced, and (code, span, message) for every suppression that
    silenced nothing (IAM004). ``known``: every rule of the run; ``enabled``: the codes that ran
    (a suppression of a rule that did not run proves nothing)."""
    rules_by_code = {rule.code: rule for rule in known}
    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in suppressions if s.covers(diagnostic, rules_by_code)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(diagnostic)
    unused = []
    for suppression in suppressions:
        silenced = {r.code for r in known if any(specificity(s, r) >= 0 for s in suppression.selectors)}
        if not suppression.used and silenced <= enabled and not suppression.elsewhere:
            unused.append(("IAM004", suppression.span, (f"suppression of `{suppression.describe()}` matches no "
                                                        f"finding on {suppression.where}; remove it")))
    return kept, unused
