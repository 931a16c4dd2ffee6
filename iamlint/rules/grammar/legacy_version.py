from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class LegacyVersion(Rule):
    """A policy says `"Version": "2008-10-17"`, the old policy language.

    Reported at the value. SCPs and RCPs, which accept only `2012-10-17`, are
    `invalid-version`'s (IAM103).

    ## Why is this bad?
    Under `2008-10-17`, policy variables (`${aws:username}`) are literal text and newer
    features of the policy language are missing, so a policy can mean less than it says.
    Nothing needs the old version: AWS's own examples and generated policies use
    `2012-10-17`.

    ## Example
    ```json
    {
      "Version": "2008-10-17",
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

    code = "IAM120"
    name = "legacy-version"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource", "trust", "boundary"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        version = policy.root.get("Version")
        if version is not None and version.value == "2008-10-17":
            yield Finding(version, "`2008-10-17` is the old policy language: policy variables are literal text and "
                                   "newer features are missing; use `2012-10-17`")
