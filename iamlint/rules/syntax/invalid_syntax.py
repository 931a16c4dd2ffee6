from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.base import ReaderRule


class InvalidSyntax(ReaderRule):
    """The file is not valid JSON, so the policy in it cannot be read.

    Reported at the position where the parser stopped, with what it expected there. Strict JSON
    is what IAM and the AWS CLI accept: no comments, no trailing commas, no single quotes, no
    `NaN` or `Infinity`. A file is only reported when it looks like a policy (it mentions
    `"Statement"`) or is empty, so a broken `tsconfig.json` handed over by pre-commit is left alone.

    ## Why is this bad?
    AWS rejects the whole policy (`MalformedPolicyDocument`), and nothing else in the file can
    be checked until it parses.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
      ]
    }
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    code = "IAM001"
    name = "invalid-syntax"
    severity = Severity.ERROR
