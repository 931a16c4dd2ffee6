"""Related locations: a finding about two places (a duplicate and its first occurrence, the steps of
an escalation path) carries the other place as data, in JSON, SARIF and LSP; nothing reads a
message to find a line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import run_main
from iamlint.config import Config
from iamlint.diagnostics import Diagnostic, Related, Severity
from iamlint.incremental import _DIAGNOSTICS, IncrementalLinter
from iamlint.rules import BUILTIN_RULES

POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:getobject"], "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Resource": "arn:aws:s3:::c"},
    {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}
"""


def _related(row: dict) -> list[str]:
    return [f"{r['line']}:{r['column']}-{r['end_line']}:{r['end_column']} {r['message']}" for r in row.get("related", [])]


def test_json_names_the_other_places(write):
    path = write("policy.json", POLICY)
    run = run_main("--isolated", "--select", "IAM002,IAM105,IAM206,IAM308", "--format", "json", str(path))
    found = {(d["code"], d["line"], d["column"]): _related(d) for d in run.json()}
    assert found == {
        ("IAM206", 4, 67): ["4:51-4:65 first `s3:GetObject`"],
        ("IAM105", 5, 13): ["4:13-4:19 first `Sid` 'Read'"],
        ("IAM002", 5, 97): ["5:67-5:77 first `Resource`"],
        ("IAM308", 7, 35): ["6:36-6:59 `lambda:CreateFunction`, a step of `passrole-lambda-invoke`",
                            "6:61-6:84 `lambda:InvokeFunction`, a step of `passrole-lambda-invoke`"],
    }
    # the text keeps the line, for plain-text output
    messages = {d["code"]: d["message"] for d in run.json()}
    assert messages["IAM002"].startswith("duplicate key `Resource` (first at line 5)")
    assert messages["IAM105"] == "`Sid` 'Read' is already used by the statement at line 4"


def test_json_has_no_related_field_when_there_is_none(write):
    path = write("policy.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}')
    rows = run_main("--isolated", "--format", "json", str(path)).json()
    assert rows and all("related" not in row for row in rows)


DIAGNOSTIC = Diagnostic("p.json", 5, 13, "IAM105", 5, 19, "duplicate-sid", Severity.ERROR,
                        "`Sid` 'Read' is already used by the statement at line 4", "|#1|Read", "",
                        (Related("p.json", 4, 13, 4, 19, "first `Sid` 'Read'"),
                         Related("lib/stack.ts", 20, 15, 20, 16, "created here")))


def test_sarif_related_locations_have_ids_and_validate():
    from jsonschema import Draft7Validator

    from iamlint.reporters import sarif
    from iamlint.reporters.base import Report

    out = io.StringIO()
    sarif.write(Report([DIAGNOSTIC], 1, rules=BUILTIN_RULES), out)
    log = json.loads(out.getvalue())
    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
    assert not list(Draft7Validator(schema).iter_errors(log))
    related = log["runs"][0]["results"][0]["relatedLocations"]
    assert [(r["id"], r["message"]["text"], r["physicalLocation"]["artifactLocation"]["uri"],
             r["physicalLocation"]["region"]) for r in related] == [
        (1, "first `Sid` 'Read'", "p.json", {"startLine": 4, "startColumn": 13, "endLine": 4, "endColumn": 19}),
        (2, "created here", "lib/stack.ts", {"startLine": 20, "startColumn": 15, "endLine": 20, "endColumn": 16})]


def test_lsp_related_information_names_the_document_and_other_files(tmp_path):
    from iamlint.server import to_lsp

    text = "\n" * 3 + "    {\"Sid\": \"Read\"\n" + "    {\"Sid\": \"Read\"\n"
    item, = to_lsp([DIAGNOSTIC], text, "file:///w/p.json")
    same, other = item["relatedInformation"]
    assert same == {"location": {"uri": "file:///w/p.json", "range": {"start": {"line": 3, "character": 12},
                                                                      "end": {"line": 3, "character": 18}}},
                    "message": "first `Sid` 'Read'"}
    assert other["location"]["uri"] == (Path.cwd() / "lib" / "stack.ts").as_uri()
    assert other["location"]["range"]["start"] == {"line": 19, "character": 14}
    assert "relatedInformation" not in to_lsp([DIAGNOSTIC], text)[0]  # no URI, nothing to point at


TEMPLATE = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Sid: A, Effect: Allow, Action: s3:GetObject, Resource: "*"}
              - {Sid: A, Effect: Allow, Action: "s3:Put line 9", Resource: "*"}
"""


def test_the_server_moves_a_diagnostic_unless_it_names_another_place():
    server = IncrementalLinter(BUILTIN_RULES, Config())
    server.lint_text("t.yaml", TEMPLATE)
    policy, = [p for document in [server.read(*_reader_and_source(TEMPLATE))] for p in document.policies]
    server.lint_policy(policy)
    _, movable, diagnostics = policy.cache[_DIAGNOSTICS]
    assert any(d.code == "IAM105" and d.related for d in diagnostics) and not movable
    # without the duplicate Sid, a message quoting `line 9` does not pin it: only related locations do
    policy, = server.read(*_reader_and_source(TEMPLATE.replace("{Sid: A, Effect: Allow, Action: \"s3:Put",
                                                               "{Sid: B, Effect: Allow, Action: \"s3:Put"))).policies
    server.lint_policy(policy)
    _, movable, diagnostics = policy.cache[_DIAGNOSTICS]
    assert any("line 9" in d.message for d in diagnostics) and movable
    for version in ("# one line more\n" + TEMPLATE, TEMPLATE.replace("Role:", "Role:\n    # and one more")):
        moved = [(d.line, d.message, d.related) for d in server.lint_text("t.yaml", version) if d.code == "IAM105"]
        assert moved == [(12, "`Sid` 'A' is already used by the statement at line 11",
                          (Related("t.yaml", 11, 23, 11, 24, "first `Sid` 'A'"),))]


def _reader_and_source(text: str):
    from iamlint.readers import Source, reader_for

    source = Source("t.yaml", text)
    return reader_for(source), source
