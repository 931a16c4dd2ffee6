from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import is_opaque_value
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key

VPC_KEYS = ("aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn")


def _selects_specific_attributes(statement) -> bool:
    """Whether the statement requires `dynamodb:Select` = `SPECIFIC_ATTRIBUTES` (a value known
    only when deployed counts)."""
    for entry in statement.conditions().on(("dynamodb:select",)):
        if entry.requires_key and entry.type == "String" and any(
                is_opaque_value(v.value) or (type(v.value) is str and v.value.upper() == "SPECIFIC_ATTRIBUTES")
                for v in entry.values):
            return True
    return False


class MissingPairedConditionKey(Rule):
    """A condition key that is only safe with a partner key is tested without it.

    The pairs, from Access Analyzer's checks: `aws:VpcSourceIp` needs `aws:SourceVpc`,
    `aws:SourceVpce` or `aws:SourceVpcArn` in the same statement; `dynamodb:Attributes` needs
    `dynamodb:Select` required to be `SPECIFIC_ATTRIBUTES`. A `Null` test of the first key is not
    a use of it. Reported at the first key.

    ## Why is this bad?
    `aws:VpcSourceIp` is the caller's private address, which every VPC can reuse: alone it
    matches that address in any VPC of any account. `dynamodb:Attributes` only constrains the
    attributes a request names: a `GetItem` or `Query` without a projection names none and
    returns every attribute, unless `dynamodb:Select` forces a projection.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"},
                                   "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]
    }
    ```

    ## References
    - [IAM Access Analyzer policy checks: Missing paired condition keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-missing-paired-condition-keys)
    - [AWS global condition context keys: aws:VpcSourceIp](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip)
    - [Using IAM policy conditions for fine-grained access control (DynamoDB)](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html)
    """

    code = "IAM219"
    name = "missing-paired-condition-key"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        index = conditions_by_key(policy)
        reported: set[tuple[int, str]] = set()  # (statement, key): once per statement
        for statement, entry in index.get("aws:vpcsourceip", ()):
            if entry.type == "Null" or (statement.index, entry.name) in reported:
                continue
            if not statement.conditions().names.intersection(VPC_KEYS):
                reported.add((statement.index, entry.name))
                yield Finding(entry.key_node, f"`{entry.key}` alone matches that address in any VPC: pair it "
                                              f"with `aws:SourceVpc` (or `aws:SourceVpce`) in this statement")
        for statement, entry in index.get("dynamodb:attributes", ()):
            if entry.type == "Null" or (statement.index, entry.name) in reported:
                continue
            if not _selects_specific_attributes(statement):
                reported.add((statement.index, entry.name))
                yield Finding(entry.key_node, f"`{entry.key}` without `dynamodb:Select` = "
                                              f"`SPECIFIC_ATTRIBUTES` lets a read without a projection return "
                                              f"every attribute; require it in this statement")
