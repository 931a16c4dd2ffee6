from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class PassroleWildcard(Rule):
    """`iam:PassRole` is allowed on every role (`"Resource": "*"`).

    Counts PassRole granted directly, through a wildcard (`iam:*`, `iam:Pass*`, `*`) or through
    `NotAction` that does not exclude it. Reported at the `*` resource.

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
    """

    code = "IAM307"
    name = "passrole-wildcard"
    severity = Severity.ERROR
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            star = statement.resource_star()
            grants = statement.grants("iam:PassRole") if star is not None else []
            if grants:
                through = grants[0].value if grants[0].is_string else "NotAction"
                how = "" if through.lower() == "iam:passrole" else f" (through `{through}`)"
                yield Finding(star, f"`iam:PassRole` is allowed{how} on every role (`Resource: \"*\"`); "
                                    "name the roles that may be passed")
