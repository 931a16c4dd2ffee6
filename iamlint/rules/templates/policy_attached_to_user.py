from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

USER_PROPERTIES = ("Policies", "ManagedPolicyArns")
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
# Terraform resources that attach permissions to one user: type -> what they attach
TERRAFORM_USER_RESOURCES = {
    "aws_iam_user_policy": "an inline policy", "aws_iam_user_policy_attachment": "a managed policy",
    "aws_iam_user_policy_attachments_exclusive": "managed policies",
    "aws_iam_user_policies_exclusive": "inline policies",
}


class PolicyAttachedToUser(DocumentRule):
    """Permissions are attached directly to an IAM user.

    Reported at an `AWS::IAM::User`'s `Policies` or `ManagedPolicyArns`, at the `Users` of an
    `AWS::IAM::Policy` or `AWS::IAM::ManagedPolicy`, and at the type of an
    `AWS::IAM::UserPolicy`; in Terraform, at the type of an `aws_iam_user_policy`,
    `aws_iam_user_policy_attachment` or `aws_iam_user_policy_attachments_exclusive`, and at the
    `users` of an `aws_iam_policy_attachment`. A user's `Groups` (`aws_iam_user_group_membership`)
    is the way to give it permissions.

    ## Why is this bad?
    Permissions attached user by user drift apart and are hard to review or revoke: AWS's best
    practices, CIS AWS Foundations 1.15 and Security Hub IAM.2 ask for permissions through
    groups (or, better, roles with temporary credentials).

    ## Example
    ```yaml
    Resources:
      Alice:
        Type: AWS::IAM::User
        Properties:
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/ReadOnlyAccess
    ```

    ## Use instead
    ```yaml
    Resources:
      Auditors:
        Type: AWS::IAM::Group
        Properties:
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/ReadOnlyAccess
      Alice:
        Type: AWS::IAM::User
        Properties:
          Groups:
            - !Ref Auditors
    ```

    ## References
    - [Security best practices in IAM: use groups](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)
    - [Security Hub IAM.2](https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2)
    """

    code = "IAM402"
    name = "policy-attached-to-user"
    severity = Severity.WARNING

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            if resource.type == "AWS::IAM::User":
                for name in USER_PROPERTIES:
                    node = resource.property(name)
                    if node is not None and not (node.is_sequence and not node.value):
                        yield Finding(node.key or node, f"`{name}` attaches permissions to user "
                                                        f"`{resource.name}`; attach them to a group it joins")
            elif resource.type in POLICY_TYPES:
                users = resource.property("Users")
                if users is not None and not (users.is_sequence and not users.value):
                    yield Finding(users.key or users, f"policy `{resource.name}` is attached to users; "
                                                      "attach it to their groups (`Groups`) instead")
            elif resource.type == "AWS::IAM::UserPolicy":
                yield Finding(resource.type_node, f"`{resource.name}` attaches an inline policy to a user; "
                                                  "give the user's group a managed policy instead")
            elif resource.type in TERRAFORM_USER_RESOURCES:
                what = TERRAFORM_USER_RESOURCES[resource.type]
                yield Finding(resource.type_node, f"`{resource.name}` attaches {what} to a user; attach it to a "
                                                  "group the user joins instead")
            elif resource.type == "aws_iam_policy_attachment":
                users = resource.property("users")
                if users is not None and not (users.is_sequence and not users.value):
                    yield Finding(users.key or users, f"`{resource.name}` attaches its policy to users; "
                                                      "attach it to their groups (`groups`) instead")
