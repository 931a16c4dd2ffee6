from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class AllowNotAction(Rule):
    """An `Allow` statement uses `NotAction`.

    Reported at `NotAction`. `NotAction` in a `Deny` is a normal guardrail ("deny everything
    except ...") and is never reported.

    ## Why is this bad?
    `Allow` + `NotAction` grants every action that is *not* listed, in every service,
    including actions AWS adds later. `"NotAction": "iam:*"` with `"Resource": "*"` is
    administrator access minus IAM.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject"], "Resource": "*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    """

    code = "IAM305"
    name = "allow-not-action"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            node = statement.get("NotAction")
            if statement.is_allow and node is not None:
                yield Finding(node.key or node, "`Allow` with `NotAction` grants every action that is not listed, "
                                                "including future ones; list the allowed actions with `Action`")
