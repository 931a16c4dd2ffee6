"""Every rule's page: the sections users rely on, examples that behave as documented, and the
README's rules table kept in step with the registry."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, positions, run_main
from iamlint.rules import BUILTIN_RULES

FENCE = re.compile(r"^## (Example|Use instead)\n+```(json|yaml|hcl)([^\n]*)\n(.*?)\n```", re.M | re.S)
EXTENSIONS = {"json": "json", "yaml": "yaml", "hcl": "tf"}


def _examples(rule):
    """(section, file name, kind or None, body): YAML examples are templates, HCL ones Terraform."""
    for section, language, info, body in FENCE.findall(rule.docs()):
        kind = re.search(r"kind=(\w+)", info)
        yield section, f"example.{EXTENSIONS[language]}", (kind.group(1) if kind else None), body


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_rule_page_has_the_sections_users_need(rule):
    run = run_main("rule", rule.code)
    assert run.code == 0
    page = run.out
    assert page.startswith(f"# {rule.code} {rule.name}\n")
    for heading in ("## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert heading in page, f"{rule.code} page lacks {heading}"
    assert run_main("rule", rule.name).out == page  # by name too


@pytest.mark.parametrize("rule", [r for r in BUILTIN_RULES if r.code[3] != "0"], ids=lambda r: r.code)
def test_documented_example_fires_and_the_fix_does_not(rule, tmp_path):
    examples = list(_examples(rule))
    assert {section for section, _, _, _ in examples} == {"Example", "Use instead"}
    for section, name, kind, body in examples:
        target = tmp_path / name
        target.write_text(body, encoding="utf-8")
        argv = ["--isolated", "--format", "json", "--select", rule.code, str(target)]
        run = run_main(*argv, *(["--kind", kind] if kind else []))
        fired = [p for p in positions(run) if p.endswith(rule.code)]
        if section == "Example":
            assert fired, f"{rule.code}: the documented example does not fire"
        else:
            assert not fired, f"{rule.code}: the documented fix still fires: {fired}"


def test_generated_files_are_current():
    """README blocks, docs/rules.md and the hooks' file patterns: `scripts/generate_docs.py` writes them."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(REPO / "scripts" / "generate_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generate_docs_check_notices_a_stale_block(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_docs", REPO / "scripts" / "generate_docs.py")
    generate_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_docs)
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!-- rules-table:start -->\nold\n<!-- rules-table:end -->\n", encoding="utf-8")
    updated = generate_docs.with_blocks(readme.read_text(encoding="utf-8"), {"rules-table": "new\n"})
    assert updated == "# x\n<!-- rules-table:start -->\nnew\n<!-- rules-table:end -->\n"


def test_rules_markdown_is_the_readme_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"
    assert run_main("rules", "--markdown").out == readme[readme.index(start) + len(start):readme.index(end)]


def test_rules_lists_every_rule_once():
    run = run_main("rules")
    codes = [line.split()[0] for line in run.lines]
    assert codes == [rule.code for rule in BUILTIN_RULES]
    assert len(set(codes)) == len(codes)
    assert len({rule.name for rule in BUILTIN_RULES}) == len(codes)


def test_unknown_rule_is_a_usage_error():
    run = run_main("rule", "IAM999")
    assert run.code == 2
    assert "no rule has the code or name `IAM999`" in run.err


def test_readme_console_example_is_what_iamlint_prints():
    from conftest import run_cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n$ iamlint examples\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line and line != "..."]
    printed = run_cli("examples", cwd=REPO).out.splitlines()
    assert shown and all(line in printed for line in shown), [line for line in shown if line not in printed]
