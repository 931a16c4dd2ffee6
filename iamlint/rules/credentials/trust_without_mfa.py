from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import is_opaque_value
from iamlint.diagnostics import Finding, Severity
from iamlint.principals import account_root
from iamlint.rules.base import Rule
from iamlint.rules.credentials import requires_mfa

# An account (12 digits, or its root ARN) or an IAM user ARN: principals a person signs in as.
_HUMAN = r"^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user/.+))$"
# What `aws:PrincipalArn` may confine an account to and leave no person: roles and their sessions.
_ROLE = re.compile(r"^arn:aws[a-z-]*:(iam::[^:]*:role/|sts::[^:]*:assumed-role/)")


def confined_to_roles(statement) -> bool:
    """True when the statement requires `aws:PrincipalArn` to be particular roles (or role sessions):
    an account principal so narrowed is a role trusting roles, which carry no MFA of their own.
    A value known only when deployed (`!GetAtt DeployRole.Arn`) counts as a role."""
    return any(c.narrows() and all(is_opaque_value(v.value) or (type(v.value) is str and _ROLE.match(v.value))
                                   for v in c.values)
               for c in statement.conditions().on(("aws:principalarn",)))


class TrustWithoutMfa(Rule):
    """A trust policy lets an AWS account or an IAM user assume the role without MFA.

    Fires for `AWS` principals that are an account (`123456789012`,
    `arn:aws:iam::123456789012:root`, also built with functions or variables:
    `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, `!Ref AWS::AccountId`, a `Fn::Join`
    over a parameter, Terraform's `arn:aws:iam::${var.account}:root`) or an IAM user, in an `Allow`
    of `sts:AssumeRole`, when
    the statement has neither an MFA condition (`Bool` or `ForAnyValue:Bool`
    `aws:MultiFactorAuthPresent` `true`, or `NumericLessThan` `aws:MultiFactorAuthAge`) nor
    an `sts:ExternalId` condition (the third-party pattern, where MFA is impossible; a negated,
    `...IfExists` or `ForAllValues:` test, or a `*` value, does not require one). Never for
    `Service` or `Federated` principals (services cannot do MFA; identity providers do it
    themselves), nor for role principals (role chaining carries no MFA of its own), nor for an
    account that the statement confines to roles with `aws:PrincipalArn` (`ArnLike`
    `arn:aws:iam::111122223333:role/deploy-*`: the same as naming the roles). Reported at the
    principal.

    ## Why is this bad?
    Anyone in that account with `sts:AssumeRole` permission, or the user's leaked access key,
    becomes this role without a second factor.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                     "Action": "sts:AssumeRole"}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                     "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]
    }
    ```

    ## References
    - [Configuring MFA-protected API access](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html)
    - [Access to AWS accounts owned by third parties (external ID)](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html)
    """

    code = "IAM502"
    name = "trust-without-mfa"
    severity = Severity.WARNING
    kinds = frozenset({"trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.grants("sts:AssumeRole") or requires_mfa(statement):
                continue
            if statement.conditions().narrows(("sts:externalid",)):
                continue
            principal = statement.get("Principal")
            aws = principal.get("AWS") if principal is not None else None
            for node in aws.elements() if aws is not None else ():
                if node.is_string:
                    if not re.match(_HUMAN, node.value):
                        continue
                    who, written = ("IAM user" if ":user/" in node.value else "account"), node.value
                elif account_root(node) is not None:  # built with functions or variables
                    who, written = "account", node.value.spelled() if is_opaque_value(node.value) else ""
                else:
                    continue
                if who == "account" and confined_to_roles(statement):
                    continue
                yield Finding(node, f"{who} `{written}` may assume this role without MFA; add a "
                                    "`Bool` `aws:MultiFactorAuthPresent` `true` condition")
