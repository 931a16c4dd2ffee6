from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

ACTION = "iam:CreateServiceLinkedRole"
SERVICE_ROLES = "role/aws-service-role/"  # then `<service principal>/<role name>`
_WILD = re.compile(r"[*?]|\$\{")


def granting(statement, action: str) -> list:
    """The nodes through which an Allow statement grants ``action``, the `*` patterns left out
    (full-admin and wildcard-action say more about those)."""
    return [n for n in statement.grants(action) if not (n.is_string and n.value.strip() in ("*", "*:*"))]


def through(node, action: str) -> str:
    """`` (through `iam:*`)``, `` (through `NotAction`)``, or nothing when the action is named."""
    if not node.is_string:
        return " (through `NotAction`)"
    return "" if node.value.lower() == action.lower() else f" (through `{node.value}`)"


def many_service_roles(value) -> str:
    """Whether a resource pattern matches the service-linked roles of more than one service:
    ``"every"`` for `*`, `arn:aws:iam::111122223333:*`, `...:role/*`, `...:role/aws-service-role/*`,
    ``"several"`` for `...:role/aws-service-role/ecs*`; ``""`` for one service's,
    `...:role/aws-service-role/ecs.amazonaws.com/*`."""
    text = value if type(value) is str else arns.comparable(value)
    return "" if text is None else _many_service_roles(text.strip())


@lru_cache(maxsize=8192)
def _many_service_roles(text: str) -> str:
    if text and not text.strip("*?") and "*" in text:
        return "every"
    arn = arns.parse(text)
    if arn is None or arn.service.text is None or arn.region.text is None or arn.resource.text is None:
        return ""
    if not arns.glob_covers(arn.service.text, "iam") or not arns.glob_covers(arn.region.text, ""):
        return ""
    resource = arn.resource.text
    wild = _WILD.search(resource)
    if wild is None:
        return ""
    start = resource[:wild.start()]
    if SERVICE_ROLES.startswith(start):
        return "every"
    return "several" if start.startswith(SERVICE_ROLES) and "/" not in start[len(SERVICE_ROLES):] else ""


class ServiceLinkedRoleWildcard(Rule):
    """`iam:CreateServiceLinkedRole` is allowed on the service-linked roles of every service.

    Reported when an `Allow` statement grants `iam:CreateServiceLinkedRole` (by name, through a
    wildcard such as `iam:*` or `iam:Create*`, or through a `NotAction` that does not exclude it)
    and either uses `NotResource`, or has a resource that matches the service-linked roles of
    more than one service (`*`, `arn:aws:iam::111122223333:role/*`,
    `arn:aws:iam::111122223333:role/aws-service-role/*`), with no condition limiting which
    service (`iam:AWSServiceName`). Reported at the pattern that grants it (at `NotResource` when
    that is the cause). `"Action": "*"` is left to `full-admin` (IAM301) and `wildcard-action`
    (IAM302).

    ## Why is this bad?
    A service-linked role carries the permissions its service needs, often broad ones, and the
    service can then act with them in the account. Letting a principal create the role of any
    service (including services the account does not use yet) goes beyond what it needs: name
    the role of the service it works with, or limit the service with `iam:AWSServiceName`.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
                     "Condition": {"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}}}]
    }
    ```

    ## References
    - [Using service-linked roles](https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM321"
    name = "service-linked-role-wildcard"
    severity = Severity.WARNING
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement, element, entries in arns.policy_resources(policy):
            # the resources first: most statements name no resource that could be every service's role
            wide = None
            if element == "NotResource":
                if statement.get("Resource") is not None:
                    continue  # both elements: conflicting-elements says so
            else:
                wide = next(((n, many) for n in entries if (many := many_service_roles(n.value))), None)
                if wide is None:
                    continue
            if not statement.is_allow:
                continue
            grants = granting(statement, ACTION)
            if not grants or statement.conditions().narrows(("iam:awsservicename",)):
                continue
            how = through(grants[0], ACTION)
            if wide is None:
                not_resource = statement.get("NotResource")
                yield Finding(not_resource.key or not_resource,
                              f"`{ACTION}` is allowed{how} with `NotResource`: the service-linked role of every "
                              "service but those listed can be created; name the service's role in `Resource` or "
                              "test `iam:AWSServiceName`")
                continue
            node, many = wide
            shown = node.value if node.is_string else node.value.spelled()
            yield Finding(grants[0], f"`{ACTION}` is allowed{how} on the service-linked roles of {many} "
                                     f"service{'s' if many == 'several' else ''} (`{shown}`): "
                                     f"{'any' if many == 'every' else 'more than one'} service's role can be "
                                     "created; name the service's role ARN or test `iam:AWSServiceName`")
