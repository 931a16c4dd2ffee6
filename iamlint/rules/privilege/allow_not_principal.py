from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class AllowNotPrincipal(Rule):
    """An `Allow` statement of a resource policy uses `NotPrincipal`.

    Reported at `NotPrincipal`. (In identity and trust policies `NotPrincipal` is not allowed
    at all: IAM109 reports it there.)

    ## Why is this bad?
    It grants access to every principal except those listed: every other AWS account and, for
    many services, anonymous users. AWS strongly recommends against `NotPrincipal` with `Allow`.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/reports-reader"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    """

    code = "IAM312"
    name = "allow-not-principal"
    severity = Severity.ERROR
    kinds = frozenset({"resource"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            node = statement.get("NotPrincipal")
            if statement.is_allow and node is not None:
                yield Finding(node.key or node, "`Allow` with `NotPrincipal` grants access to every principal that "
                                                "is not listed; name the allowed principals with `Principal`")
