from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class InlinePolicy(Rule):
    """A template embeds an inline policy in a role, user or group.

    Inline policies are the `Policies` of `AWS::IAM::Role`, `User` and `Group`, the
    `AWS::IAM::Policy` resource (inline despite its name: it is copied into each role, user or
    group it names), `AWS::IAM::RolePolicy` / `UserPolicy` / `GroupPolicy`, an
    `AWS::SSO::PermissionSet`'s `InlinePolicy`, and inline statements in SAM `Policies`; in
    Terraform, `aws_iam_role_policy` / `aws_iam_user_policy` / `aws_iam_group_policy`, an
    `aws_iam_role`'s `inline_policy` and `aws_ssoadmin_permission_set_inline_policy`.
    Reported at the policy document (for a `data "aws_iam_policy_document"`, at its header).

    ## Why is this bad?
    AWS recommends managed policies first (AWS managed, then customer managed) and inline
    policies only for a strict one-to-one relationship between a policy and an identity: an
    inline policy cannot be reused, has no versions to roll back to, is invisible in the list of
    policies, and is deleted with its identity.

    ## Example
    ```yaml
    Resources:
      ReportsReader:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          Policies:
            - PolicyName: read-reports
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::reports/*}
    ```

    ## Use instead
    ```yaml
    Resources:
      ReadReports:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::reports/*}
      ReportsReader:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          ManagedPolicyArns:
            - !Ref ReadReports
    ```

    ## Known problems
    The AWS CDK writes an inline policy (the role's `DefaultPolicy`) for every `addToPolicy()`
    and `grant*()` call, so every CDK app with a grant has this finding. It is a real
    finding, reported in CDK terms: put the statements in a `new iam.ManagedPolicy(...)` with
    `roles: [...]`. To accept CDK's design instead, ignore IAM401 for the assembly
    (`per-file-ignores`), or give the policy's `CfnPolicy` the metadata
    `addMetadata('iamlint', {ignore: ['IAM401']})`.

    The statements the Serverless Framework writes into the roles it creates are not reported:
    the framework always writes them inline, which is not the user's choice.

    ## References
    - [Managed policies and inline policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html)
    - [AWS::IAM::ManagedPolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html)
    - [AWS CDK: iam.ManagedPolicy](https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_iam.ManagedPolicy.html)
    """

    code = "IAM401"
    name = "inline-policy"
    severity = Severity.WARNING
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        if not policy.inline:
            return
        if policy.generator == "cdk":  # `addToPolicy()`, `grant*()` and `inlinePolicies` all write inline policies
            yield Finding(policy.root.key or policy.root,
                          f"inline policy in `{policy.resource}`; for a customer managed policy that can be reused, "
                          "versioned and reviewed on its own, put these statements in a `new iam.ManagedPolicy(...)` "
                          "attached to the role, user or group (`roles: [...]`)")
            return
        managed = "`aws_iam_policy` and an attachment" if policy.format.startswith("terraform") \
            else "`AWS::IAM::ManagedPolicy`"
        yield Finding(policy.root.key or policy.root,
                      f"inline policy in `{policy.resource}`; use a customer managed policy "
                      f"({managed}) that can be reused, versioned and reviewed on its own")
