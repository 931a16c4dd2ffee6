from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns, services
from iamlint.diagnostics import Finding, Severity
from iamlint.policy import KINDS, action_matches
from iamlint.rules.base import Rule
from iamlint.rules.privilege import catalogue, listing
from iamlint.rules.service.resource_type_mismatch import applies
from iamlint.values import is_opaque

_WILD = re.compile(r"[*?]|\$\{[^}]*\}")


@services.cached(maxsize=256)
def concrete_actions(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The actions a list of patterns stands for: a wildcard (`s3:Delete*`) expanded through the
    service data, a name kept as written (also one the data does not know)."""
    found = []
    for pattern in patterns:
        expanded = services.expand(pattern) if "*" in pattern or "?" in pattern else None
        if expanded:
            found.extend(action.full_name for action in expanded)
        else:
            found.append(pattern)
    return tuple(dict.fromkeys(found))


def _every(value: str) -> bool:
    return "*" in value and not value.strip().strip("*?")


def _field_overlap(a: str, b: str) -> bool:
    """Whether two ARN fields (globs, maybe with policy variables) may match one same text."""
    if a == b:
        return True
    wild_a, wild_b = _WILD.search(a), _WILD.search(b)
    if wild_a is None and wild_b is None:
        return False
    start_a, start_b = a[:wild_a.start()] if wild_a else a, b[:wild_b.start()] if wild_b else b
    if not (start_a.startswith(start_b) or start_b.startswith(start_a)):
        return False
    end_a = a[[m.end() for m in _WILD.finditer(a)][-1]:] if wild_a else a
    end_b = b[[m.end() for m in _WILD.finditer(b)][-1]:] if wild_b else b
    return end_a.endswith(end_b) or end_b.endswith(end_a)


def may_overlap(a: str, b: str) -> bool:
    """Whether two resource patterns may match one same resource (an over-estimate: field by
    field, the text before the first wildcard and after the last must agree)."""
    if _every(a) or _every(b) or arns.arn_covers(a, b) or arns.arn_covers(b, a):
        return True
    fields_a, fields_b = arns.parse(a), arns.parse(b)
    if fields_a is None or fields_b is None:
        return a == b
    return all(_field_overlap(x.text, y.text) for x, y in zip(fields_a[1:], fields_b[1:], strict=True))


def _applies(action: str, resource: str | None) -> bool:
    """Whether ``action`` can apply to ``resource`` (the service data's resource types; an action or
    resource the data cannot judge may)."""
    if resource is None or arns.parse(resource) is None:
        return True
    known = services.expand(action)
    return not known or any(applies(a, resource) for a in known)


def _unconditional_denies(policy) -> list:
    """The Deny statements that apply to every request of every principal: no `Condition`, no
    `NotPrincipal`, a `Principal` of `*` or none."""
    found = []
    for statement in policy.statements():
        node = statement.node
        if statement.effect != "Deny" or node.get("Condition") is not None or node.get("NotPrincipal") is not None:
            continue
        principal = node.get("Principal")
        if principal is not None and not (principal.value == "*" or (
                principal.is_mapping and set(principal.value) == {"AWS"}
                and [n.value for n in principal.value["AWS"].elements()] == ["*"])):
            continue
        found.append(statement)
    return found


def _denies(statement, action: str, resource: str | None) -> bool:
    """Whether an unconditional Deny covers ``action`` on ``resource`` (None: the policy's own
    resource, or a value only known when deployed)."""
    if statement.node.get("Action") is not None:
        if not any(action_matches(n.value, action) for n in statement.strings("Action")):
            return False
    elif statement.node.get("NotAction") is not None:
        if any(action_matches(n.value, action) for n in statement.strings("NotAction")):
            return False
    else:
        return False
    if statement.node.get("NotResource") is not None:
        return False
    entries = statement.strings("Resource")
    if statement.node.get("Resource") is None:
        return True
    if resource is None:
        return any(_every(n.value) for n in entries)
    return any(arns.arn_covers(n.value, resource) for n in entries)


class AccessNotGranted(Rule):
    """A policy grants an action that the configuration says must not be granted (on the
    resources it lists).

    The team names the actions (`actions`) and, optionally, the resources (`resources`) no
    policy may allow; the rule reports each `Allow` statement that grants one of those actions
    (by name, through a wildcard such as `s3:*` or `*`, or through `NotAction`) on a resource
    that may be one of the listed ones and that the action can apply to (`s3:DeleteBucket` is
    not granted on a queue's ARN), unless a `Deny` of the same policy with no condition
    takes it away again. An `Allow`'s own conditions do not silence it: some request can
    still be allowed. Silent until `actions` is set; a listed wildcard (`iam:Delete*`) stands
    for every action of the service data it matches. This is IAM Access Analyzer's
    `check-access-not-granted`, offline.

    ## Why is this bad?
    Some actions must never be granted by the policies in a repository: deleting the audit
    trail's bucket, disabling GuardDuty, leaving the organization. Listing them once in the
    configuration turns that rule into a check on every pull request.

    ## Example
    ```json options={"actions": ["s3:DeleteBucket"]}
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json options={"actions": ["s3:DeleteBucket"]}
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]
    }
    ```

    ## Options
    - `actions`: the actions no policy may grant (`["s3:DeleteBucket", "cloudtrail:StopLogging"]`);
      wildcards allowed. Empty (the default): the rule reports nothing.
    - `resources`: the resources they must not be granted on (ARN patterns); empty (the
      default): any resource.
    - `kinds`: the policy kinds checked (default `["identity", "resource"]`).
    - `message`: text added to each message, such as the reason or whom to ask.
    - `opaque_resources`: how to read a resource only known when deployed (`!Ref Bucket`):
      `"ignore"` (the default) or `"assume-overlap"` (it may be a listed resource).

    ```toml
    [tool.iamlint.rules.access-not-granted]
    actions = ["s3:DeleteBucket", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]
    resources = ["arn:aws:s3:::audit-*", "arn:aws:cloudtrail:*:*:trail/audit"]
    message = "the audit trail is managed by the security team"
    ```

    ## References
    - [Access Analyzer custom policy checks](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html)
    - [CheckAccessNotGranted](https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckAccessNotGranted.html)
    """

    code = "IAM322"
    name = "access-not-granted"
    severity = Severity.ERROR
    kinds = frozenset(KINDS)
    uses_service_data = True
    options = {"actions": [], "resources": [], "kinds": ["identity", "resource"], "message": "",
               "opaque_resources": "ignore"}

    def check(self, policy, ctx) -> Iterable[Finding]:
        patterns = tuple(ctx.option("actions"))
        if not patterns or policy.kind not in ctx.option("kinds"):
            return
        listed_resources = list(ctx.option("resources"))
        assume_overlap = ctx.option("opaque_resources") == "assume-overlap"
        extra = ctx.option("message")
        denies = None
        wanted = catalogue(concrete_actions(patterns))
        for statement in policy.statements():
            if not statement.is_allow:
                continue
            targets = self._targets(statement, listed_resources, assume_overlap)
            if not targets:
                continue
            for node, hits in statement.covers(wanted):
                if denies is None:
                    denies = _unconditional_denies(policy)
                granted, where = [], None
                for action in hits:
                    on = next((shown for shown, covering in targets if _applies(action, covering[0]) and not any(
                        _denies(d, action, resource) for d in denies for resource in covering)), None)
                    if on is not None:
                        granted.append(action)
                        where = where or on
                if granted:
                    message = f"grants {listing(granted)} (listed in `access-not-granted.actions`) on {where}"
                    yield Finding(node, f"{message}: {extra}" if extra else message)

    @staticmethod
    def _targets(statement, listed: list[str], assume_overlap: bool) -> list[tuple[str, tuple]]:
        """(how to name it, what a Deny must cover to take it away) for each resource of the
        statement that may be a listed one; a Deny that covers any of the latter does (None: a
        resource only known when deployed, which only a Deny of every resource covers)."""
        node = statement.node
        if node.get("NotResource") is not None:
            excluded = [n.value for n in statement.strings("NotResource")]
            if listed:
                kept = [r for r in listed if not any(arns.arn_covers(e, r) for e in excluded)]
                return [(f"`{r}` (not excluded by `NotResource`)", (r,)) for r in kept[:1]]
            if any(_every(e) for e in excluded):
                return []
            return [("every resource but those in `NotResource`", (None,))]
        resource = node.get("Resource")
        if resource is None:
            return [("the resource this policy protects", (None,))]
        found = []
        for entry in resource.elements():
            if entry.is_string:
                text, shown = entry.value, entry.value
            elif is_opaque(entry):
                text, shown = arns.comparable(entry.value), entry.value.spelled()
            else:
                continue
            if text is None:
                if assume_overlap:
                    found.append((f"`{shown}`", (None,)))
                continue
            if not listed:
                found.append((f"`{shown}`", (text,)))
                continue
            overlapping = next((r for r in listed if may_overlap(text, r)), None)
            if overlapping is not None:
                found.append((f"`{shown}`", (text, overlapping)))
        return found
