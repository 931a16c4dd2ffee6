from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service.unknown_condition_key import key_type

# operator family -> the key types it is meant for
# (String operators compare any key's text, so they suit every type; ARN operators parse the
# value as an ARN, which string keys often hold, e.g. kms:EncryptionContext:aws:s3:arn.)
FAMILIES = {
    "String": {"String", "ArrayOfString", "ARN", "ArrayOfARN", "Bool", "ArrayOfBool", "Numeric", "Date",
               "IPAddress"},
    "Numeric": {"Numeric", "ArrayOfNumeric"},
    "Date": {"Date", "Numeric"},
    "Bool": {"Bool", "ArrayOfBool"},
    "IpAddress": {"IPAddress"},
    "Arn": {"ARN", "ArrayOfARN", "String", "ArrayOfString"},
    "Binary": {"Binary"},
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _value_problem(kind: str, operator: str, value) -> str | None:
    """Why a condition value cannot be compared as ``kind``, or None."""
    text = value if isinstance(value, str) else None
    if kind in ("Bool", "Null"):
        if str(value).lower() not in ("true", "false"):
            return f"`{operator}` compares with `true` or `false`, not `{value}`"
    elif kind == "Numeric":
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or (
                text is not None and re.fullmatch(r"-?\d+(\.\d+)?", text.strip()))):
            return f"`{operator}` compares numbers; `{value}` is not one"
    elif kind == "Date":
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or (
                text is not None and (text.strip().isdigit() or _ISO_DATE.match(text.strip())))):
            return f"`{operator}` compares dates (ISO 8601 or epoch seconds); `{value}` is not one"
    elif kind == "IpAddress":
        import ipaddress

        try:
            ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            return f"`{value}` is not an IP address or CIDR range"
    return None


class ConditionTypeMismatch(Rule):
    """A condition compares a key with an operator of the wrong type, or with a malformed value.

    The operator family must suit the key's type (from the service data and IAM's list of
    global keys): `Numeric...` operators need numeric keys, `Date...` date (or epoch) keys,
    `Bool` boolean keys, `IpAddress` IP-address keys, and `Arn...` ARN or string keys; `String...`
    operators compare the text of any key. Values must parse as what the operator compares:
    `true`/`false` for `Bool` and `Null`, numbers, ISO 8601 dates or epoch seconds, IP addresses
    or CIDR ranges. Reported at the key for a type mismatch, at the value for a malformed value.
    Keys that nobody defines are `unknown-condition-key`'s business.

    ## Why is this bad?
    IAM does not reject the policy; the comparison simply never matches (`NumericLessThan` on
    a boolean, an invalid CIDR), so an Allow never applies or, worse, a Deny never does.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"NumericLessThan": {"aws:SecureTransport": "1"},
                                   "NotIpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"Bool": {"aws:SecureTransport": "false"},
                                   "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    """

    code = "IAM204"
    name = "condition-type-mismatch"
    severity = Severity.ERROR
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                kind, operator, key, value = condition.type, condition.operator, condition.key, condition.node
                if kind is None:
                    continue  # an unknown operator: invalid-condition-operator says so
                declared = key_type(key)
                if kind not in ("Null",) and declared is not None and declared not in FAMILIES[kind]:
                    yield Finding(value.key or value, f"`{key}` is a {declared} key; `{operator}` compares "
                                                      f"{kind.lower() if kind != 'IpAddress' else 'IP addresses'} "
                                                      f"values, so it never matches as intended")
                    continue
                for item in value.elements():
                    if item.value is None or isinstance(item.value, (dict, list)):
                        continue
                    problem = _value_problem(kind, operator, item.value)
                    if problem is not None:
                        yield Finding(item, problem)
