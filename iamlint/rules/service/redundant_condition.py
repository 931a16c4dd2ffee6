from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import policy_entries, sensitive_keys
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# base operator -> whether the largest value decides (LessThan) or the smallest (GreaterThan)
BOUNDS = {"NumericLessThan": True, "NumericLessThanEquals": True, "NumericGreaterThan": False,
          "NumericGreaterThanEquals": False, "DateLessThan": True, "DateLessThanEquals": True,
          "DateGreaterThan": False, "DateGreaterThanEquals": False}
LIKE_OPERATORS = frozenset({"StringLike", "StringNotLike", "ArnLike", "ArnNotLike"})
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class RedundantCondition(Rule):
    """A condition value adds nothing, or a condition only tests whether its key exists.

    Reported at the value:
    - `Numeric...`/`Date...` `LessThan` or `GreaterThan` with several values: a request matches
      when it matches one of them, so only the largest (`LessThan`) or the smallest
      (`GreaterThan`) value decides; the others are redundant;
    - a `...Like` operator (`StringLike`, `StringNotLike`, `ArnLike`, `ArnNotLike`) whose only
      value is `*`: it matches every value, so the condition only asks whether the key is there.
      `StringLike` `*` is `"Null": {key: "false"}`, `StringNotLike` `*` is
      `"Null": {key: "true"}`, `StringLikeIfExists` or `ForAllValues:StringLike` `*` are always
      true, `ForAnyValue:StringNotLike` `*` is never true.

    Keys that take no wildcard at all (`aws:SourceAccount`, `aws:PrincipalArn`, ...) are
    `permissive-condition-wildcard`'s (IAM323).

    ## Why is this bad?
    A condition should say what it tests. A redundant value suggests a limit that is not
    there; `StringLike` `*` hides a presence test, and an always-true or never-true condition
    hides that the statement applies to everyone, or to no one.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
                     "Condition": {"StringLike": {"aws:ResourceTag/team": "*"},
                                   "NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
                     "Condition": {"Null": {"aws:ResourceTag/team": "false"},
                                   "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}]
    }
    ```

    ## Known problems
    Access Analyzer's page gives no example for its `EQUIVALENT_TO_NULL_FALSE`,
    `EQUIVALENT_TO_NULL_TRUE`, `REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION` and
    `REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION` suggestions: which condition maps to
    which is iamlint's reading of their messages. AWS's own managed policies test tags for
    presence with `StringLike` `*`; this rule reports them, as the suggestion they are.

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    - [Condition operator to check existence of condition keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null)
    """

    code = "IAM230"
    name = "redundant-condition"
    severity = Severity.INFO

    def check(self, policy, ctx) -> Iterable[Finding]:
        for condition in policy_entries(policy):
            base = condition.base
            if base in BOUNDS:
                yield from _redundant_bounds(condition, BOUNDS[base])
            elif (base in LIKE_OPERATORS and len(condition.values) == 1 and condition.values[0].value == "*"
                  and condition.name not in sensitive_keys()):
                yield Finding(condition.values[0], _presence_test(condition))


def _redundant_bounds(condition, largest: bool) -> Iterable[Finding]:
    values = condition.values
    if len(values) < 2:
        return
    read = _number if condition.type == "Numeric" else _date
    points = [read(node.value) for node in values]
    if any(p is None for p in points):
        return  # a value iamlint cannot read (an intrinsic, a malformed one): condition-type-mismatch's
    extreme = max(points) if largest else min(points)
    decider = next(node for node, p in zip(values, points, strict=True) if p == extreme)
    word = "largest" if largest else "smallest"
    for node, point in zip(values, points, strict=True):
        if node is decider:
            continue
        if point == extreme:
            yield Finding(node, f"`{node.value}` repeats `{decider.value}`, the value that decides")
        else:
            yield Finding(node, f"`{node.value}` adds nothing: with `{condition.base}` the {word} value, "
                                f"`{decider.value}`, decides")


def _number(value) -> float | None:
    if type(value) in (int, float):
        return float(value)
    if type(value) is str and _NUMBER.fullmatch(value.strip()):
        return float(value)
    return None


def _date(value) -> float | None:
    """Seconds since the epoch of an ISO 8601 date or an epoch value; None when not one."""
    from datetime import datetime, timezone

    if type(value) in (int, float):
        return float(value)
    if type(value) is not str:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _presence_test(condition) -> str:
    """What a `...Like` `*` condition amounts to: true when the key is present (unless negated),
    and when it is absent as the operator says (``Condition.matches_absent``)."""
    key, operator = condition.key, condition.operator
    present, absent = not condition.negated, bool(condition.matches_absent)
    if present and absent:
        return f"`{operator}` `*` on `{key}` is always true: remove it"
    if not present and not absent:
        return f"`{operator}` `*` on `{key}` never matches: the statement never applies"
    truth = "false" if present else "true"
    what = "exists" if present else "is absent"
    return (f"`{operator}` `*` on `{key}` only tests that the key {what}: write "
            f"`\"Null\": {{\"{key}\": \"{truth}\"}}`")
