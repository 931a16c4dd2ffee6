from __future__ import annotations

from iamlint import conditions
from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule, close_matches, show

BASE_OPERATORS = tuple(op for op in conditions.BASE_OPERATORS if op != "Null")
OPERATORS = tuple(
    prefix + op + suffix
    for prefix in ("", "ForAllValues:", "ForAnyValue:")
    for op in BASE_OPERATORS
    for suffix in ("", "IfExists")
) + ("Null",)


def suggest(operator: str) -> str | None:
    """The operator most probably meant, matching case-insensitively."""
    lowered = {op.lower(): op for op in OPERATORS}
    if operator.lower() in lowered:
        return lowered[operator.lower()]
    match = close_matches(operator.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[match[0]] if match else None


class InvalidConditionOperator(SchemaRule):
    """A `Condition` uses an operator IAM does not know, such as `StringEqual` or `stringEquals`.

    Operators are case-sensitive. Any operator but `Null` may end in `IfExists` and take the set
    prefixes `ForAllValues:` and `ForAnyValue:`; the message names the operator that was
    probably meant, or says what `Null` does not take.

    ## Why is this bad?
    AWS rejects the policy. In tools that pass it through unchecked, the condition that was
    meant to narrow access is not there.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    """

    code = "IAM112"
    name = "invalid-condition-operator"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.keyword != "propertyNames" or len(error.path) != 4 or error.path[2] != "Condition":
            return None
        null = null_problem(error.instance)
        if null is not None:
            return f"unknown condition operator {show(error.instance)}: {null}"
        guess = suggest(error.instance)
        hint = f"; did you mean `{guess}`?" if guess else ""
        return f"unknown condition operator {show(error.instance)}{hint}"


def null_problem(operator) -> str | None:
    """What is wrong with a `Null` test that has a set qualifier or `IfExists` (it tests whether
    the key is there, so neither means anything), or None for any other operator."""
    if not isinstance(operator, str) or operator == "Null":
        return None
    qualifier, colon, rest = operator.rpartition(":")
    if rest not in ("Null", "NullIfExists") or (colon and qualifier not in conditions.QUALIFIERS):
        return None
    extras = [f"`{qualifier}:`"] if colon else []
    if rest == "NullIfExists":
        extras.append("`IfExists`")
    return f"`Null` takes no {' and no '.join(extras)} (it tests whether the key is there); write `Null`"

