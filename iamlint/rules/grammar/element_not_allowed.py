from __future__ import annotations

from iamlint.diagnostics import Severity
from iamlint.policy import a_kind
from iamlint.rules.grammar import STATEMENT_ELEMENTS, SchemaRule

_WHY = {
    ("identity", "Principal"): "the principal is whoever the policy is attached to",
    ("boundary", "Principal"): "the principal is whoever the boundary is set on",
    ("scp", "Principal"): "an SCP applies to every principal of the accounts it is attached to",
    ("trust", "Resource"): "the resource is the role itself",
    ("trust", "NotResource"): "the resource is the role itself",
    ("trust", "NotPrincipal"): "name who may assume the role with `Principal`",
    ("rcp", "NotAction"): "RCPs list actions with `Action`",
}


class ElementNotAllowed(SchemaRule):
    """A statement uses an IAM element that this kind of policy does not allow.

    `Principal` or `NotPrincipal` in an identity policy, permissions boundary or SCP;
    `Resource`, `NotResource` or `NotPrincipal` in a role trust policy; `NotPrincipal` in an
    RCP; `NotAction` in an RCP; a `Federated` principal (an identity provider) in a resource
    policy other than a role's trust policy. The kind is inferred from the content or set in
    configuration.

    ## Why is this bad?
    AWS rejects the policy ("Policy document should not specify a principal", "Has prohibited
    field Resource"). It often means the policy was written for another place.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
         "Resource": "*"}
      ]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
      ]
    }
    ```

    ## References
    - [IAM JSON policy elements reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    """

    code = "IAM109"
    name = "element-not-allowed"
    severity = Severity.ERROR

    def claim(self, error, policy):
        if error.keyword != "additionalProperties":
            return None
        if len(error.path) == 3 and error.instance in STATEMENT_ELEMENTS:
            why = _WHY.get((policy.kind, error.instance))
            message = f"`{error.instance}` is not allowed in {a_kind(policy.kind)}"
            return message + (f": {why}" if why else "")
        if (len(error.path) == 4 and error.path[2] in ("Principal", "NotPrincipal") and error.instance == "Federated"
                and policy.kind == "resource"):
            return ("`Federated` principals are only for role trust policies: a resource policy cannot grant to a "
                    "SAML or OIDC identity provider")
        return None
