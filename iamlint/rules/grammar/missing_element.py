from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.policy import a_kind
from iamlint.rules.grammar import SchemaRule


class MissingElement(SchemaRule):
    """A required element is missing: `Statement`, `Effect`, `Action`/`NotAction`; `Resource`
    in an identity policy; `Principal` in a resource or trust policy.

    Reported at the opening brace of the policy or statement that lacks it.

    ## Why is this bad?
    AWS rejects the policy. A trust policy without `Principal` or an identity policy without
    `Resource` is usually a statement copied from the other kind of policy.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]
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

    code = "IAM108"
    name = "missing-element"
    severity = Severity.ERROR

    def claim(self, error, policy):
        kind = a_kind(policy.kind)
        if error.keyword == "required" and len(error.path) in (0, 2):
            missing = [key for key in error.expected if key not in (error.instance or {})]
            owner = "the policy" if not error.path else "this statement"
            return f"{owner} has no `{'`, `'.join(missing)}`"
        if error.keyword == "anyOf" and all(set(b) == {"required"} for b in error.expected):
            keys = [branch["required"][0] for branch in error.expected]
            wanted = " or ".join(f"`{k}`" for k in keys)
            return f"this statement has no {wanted}, which {kind} requires"
        return None
