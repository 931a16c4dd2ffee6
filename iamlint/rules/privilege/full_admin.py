from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import is_full_admin


class FullAdmin(Rule):
    """A statement allows every action on every resource (`"Action": "*"` with `"Resource": "*"`).

    Reported at the `*` action. Applies to identity policies; SCPs (`FullAWSAccess`) and
    permissions boundaries that allow everything only lift a cap and grant nothing.

    ## Why is this bad?
    Whoever holds this policy is an administrator of the account: they can read every secret,
    delete every resource and grant themselves or others anything. AWS, CIS AWS Foundations
    (1.16) and Security Hub (IAM.1) all ask for no full `*:*` administrative policies beyond a
    few break-glass roles.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
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
    - [Security best practices in IAM: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    """

    code = "IAM301"
    name = "full-admin"
    severity = Severity.ERROR
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if is_full_admin(statement):
                star = next(n for n in statement.strings("Action") if n.value.strip() in ("*", "*:*"))
                yield Finding(star, "statement allows every action (`*`) on every resource (`*`): "
                                    "full administrator access")
