from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.arns import comparable
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service.arn_format_mismatch import matches_no_resource_type

_WILD = re.compile(r"[*?]|\$\{")
_VARIABLE = re.compile(r"\$\{[^}]*\}")  # `${aws:PrincipalAccount}`: its colon splits no field


def arn_fields(arn: str) -> list[str]:
    """The six fields of an ARN (fewer when it is none), each policy variable read as `${}`."""
    return (_VARIABLE.sub("${}", arn) if "${" in arn else arn).split(":", 5)
# API Gateway's REST (v1) and HTTP/WebSocket (v2) APIs share the prefix `apigateway`, and the data
# lists only one set of resource types for its actions.
INCOMPLETE_SERVICES = frozenset({"apigateway"})
# services renamed with both ARN spellings accepted
SAME_SERVICE = {"codestar-connections": "codeconnections"}


@lru_cache(maxsize=4096)
def _resource_regex(pattern: str) -> re.Pattern:
    """The resource part of an ARN pattern (`${BucketName}/${ObjectName}`) as a regex."""
    parts = re.split(r"\$\{[^}]*\}", pattern)
    return re.compile(".+".join(re.escape(p) for p in parts), re.S)


def _canonical(service: str) -> str:
    service = service.lower()
    return SAME_SERVICE.get(service, service)


@lru_cache(maxsize=16384)
def _type_patterns(prefix: str, name: str) -> tuple[tuple[str | None, str, str], ...]:
    """(service, literal start, resource part) of each resource type pattern of an action; the
    service is None when the pattern leaves it to a variable (`${Vendor}`: any service)."""
    service = services.service(prefix)
    found = []
    for rtype in service.action(name).resource_types:
        pattern = service.resource_arns.get(rtype) if rtype else None
        fields = pattern.split(":", 5) if pattern is not None else ()
        if len(fields) == 6:
            found.append((None if fields[2].startswith("${") else _canonical(fields[2]),
                          fields[5].split("${", 1)[0], fields[5]))
    return tuple(found)


def applies(action: services.Action, arn: str) -> bool:
    """Whether ``arn`` can be a resource of ``action``: same service, and a resource type whose
    pattern matches the ARN's resource part; when that part has a wildcard or a variable, its
    literal text before them must agree with the pattern's (``volume/*`` is no ``instance/...``)."""
    if not action.resource_level or action.service in INCOMPLETE_SERVICES:
        return True  # IAM applies it whatever the ARN says, or the data cannot tell
    fields = arn_fields(arn)
    arn_service, resource = _canonical(fields[2]), fields[5]
    wild = _WILD.search(resource)
    prefix = resource[:wild.start()] if wild else ""
    for service, literal, pattern in _type_patterns(action.service, action.name):
        if service is not None and service != arn_service:
            continue
        if wild:
            if prefix.startswith(literal) or literal.startswith(prefix):
                return True
        elif _resource_regex(pattern).fullmatch(resource):
            return True
    return False


class ResourceTypeMismatch(Rule):
    """A resource ARN that none of the statement's actions can apply to.

    Each action has resource types with ARN patterns (service data): `s3:GetObject` applies to
    objects (`arn:aws:s3:::bucket/key`), `s3:ListBucket` to buckets (`arn:aws:s3:::bucket`). An
    ARN is reported when no action of its statement has a resource type of that service whose
    pattern matches it. ARNs with a wildcard or a policy variable in the resource part are
    compared by the literal text before it: `arn:aws:ec2:*:*:volume/*` is no resource of
    `ec2:StartInstances` (instances only), nor `arn:aws:lambda:*:*:function/*` of any Lambda
    action (functions are `function:name`), while `arn:aws:s3:::*` may be anything of S3's.
    Statements with `NotAction`, `*`, an unknown action or an unknown service are left alone,
    and so are actions without resource types (they apply whatever the ARN) and API Gateway's
    (the data merges its two APIs' resource types). An ARN that is no resource type of its
    service at all (`arn:aws:iam::111122223333:roles/deployer`) is `arn-format-mismatch`'s
    (IAM208).

    ## Why is this bad?
    The statement grants nothing on that resource: `s3:GetObject` on `arn:aws:s3:::reports` (the
    bucket, not its objects) is the classic mistake, which users then "fix" with `Resource: *`.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Known problems
    The service data is a snapshot (`iamlint --version` gives its date): a resource type a
    service has added since, or one it forgot to list for an action, reads as a mismatch.

    ## References
    - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    code = "IAM205"
    name = "resource-type-mismatch"
    severity = Severity.WARNING
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            patterns = statement.strings("Action")
            if statement.get("NotAction") is not None or not patterns:
                continue
            actions = []
            for node in patterns:
                expanded = services.expand(node.value)
                if not expanded:
                    break  # `*`, an unknown service or action: nothing certain to say
                actions.extend(expanded)
            else:
                for node in statement.get("Resource").elements() if statement.get("Resource") else ():
                    arn = comparable(node.value)  # pseudo parameters stand for one of their values
                    if arn is None:
                        continue
                    fields = arn_fields(arn)
                    if len(fields) < 6 or fields[0] != "arn" or _WILD.search(fields[2]):
                        continue
                    if matches_no_resource_type(arn):
                        continue  # no resource of its service has this ARN: arn-format-mismatch says so
                    if not any(applies(action, arn) for action in actions):
                        names = ", ".join(sorted({a.full_name for a in actions})[:3])
                        more = f" and {len(set(actions)) - 3} more" if len(set(actions)) > 3 else ""
                        written = node.value if node.is_string else node.value.spelled()
                        yield Finding(node, f"no action of this statement ({names}{more}) applies to "
                                            f"`{written}`; check the resource type")
