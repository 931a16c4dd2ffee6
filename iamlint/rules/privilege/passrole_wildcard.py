from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from functools import lru_cache

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


def every_role(value) -> bool:
    """Whether a resource pattern matches every role of an account (or of every account):
    `arn:aws:iam::111122223333:role/*`, `...:role/*/*`, `arn:aws:iam::*:*`; not a path or a
    name prefix (`role/lambda/*`, `role/Service*`)."""
    text = value if type(value) is str else arns.comparable(value)
    return text is not None and _every_role(text.strip())


@lru_cache(maxsize=8192)
def _every_role(text: str) -> bool:
    if text and not text.strip("*?") and "*" in text:
        return True
    arn = arns.parse(text)
    if arn is None or None in (arn.service.text, arn.region.text, arn.resource.text):
        return False
    if not arns.glob_covers(arn.service.text, "iam") or not arns.glob_covers(arn.region.text, ""):
        return False
    resource = arn.resource.text
    if resource.startswith("role/") and "*" in resource[5:] and not resource[5:].strip("*?/"):
        return True  # `role/*`, `role/*/*`: every role (of every path)
    pieces = arns.star_pieces(resource)  # a regex for each pattern would cost more than the test
    return arns.star_match(pieces, "role/*") if pieces is not None else arns.glob_covers(resource, "role/*")


class PassroleWildcard(Rule):
    """`iam:PassRole` is allowed on every role (`"Resource": "*"`).

    Counts PassRole granted directly, through a wildcard (`iam:*`, `iam:Pass*`, `*`) or through
    `NotAction` that does not exclude it. Reported at the `*` resource; also at a resource that
    matches every role of an account (`arn:aws:iam::111122223333:role/*`, `arn:aws:iam::*:*`;
    not a path or a name prefix such as `role/lambda/*` or `role/Service*`), and at `NotResource`
    (every role but those listed). A condition that limits the services the role may be passed
    to (`iam:PassedToService`) silences it, as IAM Access Analyzer advises.

    ## Why is this bad?
    PassRole lets a principal hand any role in the account to a service: launch an EC2 instance
    or a Lambda function with an administrator role and act as that role. It is the classic
    privilege escalation path.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["lambda:CreateFunction", "iam:PassRole"], "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/lambda-reports",
         "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
      ]
    }
    ```

    ## References
    - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM307"
    name = "passrole-wildcard"
    severity = Severity.ERROR
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement, element, entries in arns.policy_resources(policy):
            # the resources first: most statements name no resource that could be every role
            star = not_resource = None
            wide = []
            if element == "NotResource":
                if statement.get("Resource") is not None:
                    continue  # both elements: conflicting-elements says so
                not_resource = statement.get("NotResource")
            else:
                star = next((node for node in entries if node.value == "*"), None)
                if star is None:
                    wide = [node for node in entries if every_role(node.value)]
                    if not wide:
                        continue
            grants = statement.grants("iam:PassRole")
            if not grants or statement.conditions().narrows(("iam:passedtoservice",)):
                continue
            through = grants[0].value if grants[0].is_string else "NotAction"
            how = "" if through.lower() == "iam:passrole" else f" (through `{through}`)"
            if star is not None:
                yield Finding(star, f"`iam:PassRole` is allowed{how} on every role (`Resource: \"*\"`); "
                                    "name the roles that may be passed")
            elif not_resource is not None:
                yield Finding(not_resource.key or not_resource,
                              f"`iam:PassRole` is allowed{how} on every role except those listed (`NotResource`); "
                              "name the roles that may be passed in `Resource`, or test `iam:PassedToService`")
            for node in wide:
                shown = node.value if node.is_string else node.value.spelled()
                yield Finding(node, f"`iam:PassRole` is allowed{how} on every role (`{shown}`); "
                                    "name the roles that may be passed, or test `iam:PassedToService`")
