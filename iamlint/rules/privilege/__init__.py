"""IAM3xx: least privilege. Deny statements are guardrails and never reported as too broad."""

from __future__ import annotations

from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator

from iamlint.arns import comparable, is_every_resource, service_of
from iamlint.policy import ActionCatalogue, Statement, action_matches


def service_part(action: str) -> str:
    return action.split(":", 1)[0] if ":" in action else action


def is_every_action(action: str) -> bool:
    """`*`, `*:*`, `*:Get*`...: a pattern whose service part matches every service."""
    return service_part(action) == "*"


def is_full_admin(statement: Statement) -> bool:
    return statement.is_allow and statement.resource_star() is not None and any(
        n.value.strip() in ("*", "*:*") for n in statement.strings("Action"))


# Condition keys that confine which resources or requests a statement applies to: with one of
# them tested positively, a "*" resource is not "every resource" any more. The source keys
# confine a grant to what a service does on behalf of particular resources or accounts.
RESOURCE_NARROWING_KEYS = frozenset(k.lower() for k in (
    "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:SourceVpc", "aws:SourceVpce",
    "aws:SourceIp", "aws:PrincipalOrgID", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService",
    "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID",
    "kms:ResourceAliases",  # the key's aliases: which keys, as a resource tag would say
    "s3:ResourceAccount",  # S3's own aws:ResourceAccount
    "ec2:CreateAction",  # `ec2:CreateTags` only while creating the resource
))


def narrowing_condition(statement: Statement) -> bool:
    """True when a condition confines the statement by resource tag, account, organization,
    network, MFA or calling service (see ``Condition.narrows``: not negated, not ``...IfExists``,
    not ``ForAllValues:``, no value that matches everything)."""
    return statement.conditions().narrows(_resource_narrowing_key)


def _resource_narrowing_key(name: str) -> bool:
    """The keys above, and tags of the resource: `aws:ResourceTag/...`, a service's own
    (`ec2:ResourceTag/...`), an S3 object's (`s3:ExistingObjectTag/...`)."""
    return name in RESOURCE_NARROWING_KEYS or "resourcetag/" in name or name.startswith("s3:existingobjecttag/")


def every_resource(statement: Statement) -> list[tuple[object, str]]:
    """(node, service pattern) of the ``Resource`` values that stand for every resource of their
    kind: ``"*"`` (service ``*``), else ARN patterns such as ``arn:aws:s3:::*/*`` (``s3``),
    ``arn:*:s3:::*``, ``arn:aws:logs:*:*:*`` or ``arn:aws:*:*:*:*`` (``*``)."""
    star = statement.resource_star()
    if star is not None:
        return [(star, "*")]
    found = []
    for node in statement.get("Resource").elements() if statement.get("Resource") is not None else ():
        arn = comparable(node.value)  # `arn:${AWS::Partition}:s3:::*` is every bucket too
        if arn is not None and arn.startswith("arn:") and is_every_resource(arn):
            found.append((node, service_of(arn)))
    return found


def of_service(service: str, actions) -> list[str]:
    """The actions (``s3:GetObject``) of a service pattern of an ARN (``s3``, ``*``)."""
    return [a for a in actions if service == "*" or action_matches(service, service_part(a))]


def granted_on_every_resource(policy, actions: tuple[str, ...]) -> Iterator[tuple[object, list[str], object]]:
    """(node, actions, resource) for each Allow statement on every resource (``"*"``, or
    ``every_resource``'s ARN patterns for the actions of their service) that no condition
    confines: ``granted_by_node``, for the actions that could have been limited to particular
    resources, with the resource node that makes them granted on every resource."""
    actions = resource_level_only(actions)
    for statement in policy.statements():
        if not statement.is_allow:
            continue
        resources = every_resource(statement)
        if not resources or narrowing_condition(statement):
            continue
        for node, granted in granted_by_node(statement, actions):
            for resource, service in resources:
                covered = of_service(service, granted)
                if covered:
                    yield node, covered, resource
                    break


def granted_by_node(statement: Statement, actions: tuple[str, ...]) -> list[tuple[object, list[str]]]:
    """(node, actions) for the actions of ``actions`` an Allow statement grants, each with the
    first ``Action`` pattern (or the ``NotAction`` key) that grants it; ``*`` itself is left to
    the rules that say more about it (full-admin, wildcard-action)."""
    if not statement.is_allow:
        return []
    granted, found = set(), []
    for node, hits in statement.covers(catalogue(actions)):  # in document order
        fresh = [action for action in hits if action not in granted]
        granted.update(fresh)
        if fresh and not (node.is_string and node.value.strip() in ("*", "*:*")):
            found.append((node, fresh))
    return found


@cache
def resource_level_only(actions: tuple[str, ...]) -> tuple[str, ...]:
    """The actions that name a resource type in the service data: the others
    (`ecr:GetAuthorizationToken`, `sts:GetSessionToken`) accept no resource but `*`, so granting
    them on `*` is no choice of the author's. Actions the data does not know are kept."""
    from iamlint import services

    def limitable(action: str) -> bool:
        known = services.expand(action)
        return not known or any(a.resource_level for a in known)

    return tuple(action for action in actions if limitable(action))


@cache
def catalogue(actions: tuple[str, ...]) -> ActionCatalogue:
    """One catalogue per action list, for the life of the process: the lists are data, read once."""
    return ActionCatalogue(actions)


def listing(names: list[str], shown: int = 3) -> str:
    """`a`, `b`, `c` and 4 more."""
    text = ", ".join(f"`{n}`" for n in names[:shown])
    return text + (f" and {len(names) - shown} more" if len(names) > shown else "")
