from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import granted_on_every_resource, listing


class CredentialsExposure(Rule):
    """Actions that return credentials are allowed on every resource.

    The actions are in `iamlint/data/credentials-exposure.txt` (from policy_sentry):
    `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `redshift:GetClusterCredentials`,
    `sts:GetFederationToken`, ...; those that accept no resource but `*` in the service data
    (`ecr:GetAuthorizationToken`, `sts:GetSessionToken`,
    `cognito-identity:GetCredentialsForIdentity`) are left out: `*` is the only way to grant
    them. Reported at the action (or wildcard) that grants them with `"Resource": "*"` (or an ARN
    pattern of every resource of their service, as `wildcard-resource` reads it:
    `arn:aws:iam::*:*`), unless a
    condition confines the resources (resource and object tags, key aliases, account,
    organization, the source a service acts for: `aws:SourceArn`, `aws:SourceAccount`,
    `aws:SourceOrgID`; network, MFA; as for `wildcard-resource`, a negated, `...IfExists` or
    `ForAllValues:` test does not, nor a `*` value); a self-service grant on
    `arn:aws:iam::*:user/${aws:username}` is not reported.

    ## Why is this bad?
    The response carries keys, tokens or passwords: whoever can call the action for any
    resource can mint credentials for other users or services and act as them.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:ListAccessKeys"], "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:ListAccessKeys"],
                     "Resource": "arn:aws:iam::*:user/${aws:username}"}]
    }
    ```

    ## References
    - [policy_sentry: credentials exposure](https://github.com/salesforce/policy_sentry/blob/master/policy_sentry/shared/data/audit/credentials-exposure.txt)
    """

    code = "IAM310"
    name = "credentials-exposure"
    severity = Severity.WARNING
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, granted, resource in granted_on_every_resource(policy, read_list("credentials-exposure")):
            yield Finding(node, f"allows obtaining credentials for any resource: {listing(granted)} on "
                                f"`{resource.value}`")
