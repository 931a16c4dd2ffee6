"""PolicyDocument.holder: the CloudFormation type of the resource a policy protects, whatever the
format, so resource-type-aware rules key on one vocabulary."""

from __future__ import annotations

import pytest

from iamlint.config import Config
from iamlint.incremental import IncrementalLinter
from iamlint.readers.base import Source
from iamlint.readers.cloudformation import POLICY_PROPERTIES, CloudFormationReader
from iamlint.readers.policy_json import PolicyJSONReader
from iamlint.rules import BUILTIN_RULES


def test_every_resource_policy_place_names_its_holder_and_only_those():
    for resource_type, places in POLICY_PROPERTIES.items():
        for where in places:
            if where.kind in ("resource", "trust"):
                assert where.holder is not None and where.holder.startswith("AWS::"), resource_type
            else:
                assert where.holder is None, resource_type


TEMPLATE = """\
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !If [Prod, "*", !GetAtt Queue.Arn]
  Table:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: us-east-1
          ResourcePolicy:
            PolicyDocument:
              Statement: [{Effect: Allow, Principal: {AWS: "111122223333"}, Action: dynamodb:GetItem, Resource: "*"}]
"""


def test_the_template_reader_sets_the_holder():
    document = CloudFormationReader().read(Source("template.yaml", TEMPLATE))
    assert [(p.kind, p.holder) for p in document.policies] == [
        ("trust", "AWS::IAM::Role"), ("identity", None), ("resource", "AWS::SQS::Queue"),
        ("resource", "AWS::DynamoDB::Table")]
    queue = document.policies[2]
    assert queue.in_world(queue.root).holder == "AWS::SQS::Queue"  # each world of its alternatives too


def test_a_policy_file_has_no_holder():
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}'
    (policy,) = PolicyJSONReader().read(Source("policy.json", text, "resource")).policies
    assert (policy.kind, policy.holder) == ("resource", None)


@pytest.mark.parametrize("other", ["AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy"])
def test_the_memo_tells_holders_apart(other):
    """The same policy text on another resource type is another policy for the server's memo."""
    linter = IncrementalLinter(BUILTIN_RULES, Config())
    queue = CloudFormationReader().read(Source("t.yaml", TEMPLATE)).policies[2]
    moved = CloudFormationReader().read(Source("t.yaml", TEMPLATE.replace("AWS::SQS::QueuePolicy", other))).policies[2]
    assert queue.holder != moved.holder
    assert linter._memo_key(queue) != linter._memo_key(moved)
