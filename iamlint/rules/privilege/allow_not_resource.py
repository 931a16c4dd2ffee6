from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class AllowNotResource(Rule):
    """An `Allow` statement uses `NotResource`.

    Reported at `NotResource`. In a `Deny` it is a normal guardrail and never reported.

    ## Why is this bad?
    `Allow` + `NotResource` grants the actions on every resource except those listed: in every
    account the principal can reach, and on every resource created later.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::payroll/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    """

    code = "IAM306"
    name = "allow-not-resource"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            node = statement.get("NotResource")
            if statement.is_allow and node is not None:
                yield Finding(node.key or node, "`Allow` with `NotResource` grants the actions on every resource "
                                                "that is not listed; list the allowed resources with `Resource`")
