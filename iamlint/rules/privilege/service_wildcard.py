from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import service_part


class ServiceWildcard(Rule):
    """A statement allows every action of a service (`"s3:*"`).

    Only a name part that is `*` alone counts: `s3:Get*` is a family of actions, not a
    service wildcard. Applies to identity, resource and trust policies.

    ## Why is this bad?
    `s3:*` includes `s3:DeleteBucket`, `s3:PutBucketPolicy` and every action S3 adds later.
    Access reviews read it as "full control of the service".

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [Security best practices in IAM: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    """

    code = "IAM303"
    name = "service-wildcard"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.is_allow:
                continue
            for action in statement.strings("Action"):
                service, _, name = action.value.partition(":")
                if name == "*" and service_part(action.value) != "*" and not any(c in service for c in "*?"):
                    yield Finding(action, f"statement allows every `{service}` action (`{action.value}`)")
