from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

REPLACEMENTS = {
    "inline_policy": "`aws_iam_role_policy` (or `aws_iam_role_policies_exclusive`)",
    "managed_policy_arns": "`aws_iam_role_policy_attachment` (or `aws_iam_role_policy_attachments_exclusive`)",
}


class DeprecatedRolePolicyArguments(DocumentRule):
    """An `aws_iam_role` sets `inline_policy` or `managed_policy_arns`, deprecated in the AWS provider.

    Reported at the argument (the first `inline_policy` block). Version 5 of the AWS provider
    deprecated both in favour of separate resources, and they are set to be removed.

    ## Why is this bad?
    Each makes the role own all of its inline policies or managed attachments: a policy
    attached by any other resource is taken off at the next apply, and an
    `aws_iam_role_policy_attachment` of the same role fights with it on every plan. The
    separate resources do not have that problem, and the deprecated arguments will stop working
    when the provider removes them.

    ## Example
    ```hcl
    resource "aws_iam_role" "ci" {
      name                = "ci"
      assume_role_policy  = data.aws_iam_policy_document.ci_trust.json
      managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_iam_role" "ci" {
      name               = "ci"
      assume_role_policy = data.aws_iam_policy_document.ci_trust.json
    }

    resource "aws_iam_role_policy_attachment" "ci_read_only" {
      role       = aws_iam_role.ci.name
      policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    }
    ```

    ## References
    - [aws_iam_role: inline_policy and managed_policy_arns](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role)
    """

    code = "IAM405"
    name = "deprecated-role-policy-arguments"
    severity = Severity.INFO
    formats = frozenset({"terraform", "terraform-plan"})

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            if resource.type != "aws_iam_role":
                continue
            for argument, replacement in REPLACEMENTS.items():
                node = resource.property(argument)
                if node is not None:
                    yield Finding(node.key or node, f"`{argument}` of `{resource.name}` is deprecated in the AWS "
                                                    f"provider; use {replacement}")
