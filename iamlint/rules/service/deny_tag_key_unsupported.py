from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Iterator

    from iamlint.conditions import Condition
    from iamlint.nodes import Node
    from iamlint.policy import Statement

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key

# the global tag keys: only actions (and their resource types) that support them see them
TAG_KEY = re.compile(r"aws:(resourcetag/.+|requesttag/.+|tagkeys)", re.I)
# how the service data spells each (support does not depend on the tag key: the data has no other)
SPELLED = {"aws:resourcetag/": "aws:ResourceTag/${TagKey}", "aws:requesttag/": "aws:RequestTag/${TagKey}",
           "aws:tagkeys": "aws:TagKeys"}


def spelled(key: str) -> str:
    """`aws:ResourceTag/team` -> `aws:ResourceTag/${TagKey}`, as the service data lists it."""
    lowered = key.lower()
    return SPELLED.get(lowered) or SPELLED[lowered[:lowered.index("/") + 1]]


def tag_entries(statement: Statement) -> list[Condition]:
    """The statement's condition entries on `aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`."""
    return [c for c in statement.conditions() if c.name.startswith(_TAG_PREFIXES) and TAG_KEY.fullmatch(c.key)]


def tagged_statements(policy) -> list[Statement]:
    """The statements that test a tag key, in document order (once per policy)."""
    found = policy.cache.get("tagged_statements")
    if found is None:
        by_index = {statement.index: statement for name, pairs in conditions_by_key(policy).items()
                    if name.startswith(_TAG_PREFIXES) and TAG_KEY.fullmatch(name) for statement, _ in pairs}
        found = policy.cache["tagged_statements"] = [by_index[index] for index in sorted(by_index)]
    return found


_TAG_PREFIXES = tuple(SPELLED)


@services.cached(maxsize=16384)
def supported_tag_keys(pattern: str) -> frozenset[str] | None:
    """The tag keys (as the data spells them: ``spelled``) that some action the pattern (lower
    case) stands for supports; None when its actions are not known (`*`, an unknown service, a
    wildcard prefix)."""
    actions = services.expand(pattern)
    if not actions:
        return None
    found: set[str] = set()
    for action in actions:
        for key in _SPELLINGS:
            if key not in found and action.lists_any((key,)):
                found.add(key)
        if len(found) == len(_SPELLINGS):
            break
    return frozenset(found)


_SPELLINGS = tuple(SPELLED.values())


def unsupported(statement: Statement, entries: list[Condition]) -> Iterator[tuple[Node, list[Condition], bool]]:
    """(where, the entries whose key it does not support, whether it is ``NotAction``) for each
    ``Action`` pattern none of whose actions supports a tested key, and for ``NotAction`` (its
    key, with every entry): the actions it leaves are all those not listed, new ones too, and
    many support no tag key."""
    if statement.get("Action") is None:
        not_action = statement.get("NotAction")
        if not_action is not None:
            yield not_action.key or not_action, entries, True
        return
    wanted = [(entry, spelled(entry.key)) for entry in entries]
    for node in statement.strings("Action"):
        supported = supported_tag_keys(node.value.lower())
        if supported is None:
            continue
        missing = [entry for entry, key in wanted if key not in supported]
        if missing:
            yield node, missing, False


def keys_of(entries: list[Condition]) -> str:
    """`aws:ResourceTag/status` or `aws:ResourceTag/a` and `aws:TagKeys`: each key once."""
    seen = list(dict.fromkeys(entry.key for entry in entries))
    return " and ".join(f"`{key}`" for key in seen)


class DenyTagKeyUnsupported(Rule):
    """A `Deny` tests a tag key on actions that do not support it, or with `NotAction`.

    Tag keys are `aws:ResourceTag/...`, `aws:RequestTag/...` and `aws:TagKeys`.

    Only tests that need the key are considered (`StringEquals`, `StringLike`,
    `ForAnyValue:...`, ...): the request must carry the key for the `Deny` to apply. An action
    pattern is reported when none of the actions it stands for supports the key, by the service
    data (the action's keys and its resource types' keys); with `NotAction`, the statement is
    reported at `NotAction`, since the actions it leaves include every action that supports no
    tag key, present and future. Negated and `...IfExists` tests are left alone: for a request
    without the key they are true, and the `Deny` applies (whatever the tags).

    ## Why is this bad?
    An action that does not support the key never has it in its requests, so the test is false
    and the `Deny` never applies to it, however the resource is tagged: the guard you meant to
    set has a hole. Deny such actions in a statement of their own that does not depend on tags
    (by resource name, for example).

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "DenyDeleteConfidential", "Effect": "Deny",
                     "Action": ["appmesh:DeleteMesh", "backup:DeleteBackupPlan", "route53:DeleteHostedZone"],
                     "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/status": "Confidential"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "DenyDeleteConfidential", "Effect": "Deny", "Action": ["appmesh:DeleteMesh", "backup:DeleteBackupPlan"],
         "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/status": "Confidential"}}},
        {"Sid": "DenyDeleteConfidentialZone", "Effect": "Deny", "Action": "route53:DeleteHostedZone",
         "Resource": "arn:aws:route53:::hostedzone/Z0123456789CONFIDENTIAL"}
      ]
    }
    ```

    ## Known problems
    Support for tag keys comes from the service data; a service that adds it is reported until
    the data knows (`iamlint --version` names its date).

    ## References
    - [IAM Access Analyzer policy checks: Deny with unsupported tag condition key for service](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-deny-with-unsupported-tag-condition-key-for-service)
    - [AWS services that work with IAM (the ABAC column)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html)
    """

    code = "IAM216"
    name = "deny-tag-key-unsupported"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in tagged_statements(policy):
            if statement.effect != "Deny":
                continue
            entries = [entry for entry in tag_entries(statement) if entry.requires_key]
            if not entries:
                continue
            for node, missing, not_action in unsupported(statement, entries):
                if not_action:
                    yield Finding(node, f"with `NotAction`, the actions that do not support {keys_of(missing)} are "
                                        f"not denied by this statement, whatever the tags; list the actions to deny")
                else:
                    yield Finding(node, f"`{node.value}` does not support {keys_of(missing)}: this `Deny` never "
                                        f"applies to it; deny it in a statement without the tag condition")
