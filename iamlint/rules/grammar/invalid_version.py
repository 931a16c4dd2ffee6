from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule, either, show


class InvalidVersion(SchemaRule):
    """`Version` is not one of the two policy language versions.

    The only values are `2012-10-17` (current) and `2008-10-17` (legacy); SCPs and RCPs take
    `2012-10-17` only. `Version` is not a date you choose: today's date is an error.

    ## Why is this bad?
    AWS rejects the policy.

    ## Example
    ```json
    {
      "Version": "2024-01-01",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
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
    - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    """

    code = "IAM103"
    name = "invalid-version"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.path == ("Version",) and error.keyword in ("enum", "const", "type"):
            allowed = error.expected if error.keyword == "enum" else ["2012-10-17"]
            return f"`Version` must be {either(allowed)}, got {show(error.instance)}"
        return None
