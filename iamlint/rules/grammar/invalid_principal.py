from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule

_NAME = re.compile(r"[A-Za-z0-9-]+")  # `sns`, `Lambda`: a service's name without its domain
_HOST = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?")  # an identity provider's host (and path)


class InvalidPrincipal(Rule):
    """A `Principal` or `NotPrincipal` value is not a principal AWS accepts.

    Checks each value of a resource or trust policy's `Principal` and `NotPrincipal`:
    `AWS` takes `*`, an account id (12 digits), or the ARN of an account's root, an IAM user or
    role, an STS assumed-role or federated-user session (no Region, no wildcard inside: a
    group, an instance profile or a policy is no principal); `Service` a service's domain name
    (`sns.amazonaws.com`); `Federated` a SAML or OIDC provider's ARN or one of the identity
    providers IAM names by domain (`cognito-identity.amazonaws.com`, `accounts.google.com`,
    `graph.facebook.com`, `www.amazon.com`); `CanonicalUser` 64 hexadecimal digits. A trust
    policy cannot name `"*"` as its principal. Reported at the value.

    Values only known when deployed (a parameter, a Terraform variable) are read by their known
    pieces: `arn:${AWS::Partition}:iam::${AWS::AccountId}:root` is valid, a group ARN is invalid
    whatever its account. A policy variable in a principal is left to IAM117.

    ## Why is this bad?
    AWS rejects the policy ("Invalid principal in policy"), or, in a bucket policy, turns the
    wildcard pattern you meant as "these users" into an error. A wildcard inside an ARN
    (`arn:aws:iam::111122223333:user/*`) does not match anything: to grant a set of principals,
    name everyone (`"AWS": "*"`) and narrow it with `aws:PrincipalArn` or `aws:PrincipalOrgID`.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/*"}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    - [Access Analyzer: invalid principal format](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-principal-format)
    """

    code = "IAM116"
    name = "invalid-principal"
    severity = Severity.ERROR
    kinds = frozenset({"resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            principal = statement.get("Principal")
            if policy.kind == "trust" and principal is not None and principal.value == "*":
                yield Finding(principal, "a trust policy cannot name `\"*\"` as its principal: name the accounts, "
                                         "roles, services or identity providers that may assume the role")
            for element in ("Principal", "NotPrincipal"):
                for found in principals(statement, element):
                    if found.kind != "invalid":
                        continue
                    value = found.node.value
                    if type(value) is str and "${" in value:
                        continue  # a policy variable, which principals do not take: IAM117's
                    yield Finding(found.node, _message(found.key, str(value).strip(), found.problem or ""))


_WHAT = {"AWS": "a valid principal", "Service": "a service principal", "Federated": "a federated principal",
         "CanonicalUser": "a canonical user id"}


def _message(key: str, text: str, problem: str) -> str:
    """Why the value is no principal, and what to write instead when that is clear."""
    advice = ""
    if key == "AWS" and "wildcard" in problem:
        advice = ("; to grant several principals, name `\"AWS\": \"*\"` and narrow it with an "
                  "`aws:PrincipalArn` or `aws:PrincipalOrgID` condition")
    elif key == "AWS" and "group" in problem:
        advice = "; name its users, or a role they assume"
    elif key == "Service" and _NAME.fullmatch(text):
        problem = f"write `{text.lower()}.amazonaws.com`"
    elif key == "Service" and text != text.lower():
        problem = f"write `{text.lower()}` (service principals are lower case)"
    elif key == "Federated" and not text.startswith("arn:") and _HOST.fullmatch(text):
        problem = f"name the identity provider by its ARN, `arn:aws:iam::<account>:oidc-provider/{text}`"
    return f"`{text}` is not {_WHAT[key]}: {problem}{advice}"
