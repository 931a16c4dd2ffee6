"""Rule documentation: the page `iamlint rule CODE` prints and the README's rules table."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

from iamlint.policy import KINDS
from iamlint.rules.base import DocumentRule, ReaderRule, Rule


def applies_to(rule: type[Rule]) -> str:
    if getattr(rule, "applies_to", None):
        return rule.applies_to
    if issubclass(rule, ReaderRule):
        return "every file read"
    if issubclass(rule, DocumentRule):
        if rule.formats is None:
            return "every format with resources"
        from iamlint.readers import READERS

        # a Terraform rule reads plans too: say it once
        names = [r.name for r in READERS if r.name in rule.formats
                 and not (r.name == "terraform-plan" and "terraform" in rule.formats)]
        return "; ".join(sorted((r.title for r in READERS if r.name in names), key=lambda t: "Terraform" in t))
    if set(rule.kinds) == set(KINDS):
        return "all policy kinds"
    return ", ".join(k for k in KINDS if k in rule.kinds)


def rule_page(rule: type[Rule]) -> str:
    header = f"# {rule.code} {rule.name}\n\nSeverity: {rule.severity.value}. Applies to: {applies_to(rule)}.\n\n"
    return header + rule.docs() + "\n"


def rules_table(rules: Sequence[type[Rule]]) -> str:
    """Markdown table of every rule; the README embeds it and a test keeps it current."""
    lines = ["| code | name | severity | applies to | what it checks |", "|---|---|---|---|---|"]
    for rule in rules:
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {applies_to(rule)} | {summary} |")
    return "\n".join(lines) + "\n"


def plain_rules_table(rules: Sequence[type[Rule]]) -> str:
    width = max(len(rule.name) for rule in rules)
    return "".join(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary()}\n" for rule in rules)


def parliament_table() -> str:
    """Markdown table of the parliament plugin's codes; the README embeds it and a test keeps it current."""
    from iamlint.plugins.parliament import ISSUES, OTHER

    lines = ["| code | parliament issue | severity | what |", "|---|---|---|---|"]
    for issue, (code, severity, title) in ISSUES.items():
        lines.append(f"| {code} | `{issue}` | {severity.value} | {title} |")
    lines.append(f"| {OTHER[0]} | any other | {OTHER[1].value} | {OTHER[2]} |")
    return "\n".join(lines) + "\n"


def all_rule_pages(rules: Sequence[type[Rule]]) -> str:
    """docs/rules.md: every rule's page, where SARIF's help links point; a test keeps it current."""
    head = ("# iamlint rules\n\nGenerated from the rules' own documentation (`iamlint rule CODE` prints one page).\n"
            "Codes and names are stable: never renumbered, never reused.\n\n")
    return head + "\n".join(rule_page(rule).replace("\n## ", "\n### ") for rule in rules)
