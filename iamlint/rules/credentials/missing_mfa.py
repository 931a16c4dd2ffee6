from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.policy import ActionCatalogue
from iamlint.rules.base import Rule
from iamlint.rules.credentials import denies_without_mfa, requires_mfa


def default_sensitive_actions() -> tuple[str, ...]:
    return read_list("sensitive-actions")


@lru_cache(maxsize=8)
def _catalogue(actions: tuple[str, ...], extra: tuple[str, ...]) -> ActionCatalogue:
    return ActionCatalogue([*actions, *extra])


class MissingMfa(Rule):
    """An `Allow` grants sensitive actions without requiring MFA.

    Sensitive actions are IAM permissions management and credential actions
    (`iam:CreateUser`, `iam:Attach*Policy`, `iam:Put*Policy`, `iam:CreateAccessKey`,
    `iam:CreateLoginProfile`, `iam:DeactivateMFADevice`, ...), Organizations and account
    writes, billing changes and a list of destructive deletes (`s3:DeleteBucket`,
    `kms:ScheduleKeyDeletion`, `cloudtrail:StopLogging`, ...): the list ships in
    `iamlint/data/sensitive-actions.txt`. Wildcards that cover them count (`iam:*`, `*`).
    MFA is required by `Bool` `aws:MultiFactorAuthPresent` `true` or `NumericLessThan`
    `aws:MultiFactorAuthAge` on the statement (`ForAnyValue:Bool` too; not `BoolIfExists` nor
    `ForAllValues:Bool`, which match requests without the key), or by a `Deny` with
    `BoolIfExists` `aws:MultiFactorAuthPresent` `false` in the same policy that covers the action.
    An action that a `Deny` without conditions in the same policy takes back (on `*`, or on every
    resource the `Allow` names) is not granted, and not reported.

    Reported once per statement, at the first action that grants sensitive actions, naming the
    statement's actions that do and the sensitive actions they grant. Applies to standalone identity
    policies (which are attached to users or groups as often as to roles) and, in templates, to
    policies attached to users or groups or to nothing yet; not to policies attached only to
    roles, nor to `Deny` statements, permissions boundaries, SCPs, RCPs or resource policies.

    ## Why is this bad?
    A leaked access key or a phished password is enough to create users, attach policies or
    delete backups. AWS recommends MFA-protected API access for privileged operations.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["iam:CreateUser", "iam:AttachUserPolicy"], "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["iam:CreateUser", "iam:AttachUserPolicy"], "Resource": "*",
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]
    }
    ```

    ## Options
    - `actions`: the sensitive actions (replaces the shipped list).
    - `extend_actions`: more sensitive actions, added to the list.

    ## References
    - [Configuring MFA-protected API access](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html)
    - [AWS global condition keys: aws:MultiFactorAuthPresent](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent)
    """

    code = "IAM501"
    name = "missing-mfa"
    severity = Severity.WARNING
    kinds = frozenset({"identity"})
    options = {"actions": None, "extend_actions": []}

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.attachments and policy.attachments <= {"role"}:
            return  # assumed, not signed in: MFA belongs in the trust policy (trust-without-mfa)
        sensitive = _catalogue(tuple(ctx.option("actions") or default_sensitive_actions()),
                               tuple(ctx.option("extend_actions")))
        statements = policy.statements()
        # a Deny with BoolIfExists aws:MultiFactorAuthPresent false already demands MFA for what it covers
        guarded = {a for guard in statements if denies_without_mfa(guard) for _, hits in guard.covers(sensitive)
                   for a in hits}
        denies = None
        for statement in statements:
            if not statement.is_allow or requires_mfa(statement):
                continue
            covered = statement.covers(sensitive)
            if not covered:
                continue
            if denies is None:  # a Deny without conditions takes back what it covers, where its resources do
                denies = [(deny, {a for _, hits in deny.covers(sensitive) for a in hits}) for deny in statements
                          if deny.effect == "Deny" and deny.get("Condition") is None
                          and deny.get("NotResource") is None]
            cancelled = set().union(*(denied for deny, denied in denies if _covers_resources(deny, statement)))
            nodes, actions, literal = [], {}, True  # granting nodes; sensitive actions in order
            for node, hits in covered:
                fresh = [a for a in hits if a not in guarded and a not in cancelled]
                if fresh:
                    nodes.append(node)
                    actions.update(dict.fromkeys(fresh))
                    literal = literal and node.is_string and [node.value.lower()] == [a.lower() for a in hits]
            if not nodes:
                continue
            # one finding per statement, at its first granting node
            if len(nodes) == 1:
                subject = f"`{nodes[0].value}` grants" if nodes[0].is_string else "`NotAction` grants"
            elif literal:  # the actions named one by one: the list below says it all
                subject = "this statement grants"
            else:
                subject = _shown([f"`{n.value}`" if n.is_string else "`NotAction`" for n in nodes]) + " grant"
            yield Finding(nodes[0], f"{subject} sensitive actions ({_shown(list(actions))}) without requiring MFA "
                                    "(`Bool` `aws:MultiFactorAuthPresent` `true`)")


def _covers_resources(deny, allow) -> bool:
    """The Deny's `Resource` is `*`, or lists every resource the Allow does."""
    if deny.resource_star() is not None:
        return True
    denied = {n.value for n in deny.strings("Resource")}
    allowed = allow.strings("Resource")
    return allow.get("NotResource") is None and bool(allowed) and all(n.value in denied for n in allowed)


def _shown(names: list[str], shown: int = 3) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
