"""Which rules run: select / ignore by code, code prefix or name; the most specific entry wins.

A rule here is anything with a ``code`` and a ``name`` (a Rule class), so this module depends on
nothing else of iamlint."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Sequence

_NAME_SPECIFICITY = 1000  # a rule named outright is more specific than any code prefix


class SelectorError(ValueError):
    pass


def specificity(selector: str, rule: type) -> int:
    """How precisely ``selector`` names ``rule``: -1 when it does not match at all."""
    if selector.upper() == "ALL":
        return 0
    if selector.lower() == rule.name:
        return _NAME_SPECIFICITY
    if rule.code.startswith(selector.upper()):
        return len(selector)
    return -1


def is_selected(rule: type, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Selected when the best select entry is more specific than the best ignore entry (ties ignore)."""
    best_select = max((specificity(s, rule) for s in select), default=-1)
    best_ignore = max((specificity(s, rule) for s in ignore), default=-1)
    return best_select >= 0 and best_select > best_ignore


def check_selectors(selectors: Iterable[str], rules: Sequence[type], where: str) -> None:
    """Reject an entry that names no rule, so a typo in --ignore is not silently ignored."""
    for selector in selectors:
        if not any(specificity(selector, rule) >= 0 for rule in rules):
            raise SelectorError(f"{where}: `{selector}` matches no rule code, code prefix or rule name")


def select_rules(rules: Sequence[type], select: Sequence[str], ignore: Sequence[str]) -> list[type]:
    return [rule for rule in rules if is_selected(rule, select, ignore)]
