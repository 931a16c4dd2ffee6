"""Suppressions inside templates: ``# iamlint: ignore[IAM401] reason`` on the line of a finding,
``# iamlint: ignore-file[...]`` for the whole file, and a resource's ``Metadata.iamlint.ignore``.

Every suppression names its rules (codes, prefixes or names): a bare ``ignore`` is reported
(IAM005), and so is one that suppresses nothing (IAM004), so stale suppressions do not pile up.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.cloudformation import Template
    from iamlint.diagnostics import Diagnostic
    from iamlint.engine import Linter

from iamlint.nodes import Span
from iamlint.selection import specificity

COMMENT = re.compile(r"#\s*iamlint\s*:\s*(?P<scope>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?")
_NEVER_SUPPRESSED = ("IAM004", "IAM005")


class Suppression:
    def __init__(self, selectors: list[str], span: Span, file_wide: bool = False,
                 lines: tuple[int, int] | None = None) -> None:
        self.selectors = selectors
        self.span = span  # where it is written, for IAM004
        self.file_wide = file_wide
        self.lines = lines  # the lines it covers (a comment: its own line; Metadata: the resource)
        self.used = False

    def covers(self, diagnostic: Diagnostic, rules_by_code: dict) -> bool:
        if diagnostic.code in _NEVER_SUPPRESSED:
            return False
        if not self.file_wide and not (self.lines[0] <= diagnostic.line <= self.lines[1]):
            return False
        rule = rules_by_code.get(diagnostic.code)
        return rule is not None and any(specificity(s, rule) >= 0 for s in self.selectors)

    def describe(self) -> str:
        return ", ".join(self.selectors)


def _comments(template: Template, invalid: list[tuple[Span, str]], known) -> list[Suppression]:
    found = []
    for number, line in enumerate(template.text.splitlines(), 1):
        if "iamlint" not in line:
            continue
        match = COMMENT.search(line)
        if match is None:
            continue
        span = Span(number, match.start() + 1, number, match.end() + 1)
        selectors = [s.strip() for s in (match.group("rules") or "").split(",") if s.strip()]
        if not selectors:
            invalid.append((span, f"`# iamlint: {match.group('scope')}` must name the rules it silences, "
                                  f"e.g. `# iamlint: {match.group('scope')}[IAM401] reason`"))
            continue
        unknown = [s for s in selectors if not any(specificity(s, r) >= 0 for r in known)
                   or s.upper() == "ALL"]
        if unknown:
            invalid.append((span, f"`{unknown[0]}` is not a rule code, code prefix or rule name"))
            continue
        found.append(Suppression(selectors, span, file_wide=match.group("scope") == "ignore-file",
                                 lines=(number, number)))
    return found


def _metadata(template: Template, invalid: list[tuple[Span, str]], known) -> list[Suppression]:
    found = []
    for resource in template.resources:
        metadata = resource.node.get("Metadata")
        settings = metadata.get("iamlint") if metadata is not None else None
        ignore = settings.get("ignore") if settings is not None else None
        if ignore is None:
            continue
        selectors = [n for n in ignore.elements() if type(n.value) is str]
        if not selectors:
            invalid.append((ignore.span, "`Metadata.iamlint.ignore` must list rule codes or names"))
            continue
        for node in selectors:
            if node.value.upper() == "ALL" or not any(specificity(node.value, r) >= 0 for r in known):
                invalid.append((node.span, f"`{node.value}` is not a rule code, code prefix or rule name"))
                continue
            span = resource.node.span
            found.append(Suppression([node.value], node.span, lines=(span.line, span.end_line)))
    return found


def apply_suppressions(diagnostics: list[Diagnostic], template: Template, linter: Linter) -> list[Diagnostic]:
    """The diagnostics nobody silenced, plus IAM004/IAM005 for suppressions that are wrong."""
    invalid: list[tuple[Span, str]] = []
    known = linter.known_rules
    rules_by_code = {rule.code: rule for rule in known}
    suppressions = _comments(template, invalid, known) + _metadata(template, invalid, known)
    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in suppressions if s.covers(diagnostic, rules_by_code)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(diagnostic)
    path = template.path
    for span, message in invalid:
        kept += linter.reader_diagnostic(path, "IAM005", message, span)
    for suppression in suppressions:
        silenced = {r.code for r in known if any(specificity(s, r) >= 0 for s in suppression.selectors)}
        if not suppression.used and silenced <= linter.enabled:  # a rule that did not run proves nothing
            where = "this file" if suppression.file_wide else (
                "this line" if suppression.lines[0] == suppression.lines[1] else "this resource")
            kept += linter.reader_diagnostic(
                path, "IAM004", f"suppression of `{suppression.describe()}` matches no finding on {where}; remove it",
                suppression.span)
    return kept
