from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule


class LongTermAccessKey(DocumentRule):
    """A template creates an access key (`AWS::IAM::AccessKey`, `aws_iam_access_key`): long-lived credentials.

    Reported at the resource's type.

    ## Why is this bad?
    An access key works until someone deletes it, from anywhere, and ends up in outputs,
    parameter stores, CI variables and laptops. AWS recommends roles and temporary credentials
    for workloads (IAM roles for EC2, Lambda, ECS, IRSA; OIDC federation for CI).

    ## Example
    ```yaml
    Resources:
      DeployKey:
        Type: AWS::IAM::AccessKey
        Properties:
          UserName: deployer
    ```

    ## Use instead
    ```yaml
    Resources:
      DeployRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Federated: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"}
                Action: sts:AssumeRoleWithWebIdentity
                Condition:
                  StringEquals: {"token.actions.githubusercontent.com:sub": "repo:example/app:ref:refs/heads/main"}
    ```

    ## References
    - [Require workloads to use temporary credentials](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles)
    - [AWS::IAM::AccessKey](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-accesskey.html)
    """  # noqa: E501 (the ARN of GitHub's OIDC provider, spelled whole)

    code = "IAM504"
    name = "long-term-access-key"
    severity = Severity.WARNING

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            if resource.type in ("AWS::IAM::AccessKey", "aws_iam_access_key"):
                yield Finding(resource.type_node, f"`{resource.name}` creates a long-lived access key; "
                                                  "use a role with temporary credentials")
