"""Templates as users write them: intrinsics, policies in strings, hostile YAML, suppressions."""

from __future__ import annotations

import time

import pytest

from conftest import positions, run_main

ROLE_HEAD = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
"""


def lint(write, tmp_path, name, text, *argv):
    write(name, text)
    return run_main("--isolated", "--format", "json", *argv, name, cwd=tmp_path)


@pytest.mark.parametrize(("resource", "expected"), [
    ('!GetAtt Bucket.Arn', []),
    ('!Ref BucketArnParameter', []),
    ('!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"', []),
    ('!Ref AWS::NoValue', ["14:17 IAM108"]),  # the element is removed: Resource is missing
    ('!Sub "*"', ["14:65 IAM307"]),  # a Sub without variables is the string it spells
    ('!If [IsProd, !GetAtt Bucket.Arn, "*"]', ["14:98 IAM307"]),  # either branch may apply
    ('[!If [IsProd, "*", !Ref AWS::NoValue], !GetAtt Bucket.Arn]', ["14:79 IAM307"]),
])
def test_intrinsics_are_opaque_values_not_errors_or_wildcards(write, tmp_path, resource, expected):
    text = ROLE_HEAD + f"              - {{Effect: Allow, Action: iam:PassRole, Resource: {resource}}}\n"
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1,IAM307")
    assert positions(run) == expected, run.out


def test_if_around_a_whole_statement_checks_it_and_novalue_removes_it(write, tmp_path):
    text = ROLE_HEAD + """              - !If
                - IsProd
                - {Effect: Allow, Action: "*", Resource: "*"}
                - !Ref AWS::NoValue
              - Fn::If: [IsProd, !Ref AWS::NoValue, {Effect: Allow, Action: "s3:*", Resource: "*"}]
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1,IAM301,IAM303")
    assert positions(run) == ["16:43 IAM301", "18:77 IAM303"]


def test_json_string_policy_in_a_json_template_keeps_exact_positions(write, tmp_path):
    text = ('{"Resources": {"Scp": {"Type": "AWS::Organizations::Policy", "Properties": {\n'
            '  "Type": "SERVICE_CONTROL_POLICY", "Name": "deny",\n'
            '  "Content": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": '
            '[{\\"Effect\\": \\"Deny\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"s3:*\\", \\"Resource\\": \\"*\\"}]}"\n'
            '}}}}\n')
    run = lint(write, tmp_path, "t.json", text, "--select", "IAM109")
    # the string has escapes, so it cannot be parsed in place: the finding sits on the whole string
    assert positions(run) == ["3:14 IAM109"]
    assert "service control policy" in run.json()[0]["message"]


def test_json_string_policy_in_yaml_is_parsed_in_place(write, tmp_path):
    text = """Resources:
  Scp:
    Type: AWS::Organizations::Policy
    Properties:
      Type: SERVICE_CONTROL_POLICY
      Name: deny
      Content: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}'
  Tags:
    Type: AWS::Organizations::Policy
    Properties:
      Type: TAG_POLICY
      Content: '{"tags": {"team": {}}}'
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1")
    assert positions(run) == ["7:76 IAM109"]


def test_string_policy_that_is_not_json_is_reported_at_the_string(write, tmp_path):
    text = """Resources:
  Logs:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyName: p
      PolicyDocument: '{"Version": "2012-10-17", "Statement": [}'
"""
    run = lint(write, tmp_path, "t.yaml", text)
    assert positions(run) == ["6:64 IAM001"]
    assert "expected a value" in run.json()[0]["message"]


def test_unknown_tags_and_anchors_do_not_crash(write, tmp_path):
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Tags: !Custom {a: 1}
      AssumeRolePolicyDocument: &trust
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
  Other:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM311")
    assert positions(run) == ["9:46 IAM311", "9:46 IAM311"]  # both roles, at the anchor's text


def test_billion_laughs_is_an_unreadable_file_not_a_hang(write, tmp_path):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    run = lint(write, tmp_path, "t.yaml", "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert [d["code"] for d in run.json()] == ["IAM003"]
    assert "billion laughs" in run.json()[0]["message"]


def test_yaml_syntax_error_in_a_template_is_positioned(write, tmp_path):
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: [AWS::IAM::Role\n"
    run = lint(write, tmp_path, "t.yaml", text)
    assert [(d["code"], d["line"]) for d in run.json()] == [("IAM001", 5)]


@pytest.mark.parametrize(("name", "text"), [
    (".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"),
    ("docker-compose.yaml", "services:\n  web:\n    image: nginx\n"),
    ("broken.yaml", "key: [unclosed\n"),
    ("k8s.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"),
])
def test_yaml_that_is_not_a_template_is_silent(write, tmp_path, name, text):
    run = lint(write, tmp_path, name, text)
    assert (run.code, run.json()) == (0, [])


def test_only_limits_what_is_read(write, tmp_path):
    write("policy.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}')
    write("t.yaml", "Resources:\n  K:\n    Type: AWS::IAM::AccessKey\n")
    both = run_main("--isolated", "--format", "json", "--select", "IAM303,IAM504", ".", cwd=tmp_path)
    assert sorted({d["path"] for d in both.json()}) == ["policy.json", "t.yaml"]
    only = run_main("--isolated", "--format", "json", "--only", "templates", "--select", "IAM303,IAM504", ".",
                    cwd=tmp_path)
    assert [d["path"] for d in only.json()] == ["t.yaml"]


def test_missing_mfa_skips_policies_attached_only_to_roles(write, tmp_path):
    document = '{Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:CreateUser, Resource: "*"}]}'
    text = f"""Resources:
  RolePolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument: {document}
  GroupPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Groups: [!Ref Admins]
      PolicyDocument: {document}
  Unattached:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {document}
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM501")
    assert [d["line"] for d in run.json()] == [11, 15]


