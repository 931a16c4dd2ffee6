from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# keys about the calling principal, absent when an AWS service principal calls
PRINCIPAL_KEY = re.compile(r"aws:(principalorgid|principalorgpaths|principalaccount|principalarn|principaltag/.+"
                           r"|principaltype|userid|username)", re.I)
# keys about the resource a service acts for, present only when a service principal calls for one
SOURCE_KEYS = frozenset(("aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceaccount", "aws:sourcearn"))
IS_AWS_SERVICE = "aws:principalisawsservice"


class RcpMissingGuard(Rule):
    """An RCP statement tests principal or source keys without the guards for AWS services.

    The guards keep AWS services acting for you (principal keys), or your own principals (source
    keys), out of the statement's way.

    Three checks per statement, each reported at the key it is about:
    - it tests a principal key (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
      `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalTag/...`, `aws:PrincipalType`,
      `aws:userid`, `aws:username`) with no `Bool`/`BoolIfExists` `aws:PrincipalIsAWSService` =
      `false`;
    - it tests a source key (`aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceAccount`,
      `aws:SourceArn`, a `Null` test aside) with no `aws:PrincipalIsAWSService` = `true`;
    - as the second, with no `Null` test requiring `aws:SourceAccount` or `aws:SourceArn` (`false`).

    ## Why is this bad?
    RCPs apply to every request to your resources, AWS services acting for you included. Service
    principals carry no principal keys: a perimeter on `aws:PrincipalOrgID` with `...IfExists`
    denies them (CloudTrail stops writing to your bucket), unless the statement is limited to
    non-service callers. Source keys are the other way round: only services acting for a
    resource carry them, so a perimeter on `aws:SourceOrgID` also catches your own principals,
    and services acting on no one's behalf, unless the statement is limited to service callers
    that carry the key.

    ## Example
    ```json kind=rcp
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                     "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Use instead
    ```json kind=rcp
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                     "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                                   "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]
    }
    ```

    ## References
    - [IAM Access Analyzer policy checks: RCP missing related principal condition key](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-rcp-missing-related-principal-condition-key)
    - [Resource control policy examples](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html)
    - [Data perimeter policy examples](https://github.com/aws-samples/data-perimeter-policy-examples)
    """

    code = "IAM223"
    name = "rcp-missing-guard"
    severity = Severity.WARNING
    kinds = frozenset({"rcp"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            conditions = statement.conditions()
            if not conditions:
                continue
            is_service = {c.truth for c in conditions.on((IS_AWS_SERVICE,)) if c.type == "Bool"}
            principal = next((c for c in conditions if PRINCIPAL_KEY.fullmatch(c.key)), None)
            if principal is not None and False not in is_service:
                yield Finding(principal.key_node, f"RCPs also apply to AWS services acting for you, whose requests "
                                                  f"carry no `{principal.key}`: add `\"BoolIfExists\": "
                                                  f"{{\"aws:PrincipalIsAWSService\": \"false\"}}` so that this "
                                                  f"statement leaves them alone")
            source = next((c for c in conditions if c.name in SOURCE_KEYS and c.type not in (None, "Null")), None)
            if source is None:
                continue
            missing = []
            if True not in is_service:
                missing.append('`"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}` (your own principals '
                               'carry no source keys)')
            if not any(c.type == "Null" and c.truth is False for c in conditions.on(("aws:sourceaccount",
                                                                                      "aws:sourcearn"))):
                missing.append('`"Null": {"aws:SourceAccount": "false"}` (AWS services acting on their own '
                               'behalf carry none)')
            if missing:
                yield Finding(source.key_node, f"`{source.key}` is only in requests of AWS services acting for a "
                                               f"resource: add {' and '.join(missing)}, so that this statement "
                                               f"applies to those requests only")
