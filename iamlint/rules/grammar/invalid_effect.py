from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.policy import a_kind
from iamlint.rules.grammar import SchemaRule, either, show


class InvalidEffect(SchemaRule):
    """`Effect` is neither `Allow` nor `Deny` (case matters), or not `Deny` in an RCP.

    ## Why is this bad?
    AWS rejects the policy. `allow`, `Permit` or `Grant` are common slips.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Effect](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html)
    """

    code = "IAM104"
    name = "invalid-effect"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if len(error.path) == 3 and error.path[2] == "Effect" and error.keyword in ("enum", "const", "type"):
            if error.keyword == "const":
                return f"`Effect` must be {show(error.expected)} in {a_kind(policy.kind)}, got {show(error.instance)}"
            return f"`Effect` must be {either(['Allow', 'Deny'])}, got {show(error.instance)}"
        return None
