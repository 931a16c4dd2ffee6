from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule

GITHUB = "token.actions.githubusercontent.com"
# `repo:OWNER/REPO:...` with the owner and the repository written out
_GITHUB_REPO = re.compile(r"repo:([^/:*?]+)/([^:*?]+):")


class WeakOidcTrust(Rule):
    """A role trusts an OIDC identity provider without confining which of its identities may
    assume it.

    Reported in `Allow` statements of trust policies, for each `Federated` OIDC provider (its
    ARN, or `cognito-identity.amazonaws.com`, `accounts.google.com`, `graph.facebook.com`,
    `www.amazon.com`) whose name is known:
    - at the provider, when no condition tests one of its claims (`<provider>:sub`,
      `<provider>:aud`, ...);
    - at GitHub Actions' provider (`token.actions.githubusercontent.com`), when no condition
      tests `token.actions.githubusercontent.com:sub` (a negated test does not count);
    - at a `StringLike` value of that `:sub` claim whose wildcard covers the owner or the
      repository (`*`, `repo:*`, `repo:myorg/*`), or covers what follows
      `repo:owner/repository:` while the statement does not test
      `token.actions.githubusercontent.com:ref` or `:job_workflow_ref` either.

    A provider or a claim value only known when deployed (a parameter, a Terraform reference)
    is left alone. A wildcard under `StringEquals` is compared literally (IAM121 reports it).

    ## Why is this bad?
    An OIDC provider issues tokens to every identity it knows: every GitHub repository in the
    world, every service account of an EKS cluster, every user of a Google app. The trust
    policy's conditions on the token's claims are the only thing that says which of them is
    meant; without them, or with a wildcard in the repository, anyone who can run a workflow
    or a pod there gets the role's credentials.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                     "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                     "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                                   "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example/*"}}}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                     "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                     "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                                    "token.actions.githubusercontent.com:sub": "repo:example/app:ref:refs/heads/main"}}}]
    }
    ```

    ## References
    - [Create a role for OpenID Connect federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    - [GitHub: configuring OpenID Connect in Amazon Web Services](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    - [IAM roles for service accounts (EKS)](https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)
    """  # noqa: E501 (the ARN of GitHub's OIDC provider, spelled whole)

    code = "IAM508"
    name = "weak-oidc-trust"
    severity = Severity.WARNING
    kinds = frozenset({"trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            if not statement.is_allow or not _conditions_known(statement.get("Condition")):
                continue
            for principal in principals(statement):
                provider = principal.provider
                if principal.kind not in ("oidc-provider", "oidc-domain") or provider is None \
                        or "\x00" in provider or "\x02" in provider:
                    continue  # not an OIDC provider, or one only known when deployed
                yield from _weak(statement, principal.node, provider)


def _conditions_known(condition) -> bool:
    """A `Condition` whose operators and keys are all written out (an opaque one may test anything)."""
    return condition is None or (condition.is_mapping and all(block.is_mapping for _, block in condition.items()))


def _weak(statement, node, provider: str) -> Iterable[Finding]:
    prefix = provider.lower() + ":"
    claims = [entry for entry in statement.conditions() if entry.name.startswith(prefix)]
    if not claims:
        claim = "aud" if provider == "cognito-identity.amazonaws.com" else "sub"
        yield Finding(node, f"the OIDC provider `{provider}` is trusted with no condition on its tokens' claims: any "
                            f"identity it issues tokens to can assume this role; test `{provider}:{claim}`")
        return
    if not (provider.lower() == GITHUB or provider.lower().startswith(GITHUB + "/")):
        return
    subs = [entry for entry in claims if entry.name == prefix + "sub" and not entry.negated]
    if not subs:
        yield Finding(node, f"any GitHub repository can assume this role: test `{provider}:sub` "
                            "(`repo:<owner>/<repository>:ref:refs/heads/<branch>`)")
        return
    pinned = any(entry.name in (prefix + "ref", prefix + "job_workflow_ref") and not entry.negated for entry in claims)
    for entry in subs:
        if entry.base != "StringLike":
            continue  # `StringEquals` compares a `*` literally
        for value in entry.strings():
            text = value.value.strip()
            if "*" not in text and "?" not in text:
                continue
            match = _GITHUB_REPO.match(text)
            if match is None:
                owner = re.match(r"repo:([^/:*?]+)/", text)
                whom = f"every repository of `{owner.group(1)}`" if owner else "any GitHub repository"
                yield Finding(value, f"`{text}` lets {whom} (and every branch) assume this role: name the "
                                     "repository and the branch or environment")
            elif not pinned:
                repository = f"{match.group(1)}/{match.group(2)}"
                yield Finding(value, f"`{text}` lets every branch, tag, environment and pull request of "
                                     f"`{repository}` assume this role: name the branch or environment "
                                     f"(`repo:{repository}:ref:refs/heads/main`), or test `{provider}:ref`")
