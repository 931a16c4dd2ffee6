from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.policy import action_matches
from iamlint.rules.base import Rule
from iamlint.rules.service import ACTION_ELEMENTS


def _covers(wide: str, narrow: str) -> bool:
    """Whether pattern ``wide`` matches everything pattern ``narrow`` does (and is not the same)."""
    if wide.lower() == narrow.lower() or ("*" not in wide and "?" not in wide):
        return False
    if "*" not in narrow and "?" not in narrow:
        return action_matches(wide, narrow)
    # a wildcard covers another when it is `*`, or a prefix wildcard of which the other is an extension
    if wide.strip() in ("*", "*:*"):
        return True
    return wide.endswith("*") and "*" not in wide[:-1] and "?" not in wide and \
        narrow.lower().startswith(wide[:-1].lower())


class RedundantAction(Rule):
    """An action is listed twice, or is already covered by a wildcard of the same statement.

    Names are compared in any case (`s3:GetObject` and `s3:getobject` are the same action);
    `s3:GetObject` next to `s3:Get*` or `s3:*` is covered. Reported at the redundant entry.

    ## Why is this bad?
    It grants nothing more, but it makes the policy longer (size limits count it) and suggests
    a narrower grant than the wildcard really gives: a reviewer reads `s3:GetObject` and
    misses that `s3:*` two lines up grants everything.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject", "s3:ListBucket", "s3:ListBucket"],
                     "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                     "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    """

    code = "IAM206"
    name = "redundant-action"
    severity = Severity.INFO

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for element in ACTION_ELEMENTS:
                nodes = statement.strings(element)
                wildcards: dict[str, list] = {}  # service prefix -> its wildcard patterns: only these can cover
                for other in nodes:
                    if "*" in other.value or "?" in other.value:
                        wildcards.setdefault(other.value.partition(":")[0].lower(), []).append(other)
                seen = {}
                for node in nodes:
                    lowered = node.value.lower()
                    first = seen.get(lowered)
                    if first is not None:
                        yield Finding(node, f"`{node.value}` is already listed (line {first.span.line})",
                                      related=((f"first `{first.value}`", first),))
                        continue
                    seen[lowered] = node
                    candidates = wildcards.get(lowered.partition(":")[0], []) + wildcards.get("*", [])
                    wider = next((other for other in candidates if _covers(other.value, node.value)), None)
                    if wider is not None:
                        yield Finding(node, f"`{node.value}` is already covered by `{wider.value}`")
