"""Alternatives (`Fn::If`) are possible worlds: each condition has one truth value everywhere it
is used, and a finding is reported once, saying when it holds unless it always does.

Each case is a defect of iamlint 0.1.0, which merged the branches of an `Fn::If` instead.
"""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import run_main

ROLE = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"""
POLICY = """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
"""


def lint(tmp_path, name: str, text: str, select: str) -> list[str]:
    """`line:col CODE message` of each finding of the selected rules."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    run = run_main("--isolated", "--format", "json", "--select", select, name, cwd=tmp_path)
    assert run.code in (0, 1), run.err
    return [f"{d['line']}:{d['column']} {d['code']} {d['message']}" for d in run.json()]


def as_json(text: str) -> str:
    """The same template in JSON (short tags in their long form), so both readers are checked."""
    class Loader(yaml.SafeLoader):
        pass

    def long_form(loader, suffix, node):
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            return {name: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {name: loader.construct_sequence(node, deep=True)}
        return {name: loader.construct_mapping(node, deep=True)}

    Loader.add_multi_constructor("!", long_form)
    return json.dumps(yaml.load(text, Loader=Loader), indent=1)


def codes(findings: list[str]) -> list[str]:
    return [f.split(" ", 2)[1] + (" (when" + f.split("(when", 1)[1] if "(when" in f else "") for f in findings]


@pytest.mark.parametrize("element", ["Effect: !If [IsProd, Allow, Deny]", "Sid: !If [IsProd, Prod, Dev]\n            Effect: Allow"])
def test_an_element_chosen_by_a_condition_is_valid_in_each_world(tmp_path, element):
    text = POLICY + f"""        Version: !If [IsProd, "2012-10-17", "2012-10-17"]
        Statement:
          - {element}
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
"""
    assert lint(tmp_path, "t.yaml", text, "IAM1") == []
    assert lint(tmp_path, "t.json", as_json(text), "IAM1") == []


@pytest.mark.parametrize("first_is_bad", [True, False])
def test_a_policy_document_chosen_by_a_condition_is_checked_in_both_branches(tmp_path, first_is_bad):
    bad = '{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}'
    good = '{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}'
    branches = f"{bad}, {good}" if first_is_bad else f"{good}, {bad}"
    text = POLICY.replace("      PolicyDocument:\n", f"      PolicyDocument: !If [IsProd, {branches}]\n")
    found = lint(tmp_path, "t.yaml", text, "IAM301")
    when = "true" if first_is_bad else "false"
    column = 96 if first_is_bad else 190  # at the `*` of Action
    assert found == [(f"5:{column} IAM301 statement allows every action (`*`) on every resource (`*`): "
                      f"full administrator access (when `IsProd` is {when})")]


def test_a_public_principal_in_either_branch_is_found(tmp_path):
    text = """Resources:
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: reports
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: !If [Public, {AWS: "*"}, {AWS: "arn:aws:iam::111122223333:root"}]
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
"""
    assert codes(lint(tmp_path, "t.yaml", text, "IAM1,IAM311")) == ["IAM311 (when `Public` is true)"]
    assert codes(lint(tmp_path, "t.json", as_json(text), "IAM1,IAM311")) == ["IAM311 (when `Public` is true)"]


def test_a_principal_that_is_a_mapping_or_a_string_is_not_a_list(tmp_path):
    text = """Resources:
  Queue:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [q]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: !If [Open, "*", {AWS: "arn:aws:iam::111122223333:root"}]
            Action: sqs:SendMessage
            Resource: arn:aws:sqs:us-east-1:111122223333:q
"""
    assert codes(lint(tmp_path, "t.yaml", text, "IAM1,IAM311")) == ["IAM311 (when `Open` is true)"]


def test_properties_chosen_by_a_condition_are_read(tmp_path):
    text = """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties: !If
      - Wide
      - PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
      - PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
"""
    assert codes(lint(tmp_path, "t.yaml", text, "IAM301")) == ["IAM301 (when `Wide` is true)"]
    without_version = text.replace('Version: "2012-10-17", ', "")
    assert codes(lint(tmp_path, "t.yaml", without_version, "IAM102")) == [
        "IAM102 (when `Wide` is true)", "IAM102 (when `Wide` is false)"]
    run = run_main("--isolated", "--format", "json", "--select", "IAM102", "t.yaml", cwd=tmp_path)
    # the same place in two worlds: the fingerprints still tell the two policies apart
    assert len({d["fingerprint"] for d in run.json()}) == 2


def test_an_action_and_a_wildcard_from_two_branches_never_meet(tmp_path):
    text = POLICY + """        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: !If [Narrow, "s3:GetObject", "*"], Resource: "arn:aws:s3:::r/*"}
"""
    assert lint(tmp_path, "t.yaml", text, "IAM206") == []


def test_a_condition_has_one_truth_value_everywhere(tmp_path):
    # Effect and Resource follow the same condition: `*` is only ever denied
    text = POLICY + """        Version: "2012-10-17"
        Statement:
          - Effect: !If [Locked, Deny, Allow]
            Action: s3:DeleteObject
            Resource: !If [Locked, "*", "arn:aws:s3:::scratch/*"]
"""
    assert lint(tmp_path, "t.yaml", text, "IAM304") == []


def test_conditions_that_exclude_each_other_are_never_both_true(tmp_path):
    text = """Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  NotProd: !Not [!Condition IsProd]
""" + POLICY + """        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [!If [IsProd, "iam:*", !Ref AWS::NoValue], !If [IsDev, "*", !Ref AWS::NoValue]]
            Resource: "*"
          - Effect: !If [NotProd, Allow, Deny]
            Action: s3:*
            Resource: !If [IsProd, "*", "arn:aws:s3:::dev/*"]
""".replace("!Condition IsProd", "{Condition: IsProd}")
    found = codes(lint(tmp_path, "t.yaml", text, "IAM301,IAM303,IAM206"))
    # `iam:*` and `*` are never granted together, so `iam:*` is never redundant; `s3:*` is allowed
    # only when NotProd is true, which is exactly when IsProd is false
    assert found == ["IAM303 (when `IsProd` is true)", "IAM301 (when `IsDev` is true)",
                     "IAM303 (when `IsProd` is false)"]


def test_novalue_that_removes_an_element_in_one_world_is_reported_there(tmp_path):
    text = POLICY + """        Version: "2012-10-17"
        Statement: !If
          - Enabled
          - [{Effect: Allow, Action: s3:GetObject, Resource: "*"},
             {Effect: Allow, Action: !If [Writes, s3:PutObject, !Ref AWS::NoValue], Resource: "*"}]
          - !Ref AWS::NoValue
"""
    found = lint(tmp_path, "t.yaml", text, "IAM108")
    assert found == [
        "6:9 IAM108 the policy has no `Statement` (when `Enabled` is false)",
        ("10:14 IAM108 this statement has no `Action` or `NotAction`, which an identity policy requires "
         "(when `Enabled` is true and `Writes` is false)")]
    assert codes(lint(tmp_path, "t.json", as_json(text), "IAM108")) == [
        "IAM108 (when `Enabled` is false)", "IAM108 (when `Enabled` is true and `Writes` is false)"]


def test_a_finding_in_every_world_keeps_its_message_and_fingerprint(tmp_path):
    plain = POLICY + """        Version: "2012-10-17"
        Statement:
          - {Sid: Wide, Effect: Allow, Action: "s3:*", Resource: "*"}
          - {Sid: Read, Effect: Allow, Action: "sqs:ReceiveMessage", Resource: "*"}
"""
    chosen = plain.replace('Action: "sqs:ReceiveMessage"', 'Action: !If [IsProd, "sqs:ReceiveMessage", "sns:Publish"]')
    (tmp_path / "chosen.yaml").write_text(chosen, encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(plain, encoding="utf-8")
    first = run_main("--isolated", "--format", "json", "--select", "IAM303", "plain.yaml", cwd=tmp_path).json()
    (tmp_path / "plain.yaml").write_text(chosen, encoding="utf-8")
    second = run_main("--isolated", "--format", "json", "--select", "IAM303", "plain.yaml", cwd=tmp_path).json()
    assert len(first) == 1 and first == second


def test_a_value_known_only_when_deployed_may_equal_what_it_is_compared_with(tmp_path):
    # `!Select` (or a Serverless `${sls:stage}`) is no parameter with allowed values: it may be `prod`
    text = """Conditions:
  IsProd: !Equals [!Select [0, !Split ["-", !Ref AWS::StackName]], prod]
""" + POLICY + """        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: !If [IsProd, "*", "s3:GetObject"], Resource: "arn:aws:s3:::r/*"}
"""
    assert codes(lint(tmp_path, "t.yaml", text, "IAM302")) == ["IAM302 (when `IsProd` is true)"]
