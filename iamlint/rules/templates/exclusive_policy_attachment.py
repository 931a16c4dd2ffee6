from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

TERRAFORM_FORMATS = frozenset({"terraform", "terraform-plan"})


class ExclusivePolicyAttachment(DocumentRule):
    """A Terraform configuration attaches a managed policy with `aws_iam_policy_attachment`.

    Reported at the resource's type. The resource owns every attachment of its policy in the
    account: the users, roles and groups it lists are the only ones the policy stays attached to.

    ## Why is this bad?
    On each apply, Terraform detaches the policy from every user, role and group it does not
    list, including those attached by hand, by another Terraform configuration, or by another
    `aws_iam_policy_attachment` of the same policy: two teams attaching `ReadOnlyAccess` this way
    take it away from each other's roles, and a console attachment disappears at the next apply.
    The AWS provider's documentation warns against it.

    ## Example
    ```hcl
    resource "aws_iam_policy_attachment" "ci" {
      name       = "ci-read-only"
      roles      = [aws_iam_role.ci.name]
      policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_iam_role_policy_attachment" "ci" {
      role       = aws_iam_role.ci.name
      policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    }
    ```

    ## References
    - [aws_iam_policy_attachment](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy_attachment)
    - [aws_iam_role_policy_attachment](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment)
    """

    code = "IAM404"
    name = "exclusive-policy-attachment"
    severity = Severity.WARNING
    formats = TERRAFORM_FORMATS

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            if resource.type == "aws_iam_policy_attachment":
                yield Finding(resource.type_node, (f"`{resource.name}` owns every attachment of its policy in the "
                                                   "account and detaches it from any user, role or group it does not "
                                                   "list; use `aws_iam_role_policy_attachment`, "
                                                   "`aws_iam_user_policy_attachment` or "
                                                   "`aws_iam_group_policy_attachment`"))
