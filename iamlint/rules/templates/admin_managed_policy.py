from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule
from iamlint.rules.templates import literal_text

ATTACHING = {
    "AWS::IAM::Role": "ManagedPolicyArns", "AWS::IAM::User": "ManagedPolicyArns",
    "AWS::IAM::Group": "ManagedPolicyArns", "AWS::SSO::PermissionSet": "ManagedPolicies",
    "AWS::Serverless::Function": "Policies", "AWS::Serverless::StateMachine": "Policies",
    # Terraform
    "aws_iam_role_policy_attachment": "policy_arn", "aws_iam_user_policy_attachment": "policy_arn",
    "aws_iam_group_policy_attachment": "policy_arn", "aws_iam_policy_attachment": "policy_arn",
    "aws_iam_role": "managed_policy_arns", "aws_ssoadmin_managed_policy_attachment": "managed_policy_arn",
    "aws_iam_role_policy_attachments_exclusive": "policy_arns",
    "aws_iam_user_policy_attachments_exclusive": "policy_arns",
    "aws_iam_group_policy_attachments_exclusive": "policy_arns",
}
# `arn:<partition>:iam::aws:policy/<path/>Name`, the partition possibly a reference
_AWS_MANAGED_ARN = r"^arn:(?:\$\{[^}]*\}|[^:]*):iam::aws:policy/(?:[^/]+/)*(?P<name>[^/]+)$"


def default_policies() -> tuple[str, ...]:
    return read_list("admin-managed-policies")


class AdminManagedPolicy(DocumentRule):
    """An administrator-level AWS managed policy is attached to a role, user or group.

    The policies are `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`,
    `AWSOrganizationsFullAccess` and the other full-access ones listed in
    `iamlint/data/admin-managed-policies.txt`, by ARN (literal, or `!Sub` / `!Join` with
    `${AWS::Partition}`) in `ManagedPolicyArns` of roles, users and groups, `ManagedPolicies` of
    SSO permission sets, and by name or ARN in SAM `Policies`. In Terraform: the `policy_arn` of
    the attachment resources, `managed_policy_arns`, `managed_policy_arn` and `policy_arns`, as a
    literal ARN, with `${data.aws_partition.current.partition}`, through a
    `data "aws_iam_policy"` that names the policy or a `local` that holds its ARN (in any file of
    the module folder). Reported at the ARN (at the reference, for a data source or a local).

    ## Why is this bad?
    Whoever can use the identity can do anything in the account, or can grant themselves that
    (IAM or Organizations administration): one leaked credential or one vulnerable function is a
    full account takeover. CIS AWS Foundations 1.16 and Security Hub IAM.1.

    ## Example
    ```yaml
    Resources:
      BuildRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
          ManagedPolicyArns:
            - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
    ```

    ## Use instead
    ```yaml
    Resources:
      BuildRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
          ManagedPolicyArns:
            - !Sub arn:${AWS::Partition}:iam::aws:policy/AWSCodeBuildDeveloperAccess
    ```

    ## Options
    - `policies`: the managed policy names to report (replaces the shipped list).

    ## References
    - [AWS managed policies for job functions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    - [Security Hub IAM.1](https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1)
    """

    code = "IAM403"
    name = "admin-managed-policy"
    severity = Severity.ERROR
    options = {"policies": None}

    def check_document(self, document, ctx) -> Iterable[Finding]:
        names = {n.lower() for n in (ctx.option("policies") or default_policies())}
        for resource in document.resources:
            prop = ATTACHING.get(resource.type)
            node = resource.property(prop) if prop else None
            if node is None:
                continue
            sam = resource.type.startswith("AWS::Serverless::")
            for item in node.elements():
                text = literal_text(item)
                if text is None:
                    continue
                match = re.match(_AWS_MANAGED_ARN, text)
                name = match.group("name") if match else (text if sam else None)
                if name is not None and name.lower() in names:
                    yield Finding(item, f"`{name}` gives `{resource.name}` administrator-level access; "
                                        "attach a policy scoped to what it does")
