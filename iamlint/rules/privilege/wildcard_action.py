from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import is_every_action, is_full_admin


class WildcardAction(Rule):
    """A statement allows every action of every service (`"Action": "*"`).

    Reported at the wildcard. When the statement also allows every resource, IAM301
    `full-admin` reports it instead. Applies to identity, resource and trust policies.

    ## Why is this bad?
    Every action, including those AWS adds tomorrow, is granted on the named resources:
    deleting them, changing their policies, sharing them with other accounts.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    """

    code = "IAM302"
    name = "wildcard-action"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.is_allow or (policy.kind == "identity" and is_full_admin(statement)):
                continue
            for action in statement.strings("Action"):
                if is_every_action(action.value):
                    yield Finding(action, f"statement allows every action of every service (`{action.value}`)")
