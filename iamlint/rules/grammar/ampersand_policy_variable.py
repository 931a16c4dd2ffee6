from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

_AMPERSAND = re.compile(r"&\{([^}]*)\}")
TERRAFORM_FORMATS = ("terraform", "terraform-plan")
MODULE_FILES = (".tf", ".tofu", ".tf.json")


class AmpersandPolicyVariable(Rule):
    """A Terraform policy written as JSON spells a policy variable `&{aws:username}`.

    `&{...}` is how a policy variable is written in a `data "aws_iam_policy_document"` block,
    which turns it into `${...}` (a bare `${...}` there would be a Terraform interpolation). In
    `jsonencode({...})`, a heredoc, a JSON string or a template file, nothing turns it into
    anything: AWS receives `&{aws:username}` as written. Reported at the string that holds it, in
    Terraform files and in plan JSON.

    ## Why is this bad?
    AWS does not read `&{...}` as a variable: the policy names a resource or a condition value
    that is literally `&{aws:username}`, which matches nothing. An `Allow` silently grants
    nothing; a `Deny` silently guards nothing.

    ## Example
    ```hcl
    resource "aws_iam_policy" "home" {
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = "arn:aws:s3:::home/&{aws:username}/*"
        }]
      })
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_iam_policy" "home" {
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = "arn:aws:s3:::home/$${aws:username}/*"
        }]
      })
    }
    ```

    ## References
    - [IAM policy elements: variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    - [aws_iam_policy_document: context variable interpolation](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document#context-variable-interpolation)
    """

    code = "IAM114"
    name = "ampersand-policy-variable"
    severity = Severity.WARNING
    applies_to = "all policy kinds, in Terraform and plan JSON"

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.format not in TERRAFORM_FORMATS:
            return
        # in a .tf file a `${` must be escaped; a file read by file() takes it as written
        escape = "$$" if policy.path.endswith(MODULE_FILES) or policy.format != "terraform" else None
        stack = [policy.root]
        while stack:
            node = stack.pop()
            value = node.value
            if type(value) is dict:
                stack.extend(reversed(value.values()))
                stack.extend(reversed([child.key for child in value.values() if child.key is not None]))
                continue
            if type(value) is list:
                stack.extend(reversed(value))
                continue
            text = value if type(value) is str else "".join(
                part for part in (getattr(value, "parts", None) or ()) if type(part) is str)
            for match in _AMPERSAND.finditer(text):
                variable = match.group(1)
                fix = f"`{escape or '$'}{{{variable}}}`" + ("" if escape else
                                                               f" (`$${{{variable}}}` in a `templatefile()` template)")
                yield Finding(node, f"`&{{{variable}}}` reaches AWS as written and matches nothing; write {fix} "
                                    "(`&{...}` is the spelling of `aws_iam_policy_document` only)")
