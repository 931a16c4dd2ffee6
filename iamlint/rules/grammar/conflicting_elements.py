from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.rules.grammar import SchemaRule


class ConflictingElements(SchemaRule):
    """A statement has both an element and its `Not` form: `Action` and `NotAction`,
    `Resource` and `NotResource`, or `Principal` and `NotPrincipal`.

    Reported at the one that comes second.

    ## Why is this bad?
    AWS rejects the statement: each pair is a choice of one. Which of the two the author meant
    cannot be guessed, and they mean nearly opposite things.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:DeleteObject",
         "Resource": "arn:aws:s3:::reports/*"}
      ]
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
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    code = "IAM107"
    name = "conflicting-elements"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.keyword == "not" and isinstance(error.expected, dict) and "required" in error.expected:
            first, second = error.expected["required"]
            return f"`{first}` and `{second}` cannot be used in the same statement; keep one"
        return None
