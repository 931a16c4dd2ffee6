from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import multivalued
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class MissingSetOperator(Rule):
    """A key that can hold several values (`aws:TagKeys`, `aws:PrincipalOrgPaths`,
    `aws:CalledVia`, any key the service data types `ArrayOf...`) tested without
    `ForAllValues:` or `ForAnyValue:`.

    `Null` needs no set operator (it tests whether the key is there) and is not reported; nor
    are keys of unknown type, or the keys AWS itself uses both ways (see Known problems).
    Reported at the key.

    ## Why is this bad?
    AWS requires a set operator on multivalued keys. Without one, the condition does not say
    whether every value of the request must match or one is enough (`StringEquals` on
    `aws:TagKeys`: may a request add tags outside the list?), and AWS documents no reading of
    it; Access Analyzer reports it as an error. Say which: `ForAllValues:` (every value of the
    request must match one of the policy's, which also holds when the key is absent) or
    `ForAnyValue:` (at least one must).

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:TagRole", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:TagKeys": ["team", "cost-center"]}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:TagRole", "Resource": "*",
                     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "cost-center"]}}}]
    }
    ```

    ## Known problems
    The data types some keys as multivalued while AWS uses them with plain operators too
    (`events:detail-type`); iamlint lists them in `iamlint/data/multivalued-key-exceptions.txt`
    and reports neither this rule nor `set-operator-on-single-value` (IAM213) on them.

    ## References
    - [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    - [IAM Access Analyzer policy checks: Missing qualifier](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM214"
    name = "missing-set-operator"
    severity = Severity.ERROR
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if condition.qualifier is not None or condition.type in (None, "Null"):
                    continue
                if multivalued(condition.key):
                    operator = condition.operator
                    yield Finding(condition.key_node, f"`{condition.key}` can hold several values: write "
                                                      f"`ForAllValues:{operator}` (every value must match) or "
                                                      f"`ForAnyValue:{operator}` (one must)")
