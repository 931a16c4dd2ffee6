from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule


class RedundantPrincipal(Rule):
    """A statement names a principal that another of its principals already covers.

    Reported, in one statement's `Principal` or `NotPrincipal`, at an STS assumed-role
    session (`arn:aws:sts::111122223333:assumed-role/deployer/jane`) whose role
    (`arn:aws:iam::111122223333:role/deployer`, any path) is listed too; at a value listed
    twice under the same key; and at an account's root ARN listed with the account id (or
    the other way round), which name the same principal. The later of the two is reported.

    ## Why is this bad?
    Nothing changes if the entry is removed: a role principal covers every session of the
    role, and AWS stores an account id as its root ARN. The extra entry makes the policy
    longer (trust policies have a small size quota) and suggests a distinction that is not
    there.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"AWS": ["arn:aws:iam::111122223333:role/rolename",
                                           "arn:aws:sts::111122223333:assumed-role/rolename/rolesessionname"]}}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"AWS": "arn:aws:iam::111122223333:role/rolename"}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    - [Access Analyzer: redundant principal in role trust policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-redundant-principal-in-role-trust-policy)
    """

    code = "IAM231"
    name = "redundant-principal"
    severity = Severity.INFO
    kinds = frozenset({"resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for element in ("Principal", "NotPrincipal"):
                found = principals(statement, element)
                if len(found) > 1:
                    yield from _redundant(found, element)


def _spelled(node) -> str | None:
    """The value as written: a string, or a value only known when deployed as its pieces spell it."""
    value = node.value
    if type(value) is str:
        return value.strip()
    if type(value) in (int, float) and not isinstance(value, bool):
        return str(value)  # an account id YAML read as a number
    spelled = getattr(value, "spelled", None)
    return spelled().strip() if spelled is not None else None


def _redundant(found, element: str) -> Iterable[Finding]:
    seen: dict[tuple[str, str], str] = {}  # (key, text) -> text
    accounts: dict[str, str] = {}  # account -> the account id or root ARN that named it first
    roles: dict[tuple[str, str, str], str] = {}  # (partition, account, role name) -> role ARN
    sessions = []
    for principal in found:
        text = _spelled(principal.node)
        if text is None or principal.kind in ("unknown", "invalid"):
            continue
        if (principal.key, text) in seen:
            yield Finding(principal.node, f"`{text}` is listed twice in this statement's `{element}`")
            continue
        seen[principal.key, text] = text
        if principal.account is None:
            continue
        if principal.kind in ("account", "root"):
            first = accounts.setdefault(principal.account, text)
            if first != text:
                yield Finding(principal.node, f"`{text}` names the same principal as `{first}`, listed before it: "
                                              "AWS stores an account id as its root ARN")
        elif principal.kind == "role":
            roles.setdefault((_partition(text), principal.account, text.rsplit("/", 1)[-1]), text)
        elif principal.kind == "assumed-role":
            sessions.append((principal, text))
    for principal, text in sessions:
        role = roles.get((_partition(text), principal.account, text.split("/")[1]))
        if role is not None:
            yield Finding(principal.node, f"`{text}` is redundant with its role `{role}`, a principal of this "
                                          "statement too, which covers every session of the role")


def _partition(arn: str) -> str:
    return arn.split(":", 2)[1]
