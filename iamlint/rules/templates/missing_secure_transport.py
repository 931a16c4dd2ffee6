from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import policy_name
from iamlint.rules.base import Rule
from iamlint.values import is_opaque

# The resources whose policy should refuse plain HTTP (AWS's security best practices for each)
HOLDERS = ("AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic")


def _denies_plain_http(statement) -> bool:
    """A `Deny` on `aws:SecureTransport` `false` (`Bool`, `BoolIfExists`), or, for S3, on an old
    TLS version (`NumericLessThan s3:TlsVersion`); a value only known when deployed counts."""
    if statement.effect != "Deny":
        return False
    if is_opaque(statement.get("Condition")):
        return True  # a condition only known when deployed may be this one
    for condition in statement.conditions():
        if condition.name == "aws:securetransport" and condition.type == "Bool" and condition.qualifier is None:
            if condition.truth is False or any(is_opaque(v) for v in condition.values):
                return True
        if condition.name == "s3:tlsversion" and condition.base in ("NumericLessThan", "NumericLessThanEquals"):
            return True
    return False


class MissingSecureTransport(Rule):
    """An S3 bucket, SQS queue or SNS topic policy does not deny requests over plain HTTP.

    Reported at the policy (its property: `PolicyDocument:`) when no `Deny` statement tests
    `aws:SecureTransport` = `false` (`Bool` or `BoolIfExists`) or, for a bucket, an old
    `s3:TlsVersion` (`NumericLessThan`). Checked where iamlint knows what the policy belongs to
    (templates, Terraform); a policy whose statements are only known when deployed is not.

    ## Why is this bad?
    Without the deny, a client (or a misconfigured SDK, or an attacker downgrading the connection)
    may send and read data unencrypted in transit. AWS's security best practices for S3, SQS and
    SNS, and Security Hub's control S3.5, ask for this statement.

    ## Example
    ```yaml
    Resources:
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/producer"}
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
    ```

    ## Use instead
    ```yaml
    Resources:
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/producer"}
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
              - Effect: Deny
                Principal: "*"
                Action: sqs:*
                Resource: !GetAtt Queue.Arn
                Condition:
                  Bool:
                    aws:SecureTransport: false
    ```

    ## References
    - [Amazon S3: security best practices (enforce encryption of data in transit)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html)
    - [Amazon SQS: enforce encryption of data in transit](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html)
    - [Amazon SNS: enforce encryption of data in transit](https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html)
    """

    code = "IAM407"
    name = "missing-secure-transport"
    severity = Severity.WARNING
    kinds = frozenset({"resource"})
    applies_to = "S3 bucket, SQS queue and SNS topic policies"

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.holder not in HOLDERS:
            return
        statements = policy.root.get("Statement")
        if statements is None or any(not node.is_mapping for node in statements.elements()):
            return  # no statements (missing-element's), or statements only known when deployed
        if any(_denies_plain_http(statement) for statement in policy.statements()):
            return
        yield Finding(policy.root.key or policy.root,
                      f"this {policy_name(policy.holder)} does not deny requests over plain HTTP: add a `Deny` "
                      "statement with `\"Bool\": {\"aws:SecureTransport\": \"false\"}`")
