from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

NARROWING_KEYS = (
    "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
    "aws:PrincipalServiceName", "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:VpcSourceIp",
    "aws:userid", "aws:username", "kms:CallerAccount", "sts:ExternalId",
)


class PublicPrincipal(Rule):
    """An `Allow` statement names everyone as principal (`"*"` or `{"AWS": "*"}`) with no
    condition that narrows who.

    Narrowing conditions test one of: aws:SourceArn, aws:SourceAccount, aws:SourceOwner,
    aws:SourceOrgID, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceVpce,
    aws:SourceVpc, aws:SourceIp, ..., with an operator that is false when the key is absent and
    values that do not match everyone. Negated operators, `...IfExists` and `ForAllValues:` (both
    true when the key is absent) do not narrow, nor does a value such as `*` or
    `arn:aws:sns:*:*:*`, nor `aws:SourceIp` with private ranges only (requests to a public
    endpoint never come from them) or with `0.0.0.0/0`. Reported at the `*`. Applies to
    resource and trust policies.

    ## Why is this bad?
    Any AWS account, and for many services anonymous callers, can perform the allowed actions:
    the typical public S3 bucket or SQS queue.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Options
    - `narrowing_keys`: condition keys that count as narrowing (replaces the list above).

    ## References
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    - [Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    """

    code = "IAM311"
    name = "public-principal"
    severity = Severity.ERROR
    kinds = frozenset({"resource", "trust"})
    options = {"narrowing_keys": list(NARROWING_KEYS)}

    def check(self, policy, ctx) -> Iterable[Finding]:
        keys = {k.lower() for k in ctx.option("narrowing_keys")}
        for statement in policy.statements():
            principal = statement.get("Principal")
            if not statement.is_allow or principal is None or statement.conditions().narrows(keys):
                continue
            aws = principal.get("AWS")
            stars = [n for n in (aws.strings() if aws else []) if n.value == "*"]
            if principal.value == "*":
                stars = [principal]
            for star in stars:
                yield Finding(star, "statement allows everyone (`*`) with no condition that narrows who "
                                    "(e.g. aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount)")
