"""Every output format from one fixed set of diagnostics, against golden files; SARIF against the
official schema; fingerprints that survive lines moving."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from conftest import run_cli, run_main
from iamlint.diagnostics import Diagnostic, Severity
from iamlint.reporters import find_reporter
from iamlint.reporters.base import Report
from iamlint.rules import BUILTIN_RULES

GOLDEN = Path(__file__).parent / "fixtures" / "reporters"
DIAGNOSTICS = [
    Diagnostic("policies/admin.json", 3, 47, "IAM301", 3, 50, "full-admin", Severity.ERROR,
               "statement allows every action (`*`) on every resource (`*`): full administrator access",
               "|#0|*"),
    Diagnostic("policies/admin.json", 5, 9, "IAM303", 5, 15, "service-wildcard", Severity.WARNING,
               "statement allows every `s3` action (`s3:*`)", "|Sid=Data|s3:*"),
    Diagnostic("templates/app.yaml", 12, 11, "IAM401", 12, 25, "inline-policy", Severity.WARNING,
               "inline policy in `Role`; use a customer managed policy, 100% reusable: a,b", "Resources/Role|PolicyDocument"),
    Diagnostic("templates/app.yaml", 20, 5, "IAM206", 20, 18, "redundant-action", Severity.INFO,
               "`s3:GetObject` is already covered by `s3:Get*`", "Resources/P/Properties/PolicyDocument|#1|s3:GetObject"),
]


def _render(fmt: str) -> str:
    out = io.StringIO()
    find_reporter(fmt).write(Report(DIAGNOSTICS, 2, rules=BUILTIN_RULES), out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_reporter_matches_its_golden_file(fmt):
    golden = GOLDEN / f"diagnostics.{fmt}"
    if os.environ.get("IAMLINT_UPDATE_SNAPSHOTS"):
        golden.write_text(_render(fmt), encoding="utf-8")
    assert _render(fmt) == golden.read_text(encoding="utf-8")


def test_sarif_validates_against_the_official_schema():
    from jsonschema import Draft7Validator

    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(_render("sarif"))
    errors = sorted(Draft7Validator(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [e.message for e in errors[:3]]
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["IAM206", "IAM301", "IAM303", "IAM401"]
    rule = run["tool"]["driver"]["rules"][1]
    assert rule["name"] == "full-admin" and rule["defaultConfiguration"] == {"level": "error"}
    assert rule["helpUri"].endswith("#iam301-full-admin") and "## Why is this bad?" in rule["help"]["markdown"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 47, "endLine": 3, "endColumn": 50}


def test_github_annotations_escape_what_they_must():
    lines = _render("github").splitlines()
    assert lines[0] == ("::error file=policies/admin.json,line=3,col=47,endLine=3,endColumn=50,title=IAM301 full-admin::"
                        "statement allows every action (`*`) on every resource (`*`): full administrator access")
    assert lines[3].startswith("::notice file=templates/app.yaml,")
    assert lines[2].endswith("use a customer managed policy, 100%25 reusable: a,b")


POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Data", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}
  ]
}
"""


def test_sarif_fingerprints_survive_lines_moving_above(write, tmp_path):
    write("p.json", POLICY)
    before = json.loads(run_main("--isolated", "--format", "sarif", "p.json", cwd=tmp_path).out)
    write("p.json", POLICY.replace('  "Statement": [\n', '  "Statement": [\n    {"Sid": "New", "Effect": "Deny", '
                                   '"Action": "iam:*", "Resource": "*"},\n'))
    after = json.loads(run_main("--isolated", "--format", "sarif", "p.json", cwd=tmp_path).out)

    def prints(log):
        return {(r["ruleId"], r["partialFingerprints"]["iamlintPlace/v1"]): r["locations"][0]["physicalLocation"][
            "region"]["startLine"] for r in log["runs"][0]["results"]}

    old, new = prints(before), prints(after)
    assert set(old) <= set(new)  # every old alert is still the same alert...
    assert any(old[k] != new[k] for k in old)  # ...though its line moved


def test_output_file_and_exit_status_options(write, tmp_path):
    write("p.json", POLICY)
    run = run_main("--isolated", "--format", "json", "--output-file", "out.json", "p.json", cwd=tmp_path)
    assert run.code == 1 and run.out == ""
    assert json.loads((tmp_path / "out.json").read_text())[0]["code"] == "IAM303"
    assert run_main("--isolated", "--exit-zero", "p.json", cwd=tmp_path).code == 0
    assert run_main("--isolated", "--select", "IAM303", "--fail-on", "error", "p.json", cwd=tmp_path).code == 0
    assert run_main("--isolated", "--select", "IAM303", "--fail-on", "warning", "p.json", cwd=tmp_path).code == 1


def test_github_actions_default_adds_annotations(write, tmp_path):
    write("p.json", POLICY)
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--select", "IAM303", "p.json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=p.json,line=4,col=50,")
    assert lines[1].startswith("p.json:4:50: IAM303 ")


def test_stdin_is_linted_as_the_named_file(write, tmp_path):
    write("pyproject.toml", '[tool.iamlint]\nkinds = { "org/*.json" = "scp" }\n')
    scp = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}'
    run = run_cli("--format", "json", "--select", "IAM109", "--stdin-filename", "org/deny.json", "-", cwd=tmp_path,
                  stdin=scp.encode())
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in run.json()] == [("org/deny.json", 1, 60, "IAM109")]
    assert run_main("--isolated", "-", cwd=tmp_path).code == 2  # `-` without --stdin-filename


def test_unwritable_output_file_is_a_usage_error(write, tmp_path):
    write("p.json", POLICY)
    run = run_main("--isolated", "--output-file", "no/such/folder/out.txt", "p.json", cwd=tmp_path)
    assert run.code == 2 and "cannot write no/such/folder/out.txt" in run.err
    run = run_main("--isolated", "--write-baseline", "no/such/folder/b.json", "p.json", cwd=tmp_path)
    assert run.code == 2 and "cannot write the baseline" in run.err
