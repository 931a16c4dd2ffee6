from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class EmptyValue(Rule):
    """A `Condition`, an operator block or a condition key is empty, or a `Sid` is the empty string.

    Reported: `"Condition": {}` (at `Condition`), an operator with no keys (`"StringEquals": {}`,
    at the operator), a key with no values (`"aws:TagKeys": []`, at the key) and `"Sid": ""`.
    Empty `Action`, `Resource` and `Principal` lists are errors of the policy grammar
    (`schema-violation`). In a template, an object or list whose every entry is `AWS::NoValue`
    in some worlds is not reported: only what is written empty is.

    ## Why is this bad?
    An empty element tests or names nothing: at best it is noise, at worst a condition whose
    values were lost. A key with no values never matches, except with `ForAllValues:` or
    `...IfExists`, where it matches only requests without the key: `Null` says that plainly.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "", "Effect": "Allow", "Action": "iam:TagRole", "Resource": "*",
                     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "TagRolesByTeam", "Effect": "Allow", "Action": "iam:TagRole", "Resource": "*",
                     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)
    - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    """

    code = "IAM119"
    name = "empty-value"
    severity = Severity.INFO

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            elements = statement.node.value  # a statement is a mapping; most have neither element
            sid = elements.get("Sid")
            if sid is not None and sid.value == "":
                yield Finding(sid, "the `Sid` is empty: give the statement a name or remove `Sid`")
            block = elements.get("Condition")
            if block is None or type(block.value) is not dict:
                continue
            if not block.value:
                if _written_empty(block):
                    yield Finding(block.key or block, "`Condition` is empty: it tests nothing; remove it")
                continue
            for operator, keys in block.items():
                if keys.is_mapping and not keys.value and _written_empty(keys):
                    yield Finding(keys.key or keys, f"the `{operator}` block is empty: it tests nothing; remove it")
            for condition in statement.conditions():
                if not condition.values and condition.node.is_sequence and _written_empty(condition.node):
                    yield Finding(condition.key_node, _no_values(condition))


def _written_empty(node) -> bool:
    """Whether an empty object or list is written so (`{}`, `[ ]`), rather than emptied in some of
    a template's worlds (every entry `AWS::NoValue` there) or built by a reader from properties
    (a Lambda permission's condition on a `SourceArn` that is absent in some world)."""
    span = node.span
    return span.line == span.end_line and span.end_column - span.column <= 4


def _no_values(condition) -> str:
    key = condition.key
    null = f'`"Null": {{"{key}": "true"}}`'
    if condition.qualifier == "ForAllValues":
        return (f"`ForAllValues:` with no values for `{key}` matches only requests without the key: "
                f"say that with {null}")
    if condition.qualifier == "ForAnyValue":
        return f"there are no values for `{key}`: `ForAnyValue:` never matches, and the statement never applies"
    if condition.if_exists:
        return (f"there are no values for `{key}`: `{condition.operator}` matches only when the key is absent; "
                f"use {null}")
    if condition.negated:
        return f"there are no values for `{key}`: `{condition.operator}` tests nothing; list values or remove it"
    return f"there are no values for `{key}`: the condition never matches, and the statement never applies"
