from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import policy_entries
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class DuplicateConditionKey(Rule):
    """A condition key appears twice in one operator block, spelt in different case.

    Condition key names ignore case: `aws:PrincipalTag/team` and `aws:principaltag/team` are
    one key. Reported at the later spelling. The same key in two different operator blocks is
    fine (both tests must hold); a key repeated byte for byte is `duplicate-key` (IAM002).

    ## Why is this bad?
    Two spellings of one key in one block do not add a test: IAM keeps only one of them, so
    one of the values the author meant to require is silently dropped.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a",
                                                    "aws:principaltag/team": "b"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Condition](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)
    """

    code = "IAM118"
    name = "duplicate-condition-key"
    severity = Severity.ERROR

    def check(self, policy, ctx) -> Iterable[Finding]:
        if len(policy_entries(policy)) < 2:
            return
        for statement in policy.statements():
            seen: dict[tuple[str, str], object] = {}
            for condition in statement.conditions():
                where = (condition.operator, condition.name)
                first = seen.get(where)
                if first is None:
                    seen[where] = condition
                    continue
                yield Finding(condition.key_node,
                              f"`{condition.key}` repeats `{first.key}` (line {first.key_node.span.line}) in the "
                              f"same `{condition.operator}` block: condition keys ignore case, so one of them is lost",
                              related=((f"first `{first.key}`", first.key_node),))
