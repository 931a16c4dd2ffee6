from __future__ import annotations

from iamlint.diagnostics import Finding, Severity
from iamlint.policy import a_kind
from iamlint.rules.grammar import SchemaRule, opening

# Resources whose policy statements name no resource: the policy is the repository's own
NO_RESOURCE_HOLDERS = frozenset({"AWS::ECR::Repository", "AWS::ECR::PublicRepository"})
NO_RESOURCE_SERVICES = ("ecr:", "ecr-public:")


class MissingElement(SchemaRule):
    """A required element is missing: `Statement`, `Effect`, `Action`/`NotAction`; `Resource`
    in an identity or resource policy; `Principal` in a resource or trust policy.

    Reported at the opening brace of the policy or statement that lacks it. An ECR repository
    policy needs no `Resource` (its statements are about the repository), nor does a resource
    policy of unknown resource whose statement only names `ecr:`/`ecr-public:` actions.

    ## Why is this bad?
    AWS rejects the policy. A trust policy without `Principal` or an identity policy without
    `Resource` is usually a statement copied from the other kind of policy.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    code = "IAM108"
    name = "missing-element"
    severity = Severity.ERROR

    def check(self, policy, ctx):
        yield from super().check(policy, ctx)
        if policy.kind != "resource" or policy.holder in NO_RESOURCE_HOLDERS:
            return
        for statement in policy.statements():  # a resource policy needs Resource, which no schema can say
            if statement.get("Resource") is not None or statement.get("NotResource") is not None:
                continue
            actions = statement.get("Action") or statement.get("NotAction")
            if actions is None or (policy.holder is None and all(
                    type(n.value) is str and n.value.strip().lower().startswith(NO_RESOURCE_SERVICES)
                    for n in actions.elements())):
                continue  # no actions either (reported above), or an ECR repository's policy
            yield Finding(statement.node, "this statement has no `Resource` or `NotResource`, which a resource "
                                          "policy requires", span=opening(statement.node))

    def claim(self, error, policy):
        kind = a_kind(policy.kind)
        if error.keyword == "required" and len(error.path) in (0, 2):
            missing = [key for key in error.expected if key not in (error.instance or {})]
            owner = "the policy" if not error.path else "this statement"
            return f"{owner} has no `{'`, `'.join(missing)}`"
        if error.keyword == "anyOf" and all(set(b) == {"required"} for b in error.expected):
            keys = [branch["required"][0] for branch in error.expected]
            wanted = " or ".join(f"`{k}`" for k in keys)
            return f"this statement has no {wanted}, which {kind} requires"
        return None
