from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import declared_type
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# key type (ArrayOf... stripped) -> the operators meant for it
OPERATORS_FOR = {
    "Bool": "`Bool`",
    "Numeric": "a `Numeric...` operator",
    "Date": "a `Date...` operator",
    "IPAddress": "`IpAddress` or `NotIpAddress`",
}
LIKE = {"StringLike": "ArnLike", "StringNotLike": "ArnNotLike"}


class StringOperatorMismatch(Rule):
    """A `String...` operator on a key that holds something else: a boolean, a number, a date or
    an IP address; or `StringLike`/`StringNotLike` on an ARN key.

    Key types come from the service data and IAM's list of global keys (identity providers'
    claims from STS's keys); keys of unknown type are not checked. `StringEquals` and the other
    exact `String...` operators on ARN keys are fine, as `condition-type-mismatch` (IAM204) says;
    only the pattern operators are reported there. Reported at the key.

    ## Why is this bad?
    A `String...` operator compares the text of the value, not what it means: `StringEquals`
    `"True"` misses a `true` that `Bool` matches, `StringEquals` `"203.0.113.0/24"` never matches
    an address in that range, numbers and dates compare as characters. On ARN keys, `ArnLike`
    compares the six fields of the ARN one by one, so a wildcard stays within its field; a
    `StringLike` pattern is matched against the whole text, where `*` also spans `:`, and a
    pattern meant for one account or Region can match others. Access Analyzer reports both (a
    warning, and a security warning for the ARN case).

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:MultiFactorAuthPresent": "true"},
                                   "StringLike": {"aws:SourceArn": "arn:aws:s3:::reports-*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*",
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                                   "ArnLike": {"aws:SourceArn": "arn:aws:s3:::reports-*"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    - [IAM Access Analyzer policy checks: Type mismatch, String like operator with ARN condition keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM212"
    name = "string-operator-mismatch"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if condition.type != "String":
                    continue
                kind = declared_type(condition.key)
                if kind is None:
                    continue
                scalar = kind[len("ArrayOf"):] if kind.startswith("ArrayOf") else kind
                if scalar in OPERATORS_FOR:
                    yield Finding(condition.key_node, f"`{condition.key}` is {_a(kind)} key: compare it with "
                                                      f"{OPERATORS_FOR[scalar]}, not `{condition.operator}`")
                elif scalar == "ARN" and condition.base in LIKE:
                    arn_operator = condition.operator.replace(condition.base, LIKE[condition.base], 1)
                    yield Finding(condition.key_node, f"`{condition.key}` is an ARN key: use `{arn_operator}`, which "
                                                      f"matches ARN fields one by one, not `{condition.operator}`")


def _a(kind: str) -> str:
    """`a Bool`, `an IPAddress`, `an ArrayOfBool`."""
    return ("an " if kind[0] in "AEIOU" else "a ") + kind
