from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.grammar import opening


class MissingVersion(Rule):
    """The policy has no `Version` element.

    Reported at the policy's opening brace.

    ## Why is this bad?
    Without `Version`, IAM reads the policy as language version `2008-10-17`, in which policy
    variables such as `${aws:username}` are plain text: a resource meant for "the caller's own
    folder" matches only a folder literally named `${aws:username}`. SCPs and RCPs must say
    `2012-10-17`.

    ## Example
    ```json
    {
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
      ]
    }
    ```

    ## References
    - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    """

    code = "IAM102"
    name = "missing-version"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.root.is_mapping and policy.root.get("Version") is None:
            yield Finding(policy.root, 'the policy has no `Version`; add `"Version": "2012-10-17"`',
                          span=opening(policy.root))
