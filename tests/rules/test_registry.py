"""The rule registry is complete and tidy: every rule class is registered, sits in the folder of
its code's family under a file named by its slug, has a case file and a documentation page; and
every rule module's class is registered (a rule written but never listed in BUILTIN_RULES would
silently never run)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from conftest import REPO
from iamlint.rules import BUILTIN_RULES
from iamlint.rules.base import Rule

RULES = REPO / "iamlint" / "rules"
CASES = Path(__file__).parent / "cases"
# The code's first digit -> the folder of its family (STYLE.md, "Code families").
FAMILIES = {"0": "syntax", "1": "grammar", "2": "service", "3": "privilege", "4": "templates", "5": "credentials"}


def _rule_modules() -> list[str]:
    return sorted(f"iamlint.rules.{path.parent.name}.{path.stem}"
                  for path in RULES.glob("*/*.py") if path.stem != "__init__")


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_rule_sits_in_its_family_folder_under_its_slug(rule):
    assert re.fullmatch(r"IAM\d{3}", rule.code), rule.code
    family = FAMILIES.get(rule.code[3])
    assert family is not None, f"{rule.code}: no family folder for IAM{rule.code[3]}xx"
    expected = f"iamlint.rules.{family}.{rule.name.replace('-', '_')}"
    assert rule.__module__ == expected, f"{rule.code} {rule.name} is in {rule.__module__}, expected {expected}"


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_rule_has_a_case_file_and_a_page(rule):
    assert (CASES / f"{rule.code}.yaml").is_file(), f"{rule.code}: tests/rules/cases/{rule.code}.yaml is missing"
    docs = inspect.getdoc(rule) or ""
    assert docs.split("\n", 1)[0].strip(), f"{rule.code}: the docstring's first line says what it checks"
    for heading in ("## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert f"\n{heading}\n" in f"\n{docs}\n", f"{rule.code}: the docstring lacks {heading}"
    pages = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"\n# {rule.code} {rule.name}\n" in pages, f"{rule.code}: not in docs/rules.md (run scripts/generate_docs.py)"


def test_every_rule_module_defines_one_registered_rule():
    registered = set(BUILTIN_RULES)
    unregistered, without_rule = [], []
    for name in _rule_modules():
        module = importlib.import_module(name)
        defined = [obj for obj in vars(module).values()
                   if inspect.isclass(obj) and issubclass(obj, Rule) and obj.__module__ == name
                   and isinstance(getattr(obj, "code", None), str)]
        unregistered += [f"{name}.{cls.__name__}" for cls in defined if cls not in registered]
        if not defined:
            without_rule.append(name)
    assert unregistered == [], "rule classes missing from BUILTIN_RULES (iamlint/rules/__init__.py)"
    assert without_rule == [], "modules in a family folder that define no rule"


def test_family_folders_are_the_known_ones():
    folders = {path.name for path in RULES.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders == set(FAMILIES.values())


def test_codes_and_names_are_unique():
    codes = [rule.code for rule in BUILTIN_RULES]
    names = [rule.name for rule in BUILTIN_RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
