from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.readers.base import Resource

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

# IAM users: type -> (the property that names the user, the property that lists its groups, if any)
USERS: dict[str, tuple[str, str | None]] = {
    "AWS::IAM::User": ("UserName", "Groups"),
    "aws_iam_user": ("name", None),  # Terraform puts a user in groups with a membership resource
}
# Resources that put users in a group: type -> (the property naming the users, whether it is a list)
MEMBERSHIPS: dict[str, tuple[str, bool]] = {
    "AWS::IAM::UserToGroupAddition": ("Users", True),
    "aws_iam_user_group_membership": ("user", False),
    "aws_iam_group_membership": ("users", True),
}
_UNKNOWN = object()  # a member only known when deployed: it may be any user
_TERRAFORM_USER = re.compile(r"\baws_iam_user\.([A-Za-z_][A-Za-z0-9_-]*)")


class UserWithoutGroup(DocumentRule):
    """An IAM user is in no group.

    Reported at the type of an `AWS::IAM::User` that has no `Groups` and that no
    `AWS::IAM::UserToGroupAddition` of the same template names in its `Users` (by `!Ref` or by
    its `UserName`). A `Groups` or a member only known when deployed (a parameter, an import)
    counts as a group. Terraform configurations and plans are read the same way (`aws_iam_user`,
    with `aws_iam_user_group_membership.user` and `aws_iam_group_membership.users`): a
    configuration's memberships are looked for in every file of the module folder, and a user is
    reported in the file that declares it.

    ## Why is this bad?
    Permissions given user by user drift apart and are hard to review or revoke: CIS AWS
    Foundations 1.15 and Security Hub IAM.2 ask that users receive permissions only through
    groups (or, better, that people sign in through IAM Identity Center and workloads use
    roles).

    ## Example
    ```yaml
    Resources:
      Deployer:
        Type: AWS::IAM::User
        Properties:
          UserName: deployer
    ```

    ## Use instead
    ```yaml
    Resources:
      Deployers:
        Type: AWS::IAM::Group
        Properties:
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/AWSCodeDeployDeployerAccess
      Deployer:
        Type: AWS::IAM::User
        Properties:
          UserName: deployer
          Groups:
            - !Ref Deployers
    ```

    ## Known problems
    A user put in a group outside the template or module folder (by another stack, another
    Terraform module, or by hand) is reported: suppress the finding on the user
    (`Metadata: {iamlint: {ignore: [IAM406]}}`, `# iamlint: ignore[IAM406]` above the resource).

    ## References
    - [Security best practices in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)
    - [Security Hub IAM.2](https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2)
    - [AWS::IAM::UserToGroupAddition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-usertogroupaddition.html)
    """

    code = "IAM406"
    name = "user-without-group"
    severity = Severity.WARNING
    formats = frozenset({"templates", "serverless", "terraform", "terraform-plan"})

    def check_document(self, document, ctx) -> Iterable[Finding]:
        users = [r for r in document.resources if r.type in USERS]
        if not users:
            return
        everything = document.module_resources  # a Terraform module's memberships may be in another file
        members = _members(everything, {r.name for r in everything if r.type in USERS})
        if _UNKNOWN in members:
            return
        for user in users:
            name_property, groups_property = USERS[user.type]
            groups = user.property(groups_property) if groups_property else None
            if groups is not None and not (groups.is_sequence and not groups.value):
                continue  # in groups (or in groups only known when deployed)
            name = user.property(name_property)
            named = name.value if name is not None and type(name.value) is str else None
            if user.name in members or (named is not None and named in members):
                continue
            yield Finding(user.type_node or user.node, f"IAM user `{named or user.name}` belongs to no group: give it "
                                                       "permissions through groups (CIS 1.15)")


def _members(resources: list[Resource], users: set[str]) -> set:
    """What the membership resources name: user names, and the logical ids or addresses of the
    users they refer to (``users``); ``_UNKNOWN`` when one is only known when deployed."""
    members: set = set()
    for resource in resources:
        membership = MEMBERSHIPS.get(resource.type)
        if membership is None:
            continue
        name, is_list = membership
        node = resource.property(name)
        if node is None:
            continue
        for item in (node.value if is_list and node.is_sequence else [node]):
            members.add(_member(item, users))
    return members


def _member(node, users: set[str]) -> object:
    """A user name, a user's logical id or address, or ``_UNKNOWN``."""
    value = node.value
    if type(value) is str:
        return value
    referred = None
    if type(value) is dict and len(value) == 1 and "Ref" in value:
        referred = value["Ref"].value  # CloudFormation: a user's logical id, or a parameter
    text = getattr(value, "text", None)  # an opaque value: `Ref Alice`, Terraform's `aws_iam_user.alice.name`
    if type(text) is str and text.startswith("Ref "):
        referred = text[4:]
    elif type(text) is str:
        match = _TERRAFORM_USER.search(text)
        referred = f"aws_iam_user.{match.group(1)}" if match is not None else None
    return referred if referred in users else _UNKNOWN
