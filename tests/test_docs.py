"""Every rule's page: the sections users rely on, examples that behave as documented, and the
rules table (docs/rules.md) kept in step with the registry."""

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
    """The docs' generated blocks, docs/rules.md and the hooks' file patterns: `scripts/generate_docs.py`
    writes them."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(REPO / "scripts" / "generate_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _generate_docs(monkeypatch, repo):
    """scripts/generate_docs.py as a module, working on the folder ``repo``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_docs", REPO / "scripts" / "generate_docs.py")
    generate_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_docs)
    monkeypatch.setattr(generate_docs, "REPO", repo)
    return generate_docs


def test_generate_docs_check_notices_a_stale_block(tmp_path, monkeypatch):
    generate_docs = _generate_docs(monkeypatch, tmp_path)
    text = "# x\n<!-- some-table:start -->\nold\n<!-- some-table:end -->\n"
    updated = generate_docs.with_blocks(text, {"some-table": "new\n", "elsewhere": "other\n"})
    assert updated == "# x\n<!-- some-table:start -->\nnew\n<!-- some-table:end -->\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "docs" / "plugins.md").write_text(text.replace("some-table", "parliament-table"), encoding="utf-8")
    (tmp_path / ".pre-commit-hooks.yaml").write_text(generate_docs.hooks_file(), encoding="utf-8")
    monkeypatch.setattr(generate_docs, "blocks", lambda: {"parliament-table": "new\n"})
    assert generate_docs.main(["--check"]) == 1  # the block and the pages generated whole are stale
    assert generate_docs.main([]) == 0
    assert "\nnew\n" in (tmp_path / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert generate_docs.main(["--check"]) == 0


def test_generate_docs_refuses_a_block_in_no_page_or_in_two(tmp_path, monkeypatch):
    generate_docs = _generate_docs(monkeypatch, tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# x\n", encoding="utf-8")
    monkeypatch.setattr(generate_docs, "blocks", lambda: {"templates-table": "t\n"})
    with pytest.raises(SystemExit, match="`templates-table` is in no page"):
        generate_docs.generated()
    block = "<!-- templates-table:start -->\nt\n<!-- templates-table:end -->\n"
    (tmp_path / "README.md").write_text(block, encoding="utf-8")
    (tmp_path / "docs" / "formats.md").write_text(block, encoding="utf-8")
    with pytest.raises(SystemExit, match="`templates-table` is in README.md and docs/formats.md: keep one"):
        generate_docs.generated()


def test_rules_markdown_is_the_table_of_docs_rules_md():
    pages = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    table = run_main("rules", "--markdown").out
    assert table.count("\n") == len(BUILTIN_RULES) + 2
    assert f"\n\n{table}\n# {BUILTIN_RULES[0].code} " in pages


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
