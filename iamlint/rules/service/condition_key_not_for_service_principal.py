from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule

# Keys that describe an IAM principal (its account, organization, tags): a service principal has
# none of them, so a request from one never carries them (the global keys' "Availability" notes).
ABSENT_FOR_SERVICES = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalTag/")


def absent_for_services(key: str) -> bool:
    """Whether a request from a service principal never carries the (lower-case) key."""
    return any(key == absent or absent.endswith("/") and key.startswith(absent)
               for absent in map(str.lower, ABSENT_FOR_SERVICES))


class ConditionKeyNotForServicePrincipal(Rule):
    """A statement whose principals are all AWS services tests a key that service principals
    never carry.

    Reported at the condition key, in a resource or trust policy statement whose `Principal`
    names only `Service` principals, when the key is one of `aws:PrincipalOrgID`,
    `aws:PrincipalOrgPaths`, `aws:PrincipalAccount` or `aws:PrincipalTag/...` and the operator
    needs the key to be present (not negated, not `...IfExists`, not `ForAllValues:`, not
    `Null`).

    ## Why is this bad?
    These keys describe an IAM user or role: its account, its organization, its tags. When a
    service such as CloudFront or CloudTrail calls, the request has none of them, so the
    condition never matches: an `Allow` grants the service nothing, and a `Deny` never applies.
    To confine a service to your resources or accounts, test `aws:SourceArn`,
    `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}]
    }
    ```

    ## References
    - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    """  # noqa: E501 (a CloudFront distribution ARN, spelled whole)

    code = "IAM224"
    name = "condition-key-not-for-service-principal"
    severity = Severity.ERROR
    kinds = frozenset({"resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if statement.get("Condition") is None:
                continue
            found = principals(statement)
            if not found or any(p.key != "Service" for p in found):
                continue
            service = next((p for p in found if p.kind == "service"), found[0])
            value = service.node.value
            text = (value.spelled() if hasattr(value, "spelled") else str(value)).strip()
            for entry in statement.conditions():
                if entry.requires_key and absent_for_services(entry.name):
                    yield Finding(entry.key_node, f"`{entry.key}` is never in the request when `{text}` calls: this "
                                                  "condition never matches; use `aws:SourceArn` or `aws:SourceAccount`")
