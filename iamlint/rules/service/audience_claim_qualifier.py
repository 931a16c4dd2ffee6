from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import declared_type, is_audience_claim
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class AudienceClaimQualifier(Rule):
    """`ForAllValues:` on the audience claim (`<provider>:aud`) of an OpenID Connect provider
    whose claim types no data gives, such as your own identity provider or an EKS cluster's.

    Whether a provider's `aud` claim holds one audience or a list is up to the provider. For
    the providers whose claims the data types (`accounts.google.com:aud`,
    `cognito-identity.amazonaws.com:aud`: single-valued), `set-operator-on-single-value`
    (IAM213) reports `ForAllValues:`; for the others, this rule asks you to confirm. Reported at
    the key, as a suggestion.

    ## Why is this bad?
    `ForAllValues:` is true when every audience in the token matches, and also when the token
    has no audience at all. On a multivalued claim that is what you want; on a single-valued
    one, the plain operator (`StringEquals`) says the same thing without the empty-set case.

    ## Example
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                     "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},
                     "Condition": {"ForAllValues:StringEquals": {"oidc.example.com:aud": ["app1", "app2"]}}}]
    }
    ```

    ## Use instead
    ```json kind=trust
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                     "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},
                     "Condition": {"StringEquals": {"oidc.example.com:aud": "app1"}}}]
    }
    ```

    ## References
    - [Available keys for AWS OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)
    - [IAM Access Analyzer policy checks: Confirm audience claim type](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM227"
    name = "audience-claim-qualifier"
    severity = Severity.INFO
    uses_service_data = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if (condition.qualifier == "ForAllValues" and condition.type not in (None, "Null")
                        and is_audience_claim(condition.key) and declared_type(condition.key) is None):
                    key = condition.key
                    yield Finding(condition.key_node, f"confirm that `{key}` is multivalued: `ForAllValues:` is also "
                                                      "true when the token has no audience; if the claim is "
                                                      "single-valued, drop `ForAllValues:`")
