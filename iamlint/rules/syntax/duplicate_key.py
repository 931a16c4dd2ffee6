from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.parsers.json_parser import ParsedJSON
from iamlint.rules.base import ReaderRule


class DuplicateKey(ReaderRule):
    """A key appears twice in the same JSON object.

    Reported at the second occurrence, naming the line of the first (a related location). iamlint checks the last
    value, as most JSON readers keep it, but the earlier one is never dropped silently.

    ## Why is this bad?
    The IAM grammar forbids repeated keys, and readers disagree on which value wins: a reviewer
    may read the first `"Resource"` while AWS, or the tool that uploads the policy, uses the
    second. Two `Statement` keys hide a whole set of permissions from review.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
         "Resource": "*"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::reports/*", "arn:aws:s3:::logs/*"]}
      ]
    }
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    code = "IAM002"
    name = "duplicate-key"
    severity = Severity.ERROR

    def check_file(self, parsed: ParsedJSON) -> Iterable[Finding]:
        for first, second in parsed.duplicates:
            yield Finding(second, f"duplicate key `{second.value}` (first at line {first.span.line}); "
                                  "only this last value is used", related=((f"first `{first.value}`", first),))
