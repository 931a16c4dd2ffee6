from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.parsers.json_parser import ParsedJSON
from iamlint.rules.base import ReaderRule


class NumberOutOfRange(ReaderRule):
    """A number no 64-bit number can hold: larger than about 1.8e308, or YAML's `.inf` and `.nan`.

    iamlint reads such a number as a value (infinity, or not-a-number) and goes on; this rule
    says where it is. Numbers of any length are read, however many digits they have.

    ## Why is this bad?
    JSON has no infinity and no not-a-number, and most JSON readers hold numbers as 64-bit
    floats: they turn `1e999` into infinity, or reject the document. What AWS stores is then not
    what was written, or the deployment fails. A condition value such as
    `"NumericLessThan": {"s3:max-keys": 1e999}` compares against infinity at best.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
         "Condition": {"NumericLessThan": {"s3:max-keys": 1e999}}}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
         "Condition": {"NumericLessThan": {"s3:max-keys": 1000}}}
      ]
    }
    ```

    ## References
    - [RFC 8259: numbers](https://www.rfc-editor.org/rfc/rfc8259#section-6) (numbers beyond a
      64-bit float "might indicate potential interoperability problems")
    - [IAM JSON policy elements: Condition](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)
    """

    code = "IAM006"
    name = "number-out-of-range"
    severity = Severity.WARNING

    def check_file(self, parsed: ParsedJSON) -> Iterable[Finding]:
        for node, literal in getattr(parsed, "huge_numbers", ()):  # (a format's tree may not record them)
            value = node.value
            shown = literal if len(literal) <= 24 else f"{literal[:10]}...{literal[-6:]}"
            digits = f" ({sum(c.isdigit() for c in literal):,} digits)" if len(literal) > 24 else ""
            if value != value:
                yield Finding(node, f"`{shown}` is not a number: JSON cannot hold it, and AWS cannot read it")
            elif literal.lstrip("+-").lower() == ".inf":
                yield Finding(node, f"`{shown}` is infinity: JSON cannot hold it, and AWS cannot read it")
            else:
                yield Finding(node, f"`{shown}`{digits} is beyond the largest 64-bit number (about 1.8e308): "
                                    "JSON readers turn it into infinity or reject it")
