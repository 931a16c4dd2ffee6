from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.arns import parse
from iamlint.diagnostics import Finding, Severity
from iamlint.holders import holder
from iamlint.rules.base import Rule


def _article(text: str) -> str:
    return ("an " if text[0].lower() in "aeio" or text.startswith(("S3", "SQS", "SNS", "ECR", "EFS")) else "a ") + text


def _names(services, suffix: str = "") -> str:
    return " or ".join(f"`{s}{suffix}`" for s in sorted(services))


class ResourcePolicyServiceMismatch(Rule):
    """A resource policy names an action or resource of another service (`kms:Decrypt` in a bucket policy).

    Reported at each `Action`/`NotAction` whose service prefix is written out and is not the
    resource's (`kms:Decrypt` in an S3 bucket policy, `logs:PutLogEvents` in an SQS queue
    policy), and at each `Resource`/`NotResource` ARN of another service
    (`arn:aws:kms:...:key/...` in a bucket policy). Checked where iamlint knows what the policy
    belongs to (in a template or a Terraform configuration); VPC endpoint policies, which name
    any service's actions, and policy files are not.

    ## Why is this bad?
    AWS rejects the policy (Access Analyzer: UNSUPPORTED_ACTION_IN_POLICY and
    UNSUPPORTED_RESOURCE_ARN_IN_POLICY): a resource's policy can only grant what is done to that
    resource. The statement was usually meant for a role, or for another resource's policy.

    ## Example
    ```yaml
    Resources:
      ReportsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::111122223333:role/reader}
                Action: [s3:GetObject, kms:Decrypt]
                Resource: !Sub "${Reports.Arn}/*"
    ```

    ## Use instead
    ```yaml
    Resources:
      ReportsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::111122223333:role/reader}
                Action: s3:GetObject
                Resource: !Sub "${Reports.Arn}/*"
    ```

    ## References
    - [Access Analyzer policy checks: unsupported action in policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-unsupported-action-in-policy)
    - [AWS services that work with IAM (resource-based policies)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html)
    """

    code = "IAM225"
    name = "resource-policy-service-mismatch"
    severity = Severity.ERROR
    kinds = frozenset({"resource"})
    applies_to = "resource policies whose resource is known"

    def check(self, policy, ctx) -> Iterable[Finding]:
        entry = holder(policy.holder)
        if entry is None or not entry.services:
            return
        services = entry.services
        named = _article(entry.policy)
        for statement in policy.statements():
            for element in ("Action", "NotAction"):
                for node in statement.strings(element):
                    service, colon, _ = node.value.strip().partition(":")
                    service = service.lower()
                    if colon and service and "*" not in service and "?" not in service and service not in services:
                        yield Finding(node, f"`{node.value}` has no place in {named}: it can only name "
                                            f"{_names(services, ':')} actions")
            for element in ("Resource", "NotResource"):
                node = statement.get(element)
                for item in node.elements() if node is not None else ():
                    arn = parse(item.value) if type(item.value) is str else None
                    if arn is None or not arn.service.literal or arn.service.text.lower() in services:
                        continue
                    yield Finding(item, f"`{item.value}` is no resource of {named}: it can only name "
                                        f"{_names(services)} resources, such as this {entry.noun}")
