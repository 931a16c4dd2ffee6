from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import is_own_account
from iamlint.rules.base import Rule
from iamlint.rules.privilege import service_part


def own_accounts(ctx) -> frozenset[str]:
    """The accounts the user calls theirs: the `own-accounts` setting, or trust-without-external-id's
    `own_accounts` when it sets one."""
    from iamlint.rules.privilege.trust_without_external_id import TrustWithoutExternalId

    return ctx.own_accounts(TrustWithoutExternalId)


def delegates_to_own_account(statement, own: frozenset[str]) -> bool:
    """AWS's default key policy statement: `kms:*` on `*` for this account's root, which hands
    the key to the account's IAM policies rather than granting anything itself."""
    principal = statement.get("Principal")
    if principal is None or not principal.is_mapping or set(principal.value) != {"AWS"}:
        return False
    principals = principal.get("AWS").elements()
    resources = statement.strings("Resource")
    return (bool(principals) and all(is_own_account(node, own) for node in principals)
            and bool(resources) and all(node.value == "*" for node in resources))


class ServiceWildcard(Rule):
    """A statement allows every action of a service (`"s3:*"`).

    Only a name part that is `*` alone counts: `s3:Get*` is a family of actions, not a
    service wildcard. Applies to identity, resource and trust policies. AWS's default key policy
    statement is not reported: `kms:*` on `*` for this account's root
    (`!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, CDK's `Fn::Join` of the same
    parts, `!Ref AWS::AccountId`, or a literal account listed in the `own-accounts` setting), which
    lets the account's IAM policies decide who uses the key; `kms:*` granted to anyone else
    (another account, a role, a user) still is.

    ## Why is this bad?
    `s3:*` includes `s3:DeleteBucket`, `s3:PutBucketPolicy` and every action S3 adds later.
    Access reviews read it as "full control of the service".

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Known problems
    A literal account (`arn:aws:iam::111122223333:root`) in a policy file says nothing of whose
    it is: unless it is in the `own-accounts` setting (or trust-without-external-id's
    `own_accounts`), its default key policy statement is reported.

    ## References
    - [Default key policy (AWS KMS)](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
    - [Security best practices in IAM: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    """

    code = "IAM303"
    name = "service-wildcard"
    severity = Severity.WARNING
    kinds = frozenset({"identity", "resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.is_allow:
                continue
            for action in statement.strings("Action"):
                service, _, name = action.value.partition(":")
                if name == "*" and service_part(action.value) != "*" and not any(c in service for c in "*?"):
                    if (service.lower() == "kms" and policy.kind == "resource"
                            and delegates_to_own_account(statement, own_accounts(ctx))):
                        continue
                    yield Finding(action, f"statement allows every `{service}` action (`{action.value}`)")
