from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# what invalid-arn (IAM111) asks of a partition: a partition that fails it is reported there
_PARTITION_SHAPE = re.compile(r"aws(-[a-z]+)*")
_ACCOUNT = re.compile(r"[0-9]{12}")
# the account field of ARNs AWS owns: `arn:aws:iam::aws:policy/ReadOnlyAccess`
AWS_ACCOUNTS = frozenset({"aws"})


@lru_cache(maxsize=16384)
def _problems_of(text: str) -> tuple[str, ...]:
    return tuple(field_problems(arns.parse(text)))


def field_problems(arn: arns.Arn) -> list[str]:
    """What is wrong with the literal fields of an ARN, one message each."""
    found = []
    shown = arn.text
    partition, service, region, account = arn.partition, arn.service, arn.region, arn.account
    known_partition = None
    if partition.literal:
        if partition.text in arns.PARTITIONS:
            known_partition = partition.text
        elif _PARTITION_SHAPE.fullmatch(partition.text):
            names = ", ".join(f"`{name}`" for name in ("aws", "aws-cn", "aws-us-gov"))
            found.append(f"`{shown}` names partition `{partition.text}`, which does not exist; "
                         f"use {names}, ...")
    if service.literal and service.text != service.text.lower():
        found.append(f"the service in `{shown}` must be lower case: `{service.text.lower()}`")
    if region.text and not region.variable and not arns.region_exists(region.text, known_partition):
        where = f" in partition `{known_partition}`" if known_partition and arns.region_exists(region.text) else ""
        what = f"has a Region pattern `{region.text}` that matches no Region" if region.wild else \
            f"names Region `{region.text}`, which does not exist"
        found.append(f"`{shown}` {what}{where}")
    if account.literal and account.text and not _ACCOUNT.fullmatch(account.text) \
            and account.text not in AWS_ACCOUNTS:
        found.append(f"`{shown}` names account `{account.text}`; an account id has 12 digits")
    return found


class InvalidArnField(Rule):
    """A `Resource` or `NotResource` ARN names a partition, Region or account that cannot exist,
    or spells its service in capitals.

    Each of the ARN's fields is judged when it is written out (no wildcard, no policy variable,
    no piece only known when deployed): the partition must be one of AWS's (`aws`, `aws-cn`,
    `aws-us-gov`, the isolated ones), the service lower case, the Region one of the partition's
    Regions (a Region with wildcards, `eu-*`, must match at least one), and the account 12 digits
    (or `aws`, the account of AWS managed policies: `arn:aws:iam::aws:policy/ReadOnlyAccess`).
    An empty Region or account is left to `arn-format-mismatch` (IAM208), which knows which
    resource types have one; ARNs that are not ARNs at all are `invalid-arn`'s (IAM111).

    ## Why is this bad?
    No resource has such an ARN, so the statement grants (or denies) nothing on it, while
    reading as if it did. A short account id (a digit lost in copying), a made-up Region
    (`us-east-9`) or a placeholder left in (`Region`, `account-id`) are the usual causes.
    IAM Access Analyzer reports each as an error.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                     "Resource": "arn:aws:sqs:us-east-1:12345:jobs"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                     "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]
    }
    ```

    ## Known problems
    The Regions are those iamlint was released with (data/partitions.json): a Region AWS opened
    since reads as one that does not exist until iamlint is updated. Whether a service is
    offered in a Region that exists is not checked (no offline data says so).

    ## References
    - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    - [AWS Regions](https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM123"
    name = "invalid-arn-field"
    severity = Severity.ERROR
    kinds = frozenset({"identity", "resource", "scp", "rcp", "boundary"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, arn in arns.policy_arns(policy):
            value = node.value
            for message in _problems_of(value) if type(value) is str else field_problems(arn):
                yield Finding(node, message)
