from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import checked_actions


def retired_text(entry: services.OutsideTheReference) -> str:
    when = entry.retired
    if when == "-":
        return "has been retired"
    return f"was retired on {when}" if len(when) == 10 else f"was retired in {when}"


class RetiredService(Rule):
    """An action of an AWS service that has been retired.

    The prefixes are in `iamlint/data/retired-services.txt`, with the date support ended, taken
    from each service's end-of-support notice: `evidently` (CloudWatch Evidently, 2025),
    `iotevents`, `codestar`, `iot1click`, `deepracer`, `robomaker`, `qldb`, ... They are reported
    whether or not the service data still lists the service (the Service Authorization Reference
    lags a retirement as much as a launch), and `unknown-service` never reports them as typos.

    An info, not a warning: the entry grants nothing and denies nothing any more, so it changes
    nothing today, where a typo (`unknown-service`, a warning) silently drops a permission that
    was meant. Raise it with `[rules.retired-service] severity = "warning"` to clean policies up.

    ## Why is this bad?
    The statement reads as if it granted (or, in a Deny, blocked) something, and it does not: a
    reviewer has to know the service is gone to read the policy right. Dead entries also count
    against the policy size quota and hide the permissions that still matter.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["evidently:GetProject", "cloudwatch:GetMetricData"],
                     "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["cloudwatch:GetMetricData"], "Resource": "*"}]
    }
    ```

    ## References
    - [Amazon CloudWatch Evidently end of support](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Evidently.html)
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM207"
    name = "retired-service"
    severity = Severity.INFO
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, prefix, _, _ in checked_actions(policy):
            entry = services.outside_the_reference(prefix)
            if entry is not None and entry.retired:
                yield Finding(node, f"`{prefix}` ({entry.name}) {retired_text(entry)}: its actions no longer exist, "
                                    f"so `{node.value}` has no effect")
