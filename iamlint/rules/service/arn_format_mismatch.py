from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns, services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

# ARN services whose resource types the data lists only in part: API Gateway's REST (v1) and
# HTTP/WebSocket (v2) APIs share `apigateway`, and `execute-api` ARNs name any route of any API
INCOMPLETE_ARN_SERVICES = frozenset({"apigateway", "execute-api"})
# Resources AWS owns, whose ARNs have an empty account although the data gives their type one:
# (ARN service, resource type) -> how the resource part of AWS's own resources starts
# (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`, `arn:aws:ssm:*::parameter/aws/service/...`)
AWS_OWNED = {
    ("ssm", "document"): "document/",
    ("ssm", "automation-definition"): "automation-definition/",
    ("ssm", "parameter"): "parameter/aws/",
    ("resource-explorer-2", "view"): "view/",
}
_WILD = re.compile(r"[*?]|\$\{")


def candidates(arn: arns.Arn) -> tuple[arns.ArnFormat, ...] | None:
    """The resource types of the ARN's service whose format the ARN may be of: those whose
    pattern matches a literal resource part, or, for a resource part with wildcards or
    variables, those whose literal start agrees with the ARN's (``role/*`` may be a role or a
    role of a service, not a user). None when the service is not known or not literal."""
    service = arn.service
    if not service.literal or service.text != service.text.lower():
        return None
    resource = arn.resource
    return _candidates(service.text, resource.text, resource.literal)


@services.cached(maxsize=16384)
def _candidates(service: str, resource: str | None, literal: bool) -> tuple[arns.ArnFormat, ...] | None:
    indexed = _by_start(service)
    if indexed is None:
        return None
    formats, lengths, by_start = indexed
    if literal:  # the formats whose fixed start the resource part begins with, then their pattern
        return tuple([f for length in lengths if length <= len(resource)
                      for f in by_start.get(resource[:length], ()) if f.matches(resource)])
    if resource is None:
        return formats
    start = _WILD.split(resource, 1)[0]
    return tuple([f for f in formats if f.literal_start.startswith(start) or start.startswith(f.literal_start)])


@services.cached(maxsize=1024)
def _by_start(service: str) -> tuple | None:
    """A service's ARN formats, and the same by the fixed start of their resource part."""
    formats = tuple(arns.arn_formats(service))
    if not formats:
        return None
    by_start: dict[str, list] = {}
    for f in formats:
        by_start.setdefault(f.literal_start, []).append(f)
    return formats, sorted({len(start) for start in by_start}), by_start


@services.cached(maxsize=16384)
def matches_no_resource_type(text: str) -> bool:
    """Whether an ARN has a literal resource part that is no resource type of its service (in a
    service whose types the data lists in full)."""
    arn = arns.parse(text)
    if arn is None or not arn.resource.literal or arn.service.text in INCOMPLETE_ARN_SERVICES:
        return False
    return candidates(arn) == ()


def _types(service: str, formats) -> str:
    names = [f"`{n}`" for n in dict.fromkeys(f.resource_type for f in formats)]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} more"]
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"`{service}` ARNs of type {shown}"


def _closest(resource: str, formats) -> str:
    """The resource types whose format starts most like ``resource``, for the message."""
    def shared(f) -> int:
        start = f.literal_start
        n = 0
        while n < min(len(start), len(resource)) and start[n] == resource[n]:
            n += 1
        return n

    ranked = sorted(formats, key=shared, reverse=True)
    names = list(dict.fromkeys(f.resource_type for f in ranked))
    return ", ".join(f"`{n}`" for n in names[:4]) + (", ..." if len(names) > 4 else "")


def _aws_owned(service: str, arn: arns.Arn, formats) -> bool:
    """Whether the ARN may name a resource AWS owns, whose account is empty."""
    resource = arn.resource.text
    start = "" if resource is None else _WILD.split(resource, 1)[0]
    for f in formats:
        owned = AWS_OWNED.get((service, f.resource_type))
        if owned is not None and (owned.startswith(start) or start.startswith(owned)):
            return True
    return False


@services.cached(maxsize=16384)
def _problems_of(text: str) -> tuple[str, ...]:
    return tuple(problems(arns.parse(text)))


def problems(arn: arns.Arn) -> list[str]:
    """What the ARN's Region, account and resource part say against its service's ARN formats."""
    found = []
    formats = candidates(arn)
    if formats is None:
        return found
    service, shown = arn.service.text, arn.text
    if not formats:
        if arn.resource.literal and service not in INCOMPLETE_ARN_SERVICES:
            every = arns.arn_formats(service)
            found.append(f"`{shown}` matches no `{service}` resource type ({_closest(arn.resource.text, every)}): "
                         "no resource has this ARN")
        return found
    region, account = arn.region, arn.account
    if region.literal and region.text and all(f.region == "" for f in formats):
        found.append(f"`{shown}` names Region `{region.text}`, but {_types(service, formats)} have no Region: "
                     "this ARN matches nothing")
    elif region.empty and all(f.region != "" for f in formats):
        found.append(f"`{shown}` has no Region, but {_types(service, formats)} need one: this ARN matches nothing")
    if account.literal and account.text and all(f.account == "" for f in formats):
        found.append(f"`{shown}` names account `{account.text}`, but {_types(service, formats)} have no account: "
                     "this ARN matches nothing")
    elif account.empty and all(f.account != "" for f in formats) and not _aws_owned(service, arn, formats):
        found.append(f"`{shown}` has no account, but {_types(service, formats)} need one: "
                     "this ARN matches nothing")
    return found


class ArnFormatMismatch(Rule):
    """A `Resource` or `NotResource` ARN does not fit the ARN format of any resource type of
    its service.

    The service data gives each resource type's ARN format: an SQS queue is
    `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`, an IAM role
    `arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}` (no Region). The ARN is compared
    with the formats of its service (the third field) that its resource part may be of:
    reported when that part, written out, matches no resource type (`roles/deployer`), when it
    names a Region but none of those types has one (or has none and all of them need one), and
    the same for the account. Resource parts with wildcards or policy variables are compared by
    their text before them (`role/*` may be any role); fields with wildcards, variables or pieces
    only known when deployed are not judged. Services the data does not know, API Gateway's
    (its data lists its resource types in part) and AWS's own resources with an empty account
    (SSM documents and `parameter/aws/...` parameters, Resource Explorer views) are left alone.

    ## Why is this bad?
    No resource has such an ARN: the statement grants (or denies) nothing on it. A Region in
    an IAM or S3 bucket ARN, an account missing from a queue or a log group, `roles/` for
    `role/`: IAM Access Analyzer reports each as an error.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                     "Resource": "arn:aws:iam:us-east-1:111122223333:role/deployer"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                     "Resource": "arn:aws:iam::111122223333:role/deployer"}]
    }
    ```

    ## Known problems
    The service data is a snapshot (`iamlint --version` gives its date): a resource type a
    service has added since reads as no resource type. The data gives some resource types of
    AWS's own an account they do not have; the ones known are listed in the rule.

    ## References
    - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM208"
    name = "arn-format-mismatch"
    severity = Severity.ERROR
    kinds = frozenset({"identity", "resource", "scp", "rcp", "boundary"})
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, arn in arns.policy_arns(policy):
            value = node.value
            for message in _problems_of(value) if type(value) is str else problems(arn):
                yield Finding(node, message)
