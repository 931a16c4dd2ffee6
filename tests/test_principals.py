"""The principal classifier (iamlint.principals): what each value of Principal/NotPrincipal is,
in policy files and in templates, where values built with functions are read by their known pieces."""

from __future__ import annotations

import pytest

from iamlint.parsers.json_parser import parse_json
from iamlint.policy import PolicyDocument
from iamlint.principals import THIS_ACCOUNT, account_of, principals
from iamlint.readers.base import Source
from iamlint.readers.cloudformation import CloudFormationReader


def _statement(principal: str, element: str = "Principal"):
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
            f'"{element}": {principal}}}]}}')
    return PolicyDocument(parse_json(text).root, "trust", "policy.json").statements()[0]


def _kinds(principal: str, element: str = "Principal"):
    return [(p.key, p.kind, p.account, p.provider) for p in principals(_statement(principal, element), element)]


@pytest.mark.parametrize(("value", "kind", "account"), [
    ("*", "everyone", None),
    ("111122223333", "account", "111122223333"),
    ("arn:aws:iam::111122223333:root", "root", "111122223333"),
    ("arn:aws-cn:iam::111122223333:root", "root", "111122223333"),
    ("arn:aws:iam::111122223333:user/division/jane", "user", "111122223333"),
    ("arn:aws:iam::111122223333:role/deployer", "role", "111122223333"),
    ("arn:aws:sts::111122223333:assumed-role/deployer/session", "assumed-role", "111122223333"),
    ("arn:aws:sts::111122223333:federated-user/jane", "federated-user", "111122223333"),
    ("AIDACKCEVSQ6C2EXAMPLE", "unique-id", None),
    ("AROAJQABLZS4A3QDU576Q", "unique-id", None),
    ("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C", "cloudfront-oai", None),
    ("arn:aws-cn:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C", "cloudfront-oai", None),
    ("12345", "invalid", None),
    ("arn:aws:iam::111122223333:group/admins", "invalid", None),
    ("arn:aws:iam::111122223333:instance-profile/web", "invalid", None),
    ("arn:aws:iam:us-east-1:111122223333:root", "invalid", None),
    ("arn:aws:iam::*:root", "invalid", None),
    ("arn:aws:iam::111122223333:user/*", "invalid", None),
    ("arn:aws:sts::111122223333:assumed-role/deployer", "invalid", None),
])
def test_aws_principals(value, kind, account):
    assert _kinds(f'{{"AWS": "{value}"}}') == [("AWS", kind, account, None)]


def test_the_problem_says_why():
    problems = [p.problem for p in principals(_statement(
        '{"AWS": ["12345", "arn:aws:iam::111122223333:group/admins", "arn:aws:iam::*:root", "111122223333"]}'))]
    assert problems == ["an account id has 12 digits", "a group cannot be a principal",
                        "a principal cannot contain a wildcard (`*` or `?`): `*` alone means everyone", None]
    placeholder, = principals(_statement('{"AWS": "arn:aws:iam::[SecurityAccountID]:root"}'))
    assert (placeholder.kind, placeholder.problem) == ("invalid", "`[SecurityAccountID]` is no account id (12 digits)")


@pytest.mark.parametrize(("key", "value", "kind", "provider"), [
    ("Service", "sns.amazonaws.com", "service", None),
    ("Service", "logs.us-east-1.amazonaws.com", "service", None),
    ("Service", "ec2.amazonaws.com.cn", "service", None),
    ("Service", "sns", "invalid", None),
    ("Service", "SNS.amazonaws.com", "invalid", None),
    ("Service", "preprod.states.aws.internal", "invalid", None),
    ("Service", "*", "invalid", None),
    ("Federated", "arn:aws:iam::111122223333:saml-provider/Okta", "saml-provider", "Okta"),
    ("Federated", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
     "oidc-provider", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"),
    ("Federated", "cognito-identity.amazonaws.com", "oidc-domain", "cognito-identity.amazonaws.com"),
    ("Federated", "token.actions.githubusercontent.com", "invalid", None),
    ("CanonicalUser", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "canonical-user", None),
    ("CanonicalUser", "79a59df9", "invalid", None),
])
def test_service_federated_and_canonical_principals(key, value, kind, provider):
    assert [(k, kd, pr) for k, kd, _, pr in _kinds(f'{{"{key}": "{value}"}}')] == [(key, kind, provider)]


def test_elements_lists_and_what_is_left_to_the_schema():
    assert _kinds('"*"') == [("*", "everyone", None, None)]
    assert _kinds('"arn:aws:iam::111122223333:root"') == []  # a string principal other than `*`: IAM101's
    assert _kinds('{"Account": "111122223333", "AWS": ["111122223333", true, "*"]}') == [
        ("AWS", "account", "111122223333", None), ("AWS", "everyone", None, None)]
    assert _kinds('{"AWS": "111122223333"}', "NotPrincipal") == [("AWS", "account", "111122223333", None)]
    statement = _statement('{"AWS": "111122223333"}')
    assert principals(statement) is principals(statement)  # built once per statement
    assert principals(statement, "NotPrincipal") == []


TEMPLATE = """\
Resources:
  Queue:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: "*"
            Principal:
              AWS:
                - !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
                - !Ref AWS::AccountId
                - !Sub arn:${AWS::Partition}:iam::${Partner}:root
                - !Sub arn:${AWS::Partition}:iam::${Partner}:group/admins
                - !GetAtt Role.Arn
                - !Ref Principal
                - 111122223333
              Service:
                - !Sub states.${AWS::Region}.amazonaws.com
                - !Sub ec2.${AWS::URLSuffix}
              Federated: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
            Principal:
              AWS: !Sub "arn:${Partition}:iam::cloudfront:user/CloudFront Origin Access Identity ${Identity}"
"""


def test_values_built_with_functions_are_read_by_their_known_pieces(tmp_path):
    document = CloudFormationReader().read(Source("template.yaml", TEMPLATE))
    statement, oai = document.policies[0].statements()
    assert [(p.key, p.kind, p.account, p.provider) for p in principals(statement)] == [
        ("AWS", "root", THIS_ACCOUNT, None),
        ("AWS", "account", THIS_ACCOUNT, None),
        ("AWS", "root", None, None),  # some account's root, only known when deployed
        ("AWS", "invalid", None, None),  # a group whatever the account
        ("AWS", "unknown", None, None),
        ("AWS", "unknown", None, None),
        ("AWS", "account", "111122223333", None),  # YAML reads it as a number
        ("Service", "service", None, None),
        ("Service", "unknown", None, None),  # `${AWS::URLSuffix}`: never called invalid
        ("Federated", "oidc-provider", THIS_ACCOUNT, "token.actions.githubusercontent.com"),
    ]
    # CloudFront's legacy origin access identity, whatever its partition
    assert [(p.key, p.kind) for p in principals(oai)] == [("AWS", "cloudfront-oai")]


@pytest.mark.parametrize(("value", "account"), [
    ("111122223333", "111122223333"), (" arn:aws:iam::111122223333:role/x ", "111122223333"),
    ("arn:aws:sts::111122223333:assumed-role/r/s", "111122223333"), ("arn:aws:s3:::b", None), ("*", None),
])
def test_account_of(value, account):
    assert account_of(value) == account
