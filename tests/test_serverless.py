"""Serverless Framework service files: the case file (every place the framework takes policies
from, with positions), how Serverless variables are read, `--only`, and the corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, positions, run_main
from iamlint.readers.serverless import pieces, variable_name
from iamlint.values import Unknown

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "serverless" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_case(case, tmp_path):
    target = tmp_path / case["filename"]
    target.write_text(case["source"], encoding="utf-8")
    run = run_main("--isolated", "--format", "json", "--select", case["select"], str(target))
    assert positions(run) == case["expect"], run.out
    messages = "\n".join(d["message"] for d in run.json())
    for fragment in case.get("messages", []):
        assert fragment in messages
    assert run.code == (1 if case["expect"] else 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("arn:aws:s3:::${self:custom.bucket}/*", ("arn:aws:s3:::", Unknown("self:custom.bucket"), "/*")),
    ("${opt:stage, 'dev'}", (Unknown("opt:stage, 'dev'"),)),
    ("${self:custom.${opt:stage}.arn}", (Unknown("self:custom.${opt:stage}.arn"),)),
    ("${file(./iam.yml):statements}", (Unknown("file(./iam.yml):statements"),)),
    ("${ssm(us-east-1):/orders/arn}", (Unknown("ssm(us-east-1):/orders/arn"),)),
    ("${cf.us-east-1:storage.BucketArn}", (Unknown("cf.us-east-1:storage.BucketArn"),)),
    ("${construct:jobs.queueArn}", (Unknown("construct:jobs.queueArn"),)),  # serverless-lift
    # the framework's `${aws:...}` and the pseudo-parameters plugin name CloudFormation's pseudo parameters
    ("arn:aws:sqs:${aws:region}:${aws:accountId}:q", ("arn:aws:sqs:", Unknown("AWS::Region"), ":",
                                                       Unknown("AWS::AccountId"), ":q")),
    ("arn:aws:iam::#{AWS::AccountId}:root", ("arn:aws:iam::", Unknown("AWS::AccountId"), ":root")),
    ("#{Queue.Arn}", (Unknown("Queue.Arn"),)),
    # IAM policy variables, and text that only looks like a variable, are left alone
    ("arn:aws:s3:::home/${aws:username}/*", None),
    ("arn:aws:s3:::${aws:PrincipalTag/team}/${aws:accountid}", None),
    ("${transfer:UserName} ${iot:ClientId} ${cognito-identity.amazonaws.com:sub} ${*}", None),
    ("${aws:username}/${self:custom.x}", ("${aws:username}/", Unknown("self:custom.x"))),
    ("${self:custom.unclosed", None),
    ("{}", None),
])
def test_which_strings_hold_serverless_variables(text, expected):
    assert pieces(text) == expected


def test_aws_variables_the_framework_does_not_resolve_are_iam_policy_variables():
    assert variable_name("aws:region") == "AWS::Region" and variable_name("aws:accountId") == "AWS::AccountId"
    assert variable_name("aws:username") is None and variable_name("aws:SourceIp") is None


SERVICE = """service: orders
provider:
  name: aws
  iam:
    role:
      statements:
        - {Effect: Allow, Action: "*", Resource: "*"}
resources:
  Resources:
    Role:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
        Policies: [{PolicyName: p, PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}]
"""


def test_only_serverless_reads_service_files_and_templates_does_not(write):
    path = write("serverless.yml", SERVICE)
    assert positions(run_main("--isolated", "--format", "json", "--select", "IAM301", "--only", "serverless",
                              str(path))) == ["7:35 IAM301", "14:112 IAM301"]
    assert run_main("--isolated", "--select", "IAM301", "--only", "templates", str(path)).code == 0


def test_suppressions_work_in_service_files(write):
    path = write("serverless.yml", SERVICE.replace('Resource: "*"}\nresources', 'Resource: "*"}  # iamlint: ignore[IAM301]\nresources'))
    assert positions(run_main("--isolated", "--format", "json", "--select", "IAM301,IAM004", str(path))) == ["14:112 IAM301"]


CORPUS_SERVERLESS = CORPUS / "serverless"
# Per-rule counts on ../shared/corpus/serverless (before the Serverless reader: nothing at all).
CORPUS_COUNTS = {"IAM102": 2, "IAM220": 1, "IAM301": 2, "IAM302": 2, "IAM303": 10, "IAM304": 6, "IAM307": 2,
                 "IAM309": 4, "IAM311": 1, "IAM317": 1, "IAM407": 2}


@pytest.mark.skipif(not CORPUS_SERVERLESS.exists(), reason="../shared/corpus is not next to this clone")
def test_corpus():
    run = run_main("--isolated", "--format", "json", str(CORPUS_SERVERLESS))
    found = run.json()
    assert "Traceback" not in run.err and not [d for d in found if d["code"] in ("IAM000", "IAM001", "IAM003")]
    for d in found:  # every finding lies inside its file
        lines = Path(d["path"]).read_text(encoding="utf-8").split("\n")
        assert 1 <= d["line"] <= d["end_line"] <= len(lines), d
    counts = dict(sorted(Counter(d["code"] for d in found).items()))
    assert counts == CORPUS_COUNTS, json.dumps(counts)


@pytest.mark.skipif(not CORPUS_SERVERLESS.exists(), reason="../shared/corpus is not next to this clone")
def test_a_server_finds_after_each_edit_what_a_fresh_lint_finds():
    from test_memo import check_server_relints
    from test_yaml_incremental import edits

    for path in sorted(CORPUS_SERVERLESS.rglob("serverless.y*ml"))[::3]:
        check_server_relints(path, edits(path.read_text(encoding="utf-8")))
