"""Where iamlint's pages are: the one module that knows the repository's address, and which page
documents each rule (SARIF's help links, the language server's code links and hover).

A built-in rule is documented under its own heading of docs/rules.md. A plugin's rule names its
page itself (``docs_url``: the plugins that ship with iamlint point at docs/plugins.md or at
their project); a rule that names none gets no link, never one to an anchor that does not exist.
"""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.rules.base import Rule

REPOSITORY = "https://github.com/iamlint/iamlint"
ISSUES = f"{REPOSITORY}/issues"
DOCS = f"{REPOSITORY}/blob/main/docs"  # the docs/ folder as GitHub shows it
RULES_PAGE = "rules.md"  # generated from the built-in rules: one heading per rule


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: `IAM302 wildcard-action` -> `iam302-wildcard-action`,
    `Trivy (tfsec)` -> `trivy-tfsec`."""
    import re

    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def page_url(page: str, heading: str | None = None) -> str:
    """A page of docs/ (``plugins.md``), at one of its headings if given."""
    return f"{DOCS}/{page}" + (f"#{anchor(heading)}" if heading else "")


def rule_heading(rule: type[Rule]) -> str:
    """The heading of a rule's page (`iamlint rule CODE`, and its section of docs/rules.md)."""
    return f"{rule.code} {rule.name}"


def rule_anchor(rule: type[Rule]) -> str:
    """A built-in rule's section of docs/rules.md, relative to docs/: `rules.md#iam302-wildcard-action`."""
    return f"{RULES_PAGE}#{anchor(rule_heading(rule))}"


def is_builtin(rule: type[Rule]) -> bool:
    """Whether docs/rules.md documents ``rule``: it is one of iamlint's own (iamlint.rules)."""
    return rule.__module__.startswith("iamlint.rules.")


def rule_url(rule: type[Rule]) -> str | None:
    """Where ``rule`` is documented: the page it names (``docs_url``), else a built-in rule's
    section of docs/rules.md; None for a plugin's rule that names no page."""
    own = rule.docs_url
    if own:
        return own
    return f"{DOCS}/{rule_anchor(rule)}" if is_builtin(rule) else None


@lru_cache(maxsize=8)
def _urls(rules: tuple[type[Rule], ...]) -> dict[str, str]:
    found = {}
    for rule in rules:
        url = rule_url(rule)
        if url is not None:
            found.setdefault(rule.code, url)
    return found


def rule_urls(rules: Iterable[type[Rule]]) -> dict[str, str]:
    """code -> documentation URL of each of ``rules`` that has one (kept for the last few sets of
    rules: the language server asks on every publish)."""
    return _urls(tuple(rules))
