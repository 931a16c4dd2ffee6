"""Every link iamlint writes to a rule's documentation (SARIF's helpUri, the language server's
code link and hover) leads somewhere: to a heading of the repository's docs, at the anchor GitHub
makes of it, or to the plugin's own project; a rule that names no page gets no link at all."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, run_main
from iamlint import links
from iamlint.plugins import BUILTIN_PLUGINS, plugin_rules
from iamlint.rules import BUILTIN_RULES

DOCS = REPO / "docs"


def github_anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a Markdown page's headings (those outside code fences): the
    heading's text, lowercased, without what is neither a letter, a digit, `-`, `_` nor a space,
    spaces made `-`; the second of two equal ones gets `-1`, the third `-2`."""
    seen: Counter = Counter()
    found, fenced = set(), False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"#{1,6} +(.*?)[ #]*$", line)
        if heading:
            text = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", heading.group(1))  # a link's text
            slug = "".join(c for c in text.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")
            found.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
            seen[slug] += 1
    return found


def resolves(url: str) -> bool:
    """Whether a link to iamlint's docs names a page of docs/ and one of its headings."""
    page, _, fragment = url.removeprefix(links.DOCS + "/").partition("#")
    return url.startswith(links.DOCS + "/") and (DOCS / page).is_file() and fragment in github_anchors(DOCS / page)


def test_the_anchor_reader_reads_github_anchors(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# IAM302 wildcard-action\n## Trivy (tfsec)\n```\n# not a heading\n```\n## Example\n## Example\n")
    assert github_anchors(page) == {"iam302-wildcard-action", "trivy-tfsec", "example", "example-1"}


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_a_builtin_rule_links_to_its_heading_in_rules_md(rule):
    url = links.rule_url(rule)
    assert url == f"{links.DOCS}/rules.md#{rule.code.lower()}-{rule.name}"  # the links iamlint always wrote
    assert resolves(url), url


@pytest.mark.parametrize("rule", plugin_rules(BUILTIN_PLUGINS), ids=lambda r: r.code)
def test_a_shipped_plugins_rule_links_to_its_docs_here_or_to_its_project(rule):
    url = links.rule_url(rule)
    assert url is not None
    if url.startswith(links.REPOSITORY):
        assert resolves(url), url
    else:  # the plugin's project: the page its own documentation cites
        assert f"]({url})" in rule.docs(), url


def test_every_link_a_sarif_run_writes_resolves():
    """The real command line, with both plugins on a template where each fires."""
    pytest.importorskip("parliament")
    pytest.importorskip("cfnlint")
    run = run_main("--isolated", "--plugin", "parliament", "--plugin", "cfn-lint", "--format", "sarif",
                   "cfn-lint-bad-iam-policy.yaml", cwd=REPO / "tests" / "fixtures" / "templates")
    entries = json.loads(run.out)["runs"][0]["tool"]["driver"]["rules"]
    assert {e["id"][:3] for e in entries} == {"IAM", "PAR", "CFN"}
    for entry in entries:
        url = entry["helpUri"]
        assert resolves(url) or url == "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md", url
    assert next(e for e in entries if e["id"].startswith("PAR"))["helpUri"] == f"{links.DOCS}/plugins.md#parliament"


def test_one_module_knows_iamlints_address():
    """Outside the rules (whose docstrings are their pages, links included), only iamlint.links
    spells the repository's address."""
    spelled = [path.relative_to(REPO).as_posix() for path in (REPO / "iamlint").rglob("*.py")
               if "rules" not in path.relative_to(REPO / "iamlint").parts[:1]
               and "github.com/iamlint/iamlint" in path.read_text(encoding="utf-8")]
    assert spelled == ["iamlint/links.py"]


RULE_PACK = textwrap.dedent('''
    from iamlint.diagnostics import Finding, Severity
    from iamlint.rules.base import Rule

    class SidRequired(Rule):
        """Every statement needs a Sid (ACME's policy)."""
        code = "ACME001"
        name = "acme-sid-required"
        severity = Severity.WARNING

        def check(self, policy, ctx):
            for statement in policy.statements():
                if statement.get("Sid") is None:
                    yield Finding(statement.node, "ACME wants a Sid on every statement")

    class NoStar(Rule):
        """No `*` resource (ACME's policy)."""
        code = "ACME002"
        name = "acme-no-star"
        severity = Severity.WARNING
        docs_url = "https://acme.example/iam-rules#acme002"

        def check(self, policy, ctx):
            for statement in policy.statements():
                for node in statement.strings("Resource"):
                    if node.value == "*":
                        yield Finding(node, "ACME wants a resource")

    def rules():
        return [SidRequired, NoStar]
''')
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


@pytest.fixture
def rule_pack(tmp_path) -> dict:
    """An installed third-party rule pack (`acme`): one rule without a page, one with; the
    environment that finds it."""
    site = tmp_path / "site"
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[iamlint.rules]\nacme = acme_rules\n")
    (site / "acme_rules.py").write_text(RULE_PACK)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def test_a_third_party_rule_without_a_page_has_no_sarif_link(rule_pack, tmp_path):
    from jsonschema import Draft7Validator

    (tmp_path / "p.json").write_text(POLICY)
    result = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--plugin", "acme", "--select",
                             "ACME,IAM303", "--format", "sarif", "p.json"],
                            cwd=tmp_path, env=rule_pack, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    entries = {e["id"]: e for e in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "helpUri" not in entries["ACME001"]
    assert entries["ACME002"]["helpUri"] == "https://acme.example/iam-rules#acme002"
    assert resolves(entries["IAM303"]["helpUri"])
    schema = json.loads((REPO / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
    assert not list(Draft7Validator(schema).iter_errors(log))


def test_a_third_party_rule_without_a_page_has_no_editor_link(rule_pack, tmp_path):
    """The real language server, with the rule pack configured."""
    pytest.importorskip("pygls")
    sys.path.insert(0, str(REPO / "bench"))
    from lsp_client import Client

    (tmp_path / ".iamlint.toml").write_text('plugins = ["acme"]\nselect = ["ACME", "IAM303"]\n')
    client = Client(tmp_path, env=rule_pack)
    try:
        ident = client.send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
                            request=True)
        client.wait_for(lambda m: m.get("id") == ident)
        client.send("initialized", {})
        uri = (tmp_path / "p.json").as_uri()
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1,
                                                              "text": POLICY}})
        found = {d["code"]: d for d in client.diagnostics(uri)}
        assert set(found) == {"ACME001", "ACME002", "IAM303"}
        assert "codeDescription" not in found["ACME001"]
        assert found["ACME002"]["codeDescription"] == {"href": "https://acme.example/iam-rules#acme002"}
        assert resolves(found["IAM303"]["codeDescription"]["href"])
        hovers = {}
        for code in ("ACME001", "ACME002"):
            ident = client.send("textDocument/hover", {"textDocument": {"uri": uri},
                                                       "position": found[code]["range"]["start"]}, request=True)
            hovers[code] = client.wait_for(lambda m, i=ident: m.get("id") == i)["result"]["contents"]["value"]
        assert "Rule documentation" not in hovers["ACME001"].split("**ACME002")[0]
        assert "[Rule documentation](https://acme.example/iam-rules#acme002)" in hovers["ACME002"]
    finally:
        client.close()
