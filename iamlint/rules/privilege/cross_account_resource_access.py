from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import this
from iamlint.principals import principals
from iamlint.rules.base import Rule
from iamlint.rules.privilege.public_principal import PublicPrincipal, narrowing_keys
from iamlint.values import is_opaque

_ACCOUNT_KINDS = frozenset({"account", "root", "user", "role", "assumed-role", "federated-user"})


class CrossAccountResourceAccess(Rule):
    """A resource policy grants another AWS account access with no condition that narrows who.

    Reported at each `AWS` principal of an `Allow` in a resource policy (a Lambda permission
    included) whose account is known and is not one of yours: an account id, or an account's
    root, role, user or session ARN, the account written out (also inside `!Sub`). Your accounts
    are the top-level `own-accounts` setting (or this rule's `own_accounts` option); with none
    configured, every literal account counts as another one. The template's own account
    (`AWS::AccountId`) and an account only known at deployment are never guessed to be someone
    else's. A condition that narrows who (public-principal's keys: `aws:PrincipalOrgID`,
    `aws:PrincipalArn`, `aws:SourceVpce`, `aws:SourceArn`, ...) silences it. `*` is
    public-principal's (IAM311); trust policies are trust-without-external-id's (IAM313).

    ## Why is this bad?
    Every identity in the other account that its administrators allow can use your resource,
    now and whoever they add later: access you grant, but whose holders you neither see nor
    control. Name the roles that need it, or confine the grant to your organization. This is the
    literal part of Access Analyzer's external-access findings (its access previews need the
    deployed account).

    ## Example
    ```yaml
    Resources:
      AlertsPolicy:
        Type: AWS::SNS::TopicPolicy
        Properties:
          Topics: [!Ref Alerts]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::444455556666:root}
                Action: sns:Publish
                Resource: !Ref Alerts
    ```

    ## Use instead
    ```yaml
    Resources:
      AlertsPolicy:
        Type: AWS::SNS::TopicPolicy
        Properties:
          Topics: [!Ref Alerts]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::444455556666:root}
                Action: sns:Publish
                Resource: !Ref Alerts
                Condition:
                  ArnEquals:
                    aws:PrincipalArn: arn:aws:iam::444455556666:role/monitoring
    ```

    ## Options
    - `own_accounts`: your account ids. Unset, the top-level `own-accounts` setting applies; set,
      it replaces that setting for this rule.

    ## References
    - [Cross-account policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
    - [Previewing access with IAM Access Analyzer](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-preview-access.html)
    """

    code = "IAM318"
    name = "cross-account-resource-access"
    severity = Severity.WARNING
    kinds = frozenset({"resource"})
    options = {"own_accounts": []}

    def check(self, policy, ctx) -> Iterable[Finding]:
        own = ctx.own_accounts()
        keys = narrowing_keys(ctx.config.option(PublicPrincipal, "narrowing_keys"), policy.holder)
        for statement in policy.statements():
            if not statement.is_allow or is_opaque(statement.get("Condition")):
                continue
            others = [p for p in principals(statement) if p.key == "AWS" and p.kind in _ACCOUNT_KINDS
                      and p.account is not None and p.account.isdigit() and p.account not in own]
            if not others or statement.conditions().narrows(keys):
                continue
            for principal in others:
                yield Finding(principal.node, f"account {principal.account} may use {this(policy.holder)} with no "
                                              "condition that narrows who (e.g. aws:PrincipalOrgID, "
                                              "aws:PrincipalArn); if the account is yours, add it to `own-accounts`")
