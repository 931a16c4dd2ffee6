from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class DuplicateSid(Rule):
    """Two statements of one policy have the same `Sid`.

    Reported at the second one, naming the line of the first (a related location). A Terraform
    document that merges others (`source_policy_documents`) is checked as the policy the provider
    renders, when iamlint can read every document it merges: two merged documents with the same
    `Sid` are reported at the second one's reference (Terraform refuses them), while a statement
    that the document's own statements or `override_policy_documents` replace is no duplicate.

    ## Why is this bad?
    IAM requires statement ids to be unique within a policy and rejects the policy otherwise.
    Where a service accepts it, the `Sid` no longer identifies a statement in reviews and logs.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "ListReports", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}
      ]
    }
    ```

    ## References
    - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    """

    code = "IAM105"
    name = "duplicate-sid"
    severity = Severity.ERROR
    whole_policy = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        seen = {}
        for statement in policy.statements():
            sid = statement.get("Sid")
            if sid is None or not sid.is_string or sid.value == "":
                continue
            first = seen.get(sid.value)
            if first is not None:
                yield Finding(sid, f"`Sid` {sid.value!r} is already used by the statement at line {first.span.line}",
                              related=((f"first `Sid` {sid.value!r}", first),))
            else:
                seen[sid.value] = sid
