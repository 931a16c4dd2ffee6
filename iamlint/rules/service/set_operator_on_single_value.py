from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import is_audience_claim, multivalued
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class SetOperatorOnSingleValue(Rule):
    """A set operator on a key that holds one value: `ForAllValues:` on a single-valued key, or
    `ForAnyValue:` on an identity provider's audience claim (`token.actions.githubusercontent.com:aud`).

    A key is single-valued when the service data or IAM's list of global keys types it as
    anything but `ArrayOf...` (identity providers' claims are typed from STS's keys). Keys of
    unknown type are not reported (a custom provider's `aud` is `audience-claim-qualifier`'s,
    IAM227), nor are the keys that AWS itself uses both ways (see Known problems).
    `ForAnyValue:` on other single-valued keys behaves as the plain operator and is not reported.
    Reported at the key.

    ## Why is this bad?
    `ForAllValues:` is true when every value of the key in the request matches, and so also when
    the request has no such key at all: `ForAllValues:StringEquals` on `aws:PrincipalOrgID`
    lets in principals that belong to no organization. On an audience claim, `ForAnyValue:` tells
    readers that a token may carry several audiences and that one of them is enough; AWS reads
    the claim as single-valued and Access Analyzer reports the qualifier as a security warning:
    the plain operator says what is meant.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Known problems
    The data types some keys one way while AWS uses them the other way too; iamlint lists them in
    `iamlint/data/multivalued-key-exceptions.txt` (`codestar-connections:ProviderAction`,
    `cognito-identity.amazonaws.com:amr`, ...) and reports neither this rule nor
    `missing-set-operator` (IAM214) on them.

    ## References
    - [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    - [IAM Access Analyzer policy checks: ForAllValues with single valued key, ForAnyValue with audience claim type](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM213"
    name = "set-operator-on-single-value"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if condition.qualifier is None or condition.type in (None, "Null"):
                    continue
                key = condition.key
                if condition.qualifier == "ForAnyValue":
                    if is_audience_claim(key):
                        plain = condition.operator.partition(":")[2]
                        yield Finding(condition.key_node, f"`ForAnyValue:` on the audience claim `{key}`: the claim "
                                                          f"is single-valued; use `{plain}`")
                elif multivalued(key) is False:
                    yield Finding(condition.key_node, f"`ForAllValues:` on the single-valued key `{key}` is also "
                                                      "true when the key is missing: drop `ForAllValues:`")
