from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import account_of, account_root
from iamlint.rules.base import Rule
from iamlint.rules.credentials import requires_mfa

_VOUCHING_KEYS = frozenset(("sts:externalid", "aws:principalorgid", "aws:principalorgpaths"))


class TrustWithoutExternalId(Rule):
    """A trust policy lets another AWS account assume the role without an `sts:ExternalId`.

    Reported at each `AWS` principal (an account id, or a root, role or user ARN) whose account
    is not one of your own accounts (the `own-accounts` setting, or this rule's `own_accounts`
    option), in an `Allow` that requires neither an `sts:ExternalId` nor the principal's
    organization (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`), and does not require MFA
    (people from a partner account sign in with MFA; third-party services cannot, and use an
    external id). A test that is negated,
    `...IfExists` or `ForAllValues:` (true without the key), or whose value is `*`, requires
    nothing. Confining the account to some of its roles with `aws:PrincipalArn` does not count:
    the vendor's role is the deputy an external id protects. With no own accounts configured
    every account counts as another one. An account root built with functions counts when its
    number is written out (`!Sub arn:${AWS::Partition}:iam::444455556666:root`); the template's
    own account (`AWS::AccountId`) and an account only known at deployment (a parameter, a
    Terraform variable) are never guessed to be someone else's.

    ## Why is this bad?
    A vendor that assumes roles in many customers' accounts can be tricked into using its
    access on your role on behalf of another customer (the confused deputy problem): the
    external id, unique per customer, is what stops it.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                     "Action": "sts:AssumeRole"}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                     "Action": "sts:AssumeRole",
                     "Condition": {"StringEquals": {"sts:ExternalId": "c3f1e7a2-customer-8812"}}}]
    }
    ```

    ## Options
    - `own_accounts`: your account ids; principals in them are not third parties. Unset, the
      top-level `own-accounts` setting applies (the accounts every rule calls yours); set, it
      replaces that setting for this rule.

    ## References
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    - [Access to AWS accounts owned by third parties](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html)
    """

    code = "IAM313"
    name = "trust-without-external-id"
    severity = Severity.WARNING
    kinds = frozenset({"trust"})
    options = {"own_accounts": []}

    def check(self, policy, ctx) -> Iterable[Finding]:
        own = ctx.own_accounts()
        for statement in policy.statements():
            principal = statement.get("Principal")
            aws = principal.get("AWS") if principal is not None else None
            if not statement.is_allow or aws is None or requires_mfa(statement):
                continue
            if statement.conditions().narrows(_VOUCHING_KEYS):
                continue
            for node in aws.elements():
                # a literal account, or one built with functions whose number is written out; the
                # template's own account and one only known at deployment are never guessed at
                account = account_of(node.value) if node.is_string else account_root(node)
                if account is not None and account.isdigit() and account not in own:
                    yield Finding(node, f"account {account} may assume this role without an `sts:ExternalId` "
                                        "condition (or add it to `own_accounts` if it is yours)")
