"""Every rule's case file: each case is a policy and the exact `line:col CODE` it must produce.

Each case runs through the real CLI with only the rule under test selected (plus its kind, when
the case says), so the expectations are exactly what a user sees for that rule.

A case: ``name``, ``source``, ``expect`` (``line:col CODE`` of every diagnostic, in order), and
optionally ``kind`` (``--kind``), ``select`` (instead of the rule), ``filename`` (default
``policy.json``), ``messages`` (fragments the messages must contain). Keys read by other tests
only: ``aa`` (the Access Analyzer issue codes the case demonstrates: tests/test_access_analyzer.py),
``home`` and ``templates`` (where tests/rules/test_cases_in_templates.py embeds the case).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import positions, run_main
from iamlint.rules import BUILTIN_RULES

CASES = Path(__file__).parent / "cases"


def _load():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{path.stem}-{case['name']}")


def _crash(monkeypatch, dotted: str) -> None:
    """Make ``module.Class.method`` raise (IAM000's cases: iamlint failing on purpose)."""
    import importlib

    module_name, class_name, method = dotted.rsplit(".", 2)
    owner = getattr(importlib.import_module(module_name), class_name)

    def fail(*args, **kwargs):
        raise RuntimeError("a deliberate failure")

    monkeypatch.setattr(owner, method, fail)


@pytest.mark.parametrize(("code", "case"), list(_load()))
def test_case(code, case, tmp_path, monkeypatch):
    if "crash" in case:
        _crash(monkeypatch, case["crash"])
    for dotted, value in case.get("set", {}).items():  # a limit made small for the case (IAM007)
        import importlib

        module_name, name = dotted.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module_name), name, value)
    target = tmp_path / case.get("filename", "policy.json")
    source = case["source"]
    if isinstance(source, bytes):  # YAML !!binary, for files that are not text
        target.write_bytes(source)
    else:
        target.write_text(source, encoding="utf-8")
    argv = ["--isolated", "--format", "json", "--select", case.get("select", code), str(target)]
    if "kind" in case:
        argv += ["--kind", case["kind"]]
    run = run_main(*argv)
    assert positions(run) == case["expect"], run.out
    messages = "\n".join(d["message"] for d in run.json())
    for fragment in case.get("messages", []):
        assert fragment in messages
    assert run.code == case.get("exit", 1 if case["expect"] else 0)


def test_every_rule_has_a_case_file_with_a_firing_and_a_passing_case():
    for rule in BUILTIN_RULES:
        path = CASES / f"{rule.code}.yaml"
        assert path.exists(), f"{rule.code} has no case file"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == rule.code
        assert any(c["expect"] for c in data["cases"]), f"{rule.code}: no case that fires"
        if rule.code not in ("IAM003",):
            assert any(not c["expect"] for c in data["cases"]), f"{rule.code}: no case that passes"
