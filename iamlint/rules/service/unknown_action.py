from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import checked_actions, suggestion


@services.cached(maxsize=4096)
def _suggest(prefix: str, name: str) -> str:
    service = services.service(prefix)
    found = suggestion(name, service.action_names, cutoff=0.85)  # a near miss, not a new action
    return found.replace("`", f"`{prefix}:", 1) if found else ""


class UnknownAction(Rule):
    """An action that the service does not have, or a wildcard that matches none of its actions.

    Checked against iamlint's snapshot of the Service Authorization Reference, in any case:
    `s3:GetObjct` and `s3:Gett*` are reported, `s3:getobject` and `s3:Get*` are not. The
    message suggests the closest action and says how old the data is: AWS adds actions every
    week, so a brand-new action may be missing from it (this is a warning for that reason).

    ## Why is this bad?
    IAM accepts the policy and ignores the action: the permission a typo was meant to grant is
    missing, or the action a Deny was meant to block stays allowed.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObjct", "s3:Lst*"], "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM202"
    name = "unknown-action"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, prefix, name, actions in checked_actions(policy):
            if actions or actions is None and services.service(prefix) is None:
                continue  # known, or an unknown service (unknown-service says so)
            service = services.service(prefix)
            as_of = f"(service data of {services.data_date()})"
            if "*" in name or "?" in name:
                yield Finding(node, f"`{node.value}` matches no action of {service.name} {as_of}")
            else:
                yield Finding(node, f"`{node.value}` is not an action of {service.name} {as_of}"
                                    f"{_suggest(service.prefix, name)}")
