from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule, show


class InvalidSid(SchemaRule):
    """A `Sid` contains characters other than ASCII letters and digits.

    Applies to identity, trust, boundary, SCP and RCP policies. Resource policies are checked
    by the service that stores them, several of which (S3, SQS, SNS) accept spaces and more,
    so their `Sid` only has to be a string.

    ## Why is this bad?
    IAM rejects the policy: `Sid` supports `A-Z`, `a-z` and `0-9` only. Hyphens and spaces
    are the usual slips.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "read-reports", "Effect": "Allow", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    """

    code = "IAM106"
    name = "invalid-sid"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if len(error.path) == 3 and error.path[2] == "Sid" and error.keyword == "pattern":
            return f"`Sid` {show(error.instance)} may contain only ASCII letters and digits"
        return None
