from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.principals import Principal

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule

_SAML = frozenset({"saml-provider"})
_OIDC = frozenset({"oidc-provider", "oidc-domain"})
_FEDERATED = _SAML | _OIDC
# the principals that may call each way of assuming a role; `everyone` is left alone (IAM116, IAM311)
ASSUMING: dict[str, tuple[str, frozenset[str]]] = {
    "sts:assumerole": ("sts:AssumeRole", frozenset({
        "everyone", "account", "root", "user", "role", "assumed-role", "federated-user", "unique-id",
        "cloudfront-oai", "canonical-user", "service"})),
    "sts:assumerolewithsaml": ("sts:AssumeRoleWithSAML", _SAML | {"everyone"}),
    "sts:assumerolewithwebidentity": ("sts:AssumeRoleWithWebIdentity", _OIDC | {"everyone"}),
}
ROLES_ANYWHERE = "rolesanywhere.amazonaws.com"
ROLES_ANYWHERE_ACTIONS = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")


class TrustActionMismatch(Rule):
    """A trust policy statement's actions do not fit its principals or its conditions.

    Reported in `Allow` statements of role trust policies:
    - at `sts:AssumeRoleWithSAML` when no principal is a SAML provider, at
      `sts:AssumeRoleWithWebIdentity` when none is an OIDC provider (its ARN, or
      `cognito-identity.amazonaws.com`, `accounts.google.com`, `graph.facebook.com`,
      `www.amazon.com`), and at `sts:AssumeRole` when every principal is an identity provider;
    - at an identity provider whose way of assuming the role the statement does not allow;
    - at `rolesanywhere.amazonaws.com` unless `sts:AssumeRole`, `sts:SetSourceIdentity` and
      `sts:TagSession` are all allowed;
    - at a condition on `sts:SourceIdentity` when `sts:SetSourceIdentity` is not allowed, and on
      session tags (`aws:RequestTag/...`, `aws:TagKeys`, `sts:TransitiveTagKeys`) when
      `sts:TagSession` is not (a `Null` test excepted).

    Actions are matched with their wildcards (`sts:*` allows them all); a statement with
    `NotAction`, or whose actions or (for the first two checks) principals are only known when
    deployed, is left alone.

    ## Why is this bad?
    STS refuses the request: a SAML provider's users can only call `AssumeRoleWithSAML`, an
    OIDC provider's only `AssumeRoleWithWebIdentity`, and a source identity or session tags
    can only be passed when the trust policy allows setting them. The role cannot be assumed
    the way it was meant to be, and the condition that was meant to restrict it never applies.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
                     "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
                     "Action": "sts:AssumeRoleWithSAML",
                     "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Principal (federated principals)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-users)
    - [Passing session tags in AWS STS](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html)
    - [Monitor and control actions taken with assumed roles (source identity)](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html)
    - [Trust model in IAM Roles Anywhere](https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html)
    """

    code = "IAM209"
    name = "trust-action-mismatch"
    severity = Severity.ERROR
    kinds = frozenset({"trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            action = statement.get("Action")
            if not statement.is_allow or action is None:
                continue
            if any(type(node.value) is not str for node in action.elements()):
                continue  # an action only known when deployed
            found = principals(statement)
            if found and all(p.kind not in ("unknown", "invalid") for p in found):
                yield from _mismatches(statement, found)
            for principal in found:
                if principal.kind == "service" and principal.node.value == ROLES_ANYWHERE:
                    missing = [a for a in ROLES_ANYWHERE_ACTIONS if not statement.matching("Action", a)]
                    if missing:
                        yield Finding(principal.node, "IAM Roles Anywhere needs `sts:AssumeRole`, "
                                                      "`sts:SetSourceIdentity` and `sts:TagSession`: this statement "
                                                      f"does not allow {_listed(missing)}")
            yield from _conditions(statement)


def _mismatches(statement, found: list[Principal]) -> Iterable[Finding]:
    """Ways of assuming the role that no principal of the statement can use, and identity
    providers that the statement gives no way of assuming it."""
    reported = False
    for node in statement.strings("Action"):
        entry = ASSUMING.get(node.value.strip().lower())
        if entry is None:
            continue
        name, kinds = entry
        if not any(p.kind in kinds for p in found):
            reported = True
            yield Finding(node, f"`{name}` does not work for {_who(found[0])}: {_how(found[0], name)}")
    if reported:
        return
    for principal in found:
        if principal.kind in _FEDERATED:
            needed = "sts:AssumeRoleWithSAML" if principal.kind in _SAML else "sts:AssumeRoleWithWebIdentity"
            if not statement.matching("Action", needed):
                yield Finding(principal.node, f"{_who(principal)} can only assume the role with `{needed}`, "
                                              "which this statement does not allow")


def _conditions(statement) -> Iterable[Finding]:
    for entry in statement.conditions():
        if entry.type == "Null":
            continue  # testing whether the key is there works whatever the actions
        name = entry.name
        if name == "sts:sourceidentity" and not statement.matching("Action", "sts:SetSourceIdentity"):
            yield Finding(entry.key_node, f"`{entry.key}` is set by `sts:SetSourceIdentity`, which this statement "
                                          "does not allow: no request carries it, so the condition never matches")
        elif (name.startswith("aws:requesttag/") or name in ("aws:tagkeys", "sts:transitivetagkeys")) \
                and not statement.matching("Action", "sts:TagSession"):
            yield Finding(entry.key_node, f"`{entry.key}` tests session tags: passing them needs `sts:TagSession`, "
                                          "which this statement does not allow, so no request carries them")


def _who(principal: Principal) -> str:
    text = f"`{_text(principal)}`"
    if principal.kind in _SAML:
        return f"the SAML provider {text}"
    if principal.kind in _OIDC:
        return f"the OIDC provider {text}"
    if principal.kind == "service":
        return f"the service principal {text}"
    return text


def _how(principal: Principal, action: str) -> str:
    if principal.kind in _SAML:
        return "a SAML provider's users assume a role with `sts:AssumeRoleWithSAML`"
    if principal.kind in _OIDC:
        return "an OIDC provider's identities assume a role with `sts:AssumeRoleWithWebIdentity`"
    if action == "sts:AssumeRoleWithSAML":
        return "only a SAML provider (`Federated: arn:aws:iam::<account>:saml-provider/<name>`) can use it"
    return ("only an OIDC provider (`Federated`: its ARN `arn:aws:iam::<account>:oidc-provider/<host>`, or "
            "`cognito-identity.amazonaws.com`) can use it")


def _text(principal: Principal) -> str:
    value = principal.node.value
    spelled = getattr(value, "spelled", None)
    return (spelled() if spelled is not None else str(value)).strip()


def _listed(actions: list[str]) -> str:
    names = [f"`{a}`" for a in actions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