def test_suppression_on_another_line_does_not_apply(write, tmp_path):
    text = ROLE_HEAD.replace("      Policies:\n", "      Policies:  # iamlint: ignore[IAM303]\n") + \
        '              - {Effect: Allow, Action: "s3:*", Resource: "*"}\n'
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM303,IAM004")
    assert positions(run) == ["9:18 IAM004", "14:41 IAM303"]


def test_sub_of_a_json_body_is_judged_on_its_literal_parts(write, tmp_path):
    text = """Resources:
  Logs:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyName: p
      PolicyDocument: !Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "logs:PutLogEvents", "Resource": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"}]}'
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1,IAM311")
    assert positions(run) == ["6:102 IAM311"]  # the public principal, inside the string; the ARN is fine


def test_template_without_a_final_newline(write, tmp_path):
    text = ("Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
            "        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Action: 's3:*', Resource: '*'}")
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM303")
    assert positions(run) == ["8:37 IAM303"]


def test_policy_in_a_yaml_block_is_reported_at_the_element(write, tmp_path):
    text = """Resources:
  Literal:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
        }
  Folded:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: >-
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
  Broken:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},]}
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM001,IAM301,IAM303")
    assert positions(run) == ["8:55 IAM301", "15:54 IAM303", "21:78 IAM001"]


def test_functions_inside_a_json_string_policy_are_not_evaluated(write, tmp_path):
    text = """Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}'
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1")
    assert positions(run) == ["5:122 IAM101"]  # at the object
    assert "`Resource` must be a string or a list, got an object" in run.json()[0]["message"]


def test_dynamic_references_are_opaque_values(write, tmp_path):
    text = ROLE_HEAD + """              - Effect: Allow
                Action: kms:Decrypt
                Resource: "{{resolve:ssm:/org/kms_key_arn}}"
              - Effect: Allow
                Action: kms:Decrypt
                Resource: "arn:aws:kms:{{resolve:ssm:/org/region}}:111122223333:key/*"
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM1,IAM2")
    assert positions(run) == []


def test_a_broken_json_template_is_a_syntax_error(write, tmp_path):
    text = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Bucket": {"Type": "AWS::S3::Bucket",}\n  }\n}\n'
    run = lint(write, tmp_path, "t.json", text)
    assert positions(run) == ["4:41 IAM001"]
    assert run.json()[0]["message"] == "trailing comma before `}`"


TRUST_HEAD = """Parameters:
  Partner: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
"""


@pytest.mark.parametrize(("principal", "expected"), [
    # this stack's own account: an account principal (MFA), never another account (external id)
    ('!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"', ["10:70 IAM502"]),
    ("!Ref AWS::AccountId", ["10:70 IAM502"]),
    ('!Join ["", ["arn:", !Ref AWS::Partition, ":iam::", !Ref AWS::AccountId, ":root"]]', ["10:70 IAM502"]),
    # a parameter's account: an account, but not guessed to be anyone's
    ('!Join ["", ["arn:aws:iam::", !Ref Partner, ":root"]]', ["10:70 IAM502"]),
    ('!Sub "arn:aws:iam::${Partner}:root"', ["10:70 IAM502"]),
    # a literal account written with a function: another account
    ('!Sub "arn:${AWS::Partition}:iam::444455556666:root"', ["10:70 IAM313", "10:70 IAM502"]),
    # not account roots: a role, a bare parameter (an account or an ARN?), anything else
    ('!Sub "arn:aws:iam::${AWS::AccountId}:role/admin"', []),
    ("!Ref Partner", []),
    ("!GetAtt Other.Arn", []),
])
def test_principals_built_with_functions_are_read(write, tmp_path, principal, expected):
    text = TRUST_HEAD + f"          - {{Effect: Allow, Action: sts:AssumeRole, Principal: {{AWS: {principal}}}}}\n"
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM313,IAM502")
    assert positions(run) == expected, run.out


def test_pseudo_parameters_in_sub_are_compared_as_one_of_their_values(write, tmp_path):
    text = """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:${AWS::Partition}:s3:::reports"}
          - {Effect: Allow, Action: s3:DeleteObject, Resource: !Sub "arn:${AWS::Partition}:s3:::*"}
          - {Effect: Allow, Action: s3:DeleteObject, Resource: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"}
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM205,IAM304")
    assert positions(run) == ["8:61 IAM205", "9:64 IAM304"]
    assert "applies to `arn:${AWS::Partition}:s3:::reports`" in run.json()[0]["message"]


def test_a_glacier_vault_access_policy_is_a_resource_policy(write, tmp_path):
    text = """Resources:
  Vault:
    Type: AWS::Glacier::Vault
    Properties:
      AccessPolicy:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: "*", Action: glacier:InitiateJob, Resource: "*"}
"""
    run = lint(write, tmp_path, "t.yaml", text, "--select", "IAM311")
    assert positions(run) == ["8:40 IAM311"]
