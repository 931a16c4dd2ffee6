from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import every_resource, is_every_action, listing, narrowing_condition, of_service

LEVELS = ("Write", "Permissions management", "Tagging")


@services.cached(maxsize=16384)
def _limitable(pattern: str) -> tuple[str, ...]:
    """The actions of a pattern that could be limited to particular resources (service data)."""
    return tuple(action.full_name for action in services.expand(pattern) or ()
                 if action.level in LEVELS and action.resource_level)


class WildcardResource(Rule):
    """`"Resource": "*"` with actions that could be limited to particular resources.

    Reported at the `*` when the statement allows actions at the Write, Permissions management
    or Tagging access level that support resource-level permissions (service data), naming them.
    An ARN pattern of every resource of a service counts as `*` for that service's actions and
    is reported the same way: region and account `*` or empty and a resource part of wildcards
    only (`arn:aws:s3:::*`, `arn:aws:s3:::*/*`, `arn:*:logs:*:*:*`, `arn:aws:*:*:*:*`); a
    literal account or resource type (`arn:aws:sqs:*:111122223333:*`,
    `arn:aws:dynamodb:*:*:table/*`) is a choice, and is not.
    Actions that only work on `*` (`ec2:Describe*`, `xray:PutTraceSegments`,
    `logs:DescribeLogGroups`) never trigger it, nor do read and list actions. Dropped when a
    condition confines the resources: `aws:ResourceTag/...` or a service's resource tag key, an
    S3 object's tag (`s3:ExistingObjectTag/...`), a KMS key's aliases (`kms:ResourceAliases`),
    tagging while creating (`ec2:CreateAction`), `aws:ResourceAccount` (and S3's
    `s3:ResourceAccount`), `aws:ResourceOrgID`, the source a service acts for (`aws:SourceArn`,
    `aws:SourceAccount`, `aws:SourceOrgID`), network (`aws:SourceVpce`, `aws:SourceIp`) or MFA
    keys, tested with an operator that is false when the key is absent (not negated, not
    `...IfExists`, not `ForAllValues:`) and values that do not match everything (`*` does, except
    on a tag key: `StringLike` `aws:ResourceTag/team` `*` confines to what carries the tag).
    `Action: "*"` is `wildcard-action`'s business, `NotAction` is `allow-not-action`'s.

    ## Why is this bad?
    The statement can change every resource of that kind in the account, today's and
    tomorrow's, where the workload needs a handful: the gap between the permission and the need
    is what least privilege closes.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:DeleteMessage"], "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:DeleteMessage"],
                     "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]
    }
    ```

    ## References
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM304"
    name = "wildcard-resource"
    severity = Severity.WARNING
    uses_service_data = True
    kinds = frozenset({"identity", "boundary"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.is_allow:
                continue
            resources = every_resource(statement)
            if not resources or narrowing_condition(statement):
                continue
            limitable = set()
            for node in statement.strings("Action"):
                if not is_every_action(node.value):
                    limitable.update(_limitable(node.value))
            for resource, service in resources:  # each action once, at the first resource that covers it
                mine = sorted(of_service(service, limitable))
                limitable.difference_update(mine)
                if mine:
                    verb = "is" if len(mine) == 1 else "are"
                    yield Finding(resource, f"{listing(mine)} can be limited to particular resources but {verb} "
                                            f"allowed on every resource (`{resource.value}`)")
