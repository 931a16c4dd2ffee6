from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule, in_element, show


class InvalidArn(SchemaRule):
    """A `Resource` or `NotResource` entry is neither `*` nor an ARN.

    An ARN has six colon-separated parts: `arn:partition:service:region:account:resource`
    (region and account may be empty, as in `arn:aws:s3:::bucket`). Wildcards and policy
    variables may stand in any part.

    ## Why is this bad?
    AWS rejects the policy. A bare bucket name or a missing `arn:` prefix is the usual slip.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "reports/*"}]
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
    - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    """

    code = "IAM111"
    name = "invalid-arn"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.keyword != "pattern" or not in_element(error.path, ("Resource", "NotResource")):
            return None
        value = error.instance
        if not value.startswith("arn:"):
            return f"{show(value)} is not an ARN; write `arn:partition:service:region:account:resource` or `*`"
        parts = value.count(":") + 1
        return f"{show(value)} is not a valid ARN: it needs six `:`-separated parts, this has {min(parts, 6)}" \
            if parts < 6 else f"{show(value)} is not a valid ARN: unknown partition or empty service"
