"""Plugins: cfn-lint's IAM rules merged into iamlint's output, only imported when asked for, and
a third-party rule pack found through its entry point."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import positions, run_main

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
TEMPLATE = "cfn-lint-bad-iam-policy.yaml"

IMPORTED = textwrap.dedent("""
    import contextlib, io, sys
    from iamlint.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        main(sys.argv[1:])
    print("cfnlint" in sys.modules)
""")


@pytest.fixture(scope="module")
def cfn_lint_run():
    pytest.importorskip("cfnlint")
    return run_main("--isolated", "--format", "json", "--plugin", "cfn-lint", TEMPLATE, cwd=FIXTURES)


def test_cfn_lint_findings_are_merged_in_order_with_cfn_codes(cfn_lint_run):
    found = positions(cfn_lint_run)
    assert "24:11 CFNE3510" in found and "24:19 IAM104" in found
    assert found.index("24:11 CFNE3510") < found.index("24:19 IAM104")  # one sorted stream
    finding = next(d for d in cfn_lint_run.json() if d["code"] == "CFNE3510" and d["line"] == 24)
    assert finding["rule"] == "cfn-lint-e3510" and finding["severity"] == "error"
    assert finding["message"] == "'NotAllow' is not one of ['Allow', 'Deny'] (cfn-lint E3510)"


def test_plugin_rules_are_selected_and_suppressed_like_builtin_ones(tmp_path):
    pytest.importorskip("cfnlint")
    text = (FIXTURES / TEMPLATE).read_text().replace("Effect: 'NotAllow'", "Effect: 'NotAllow'  # iamlint: ignore[CFNE3510]")
    (tmp_path / "t.yaml").write_text(text)
    run = run_main("--isolated", "--format", "json", "--plugin", "cfn-lint", "--select", "CFN", "t.yaml", cwd=tmp_path)
    found = positions(run)
    assert found and all(p.split()[1].startswith("CFN") for p in found)
    assert "24:11 CFNE3510" not in found and "23:11 CFNE3510" in found


def _imports_cfnlint(*argv: str) -> bool:
    result = subprocess.run([sys.executable, "-c", IMPORTED, *argv], cwd=FIXTURES, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def test_cfn_lint_is_imported_only_when_the_plugin_is_enabled():
    pytest.importorskip("cfnlint")
    assert not _imports_cfnlint("--isolated", TEMPLATE)
    assert _imports_cfnlint("--isolated", "--plugin", "cfn-lint", TEMPLATE)


def test_plugin_from_config(write, tmp_path):
    pytest.importorskip("cfnlint")
    write(".iamlint.toml", 'plugins = ["cfn-lint"]\nselect = ["CFNE3530"]\n')
    write("t.yaml", (FIXTURES / TEMPLATE).read_text())
    assert positions(run_main("--format", "json", "t.yaml", cwd=tmp_path)) == ["10:7 CFNE3530"]


def test_unknown_plugin_is_a_usage_error(write, tmp_path):
    run = run_main("--isolated", "--plugin", "nope", ".", cwd=tmp_path)
    assert run.code == 2
    assert "no plugin named `nope` (available: cfn-lint" in run.err


def test_plugin_rule_pages_are_printed():
    page = run_main("rule", "CFNE3510").out
    assert page.startswith("# CFNE3510 cfn-lint-e3510\n") and "cfn-lint rule E3510" in page


def test_third_party_rule_pack_through_its_entry_point(tmp_path):
    """The plugin interface as a third party uses it: a distribution declaring an `iamlint.rules`
    entry point whose module has rules()."""
    site = tmp_path / "site"
    (site / "acme_rules-1.0.dist-info").mkdir(parents=True)
    (site / "acme_rules-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (site / "acme_rules-1.0.dist-info" / "entry_points.txt").write_text("[iamlint.rules]\nacme = acme_rules\n")
    (site / "acme_rules.py").write_text(textwrap.dedent('''
        from iamlint.diagnostics import Finding, Severity
        from iamlint.rules.base import Rule

        class NoSids(Rule):
            """Every statement needs a Sid (ACME's policy)."""
            code = "ACME001"
            name = "acme-sid-required"
            severity = Severity.WARNING

            def check(self, policy, ctx):
                for statement in policy.statements():
                    if statement.get("Sid") is None:
                        yield Finding(statement.node, "ACME wants a Sid on every statement")

        def rules():
            return [NoSids]
    '''))
    (tmp_path / "p.json").write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                                     '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"}]}\n')
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--plugin", "acme", "p.json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == "p.json:1:41: ACME001 ACME wants a Sid on every statement (acme-sid-required)"


PARLIAMENT_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports"}
  ]
}
"""


def test_parliament_findings_sit_at_the_nodes_they_are_about(write, tmp_path):
    pytest.importorskip("parliament")
    write("policy.json", PARLIAMENT_POLICY)
    run = run_main("--isolated", "--format", "json", "--plugin", "parliament", "--select", "PAR", "policy.json",
                   cwd=tmp_path)
    found = {(d["code"], d["line"], d["column"]) for d in run.json()}
    assert ("PAR102", 5, 35) in found  # the escalation path, at its first action, iam:PassRole
    assert ("PAR020", 6, 5) in found  # s3:GetObject on a bucket ARN: at the statement parliament names
    message = next(d["message"] for d in run.json() if d["code"] == "PAR102")
    assert message == ("Privilege escalation (community auditor) `PassExistingRoleToNewLambdaThenInvoke` "
                       "(parliament PRIVILEGE_ESCALATION)")


def test_parliament_runs_on_policies_inside_templates(write, tmp_path):
    pytest.importorskip("parliament")
    write("t.yaml", """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [s3:GetObject]
            Resource: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"
          - Effect: Allow
            Action: [ec2:DescribeInstances, s3:GetObjct]
            Resource: "*"
""")
    run = run_main("--isolated", "--format", "json", "--plugin", "parliament", "--select", "PAR", "t.yaml",
                   cwd=tmp_path)
    assert [(d["code"], d["line"], d["column"]) for d in run.json()] == [("PAR011", 12, 45)]


def _imports(module: str, *argv: str) -> bool:
    code = IMPORTED.replace('"cfnlint"', repr(module))
    result = subprocess.run([sys.executable, "-c", code, *argv], cwd=FIXTURES, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def test_parliament_is_imported_only_when_the_plugin_is_enabled(write, tmp_path):
    pytest.importorskip("parliament")
    assert not _imports("parliament", "--isolated", TEMPLATE)
    assert _imports("parliament", "--isolated", "--plugin", "parliament", TEMPLATE)
