from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import policy_entries
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# keys whose value is epoch seconds by definition
EPOCH_KEYS = frozenset({"aws:epochtime"})


class EpochDate(Rule):
    """A `Date...` condition compares with a number (epoch seconds) instead of an ISO 8601 date.

    Reported at each value of a `DateEquals`, `DateNotEquals`, `DateLessThan(Equals)` or
    `DateGreaterThan(Equals)` condition that is a JSON number or a string of digits, except on
    `aws:EpochTime`, whose values are epoch seconds. IAM accepts such values; the message
    gives the date they stand for.

    ## Why is this bad?
    Nobody reads `1735689600` as a date: a reviewer cannot tell when the policy starts or stops
    applying, and a number in milliseconds (`1735689600000`) passes unnoticed as a date
    thousands of years away. AWS recommends ISO 8601 dates.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"DateLessThan": {"aws:CurrentTime": "1735689600"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Date condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date)
    """

    code = "IAM122"
    name = "epoch-date"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        for condition in policy_entries(policy):
            if condition.type != "Date" or condition.name in EPOCH_KEYS:
                continue
            for node in condition.values:
                seconds = _epoch(node.value)
                if seconds is not None:
                    date = _as_date(seconds)
                    advice = (f"write it as an ISO 8601 date: `{date}`" if date else
                              "write an ISO 8601 date such as `2025-01-01T00:00:00Z`")
                    yield Finding(node, f"`{node.value}` is read as epoch seconds; {advice}")


def _epoch(value) -> int | None:
    if type(value) is int or (type(value) is float and value.is_integer()):
        return int(value)
    if type(value) is str and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


def _as_date(seconds: int) -> str | None:
    """``2025-01-01T00:00:00Z``, or None when the number is no date Python can write."""
    from datetime import datetime, timezone

    try:
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None
