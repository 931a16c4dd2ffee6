from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import policy_entries
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.variables import without_escapes

# operator (no qualifier, no IfExists) -> the operator that matches patterns
EQUALS_TO_LIKE = {"StringEquals": "StringLike", "StringNotEquals": "StringNotLike",
                  "StringEqualsIgnoreCase": "StringLike", "StringNotEqualsIgnoreCase": "StringNotLike"}


class WildcardWithoutLike(Rule):
    """A `StringEquals`-type condition value contains `*` or `?`, which it compares literally.

    Applies to `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase` and
    `StringNotEqualsIgnoreCase`, with any `ForAllValues:`/`ForAnyValue:` and `IfExists`.
    `${*}` and `${?}`, the escapes for the characters themselves, are not wildcards. `ArnEquals`
    is not reported: ARN operators match wildcards.

    ## Why is this bad?
    Only `...Like` operators read `*` and `?` as wildcards: `StringEquals` with `admin-*`
    matches the text `admin-*` and nothing else, so an `Allow` meant for a family of values
    grants nothing and a `Deny` guards nothing.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalTag/job-category": "admin-*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringLike": {"aws:PrincipalTag/job-category": "admin-*"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String)
    """

    code = "IAM121"
    name = "wildcard-without-like"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        for condition in policy_entries(policy):
            like = EQUALS_TO_LIKE.get(condition.base)
            if like is None:
                continue
            for node in condition.strings():
                text = without_escapes(node.value)
                wildcard = "*" if "*" in text else "?" if "?" in text else None
                if wildcard is not None:
                    yield Finding(node, f"`{node.value}` is compared literally by `{condition.base}`: the "
                                        f"`{wildcard}` matches only a `{wildcard}`; use `{like}` for a pattern")
