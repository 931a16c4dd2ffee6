from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule, in_element, show


class InvalidActionFormat(SchemaRule):
    """An action is not written as `service:ActionName` (or `*`).

    The service prefix and the action name are separated by one colon; `*` and `?` may stand
    anywhere in the name. In an SCP a wildcard may only stand alone or end the name
    (`s3:Get*`, not `s3:*Object`).

    ## Why is this bad?
    AWS rejects the policy, or, in an SCP, the statement does not restrict what it seems to.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3.GetObject", "Resource": "arn:aws:s3:::reports/*"}]
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
    - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    - [SCP syntax](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html)
    """

    code = "IAM110"
    name = "invalid-action-format"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.keyword != "pattern" or not in_element(error.path, ("Action", "NotAction")):
            return None
        value = error.instance
        if policy.kind == "scp" and ":" in value and "*" in value.split(":", 1)[1].rstrip("*"):
            return f"{show(value)}: in an SCP a wildcard may only stand alone or at the end of the action name"
        return f"{show(value)} is not an action; write `service:ActionName` (e.g. `s3:GetObject`) or `*`"
