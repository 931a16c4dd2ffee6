from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.grammar import (
    STATEMENT_ELEMENTS,
    SchemaRule,
    close_matches,
    either,
    element,
    expected_types,
    point_span,
    show,
    type_name,
)

if TYPE_CHECKING:
    from iamlint.schema import SchemaError


class SchemaViolation(SchemaRule):
    """The policy breaks the IAM policy grammar in a way no more specific rule describes.

    The generic grammar rule: a value of the wrong type (a number where a string belongs), an
    unknown element (`Effects`), an empty list or object. Every violation of the JSON Schema of
    the policy's kind that is not reported as IAM102-IAM112 is reported here, at the offending
    node, in words.

    ## Why is this bad?
    AWS rejects the policy (`MalformedPolicyDocument`), or, for a type mismatch that AWS
    coerces, the policy does not say what its author meant.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", 42], "Resource": "arn:aws:s3:::reports/*"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::reports/*"}
      ]
    }
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    - The JSON Schemas in `schemas/`.
    """

    code = "IAM101"
    name = "schema-violation"
    severity = Severity.ERROR

    claims_every_error = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for error in ctx.unclaimed_schema_errors():
            yield Finding(error.node, describe(error), span=point_span(error))

    def claim(self, error, policy):
        return describe(error)


def describe(error: SchemaError) -> str:
    """A sentence for any schema violation."""
    name = element(error.path)
    where = f"entries of `{name}`" if error.path and isinstance(error.path[-1], int) else f"`{name}`"
    if not error.path:
        where = "the policy document"
    keyword, value = error.keyword, error.instance
    if keyword == "type":
        return f"{where} must be {expected_types(error.expected)}, got {type_name(value)} ({show(value)})"
    if keyword == "enum":
        return f"{where} must be {either(error.expected)}, got {show(value)}"
    if keyword == "const":
        return f"{where} must be {show(error.expected)}, got {show(value)}"
    if keyword == "pattern":
        return f"{show(value)} is not a valid value for `{name}`"
    if keyword == "minItems":
        return f"{where} must not be an empty list"
    if keyword == "minProperties":
        return f"{where} must not be an empty object"
    if keyword == "required":
        missing = [key for key in error.expected if key not in (value or {})]
        owner = "the policy" if len(error.path) == 0 else "this statement"
        return f"{owner} has no `{'`, `'.join(missing)}`"
    if keyword == "anyOf":
        keys = [branch["required"][0] for branch in error.expected]
        return "this statement has no " + " or ".join(f"`{k}`" for k in keys)
    if keyword == "additionalProperties":
        known = list((error.schema or {}).get("properties", {})) or list(STATEMENT_ELEMENTS)
        guess = close_matches(value, known, n=1, cutoff=0.6)
        hint = f"; did you mean `{guess[0]}`?" if guess else f"; expected one of `{'`, `'.join(known)}`"
        return f"unknown element `{value}`" + hint
    if keyword == "propertyNames":
        return f"`{value}` is not allowed as a key of `{name}`"
    if keyword == "not":
        return f"`{name}` breaks a grammar rule"
    return f"{where} is not valid here ({keyword})"

