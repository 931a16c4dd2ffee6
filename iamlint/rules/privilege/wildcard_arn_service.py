from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import arns
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule


class WildcardArnService(Rule):
    """A `Resource` or `NotResource` ARN has a wildcard in its service name.

    The service is the ARN's third field: `arn:aws:*code*::111122223333:*` names every service
    whose name contains `code`, `arn:aws:*:*:111122223333:*` every service. `"*"` itself is
    `wildcard-resource`'s (IAM304) business, and wildcards in the other fields are not reported
    here.

    ## Why is this bad?
    A pattern on the service name matches services the author never thought of (`*code*`
    matches CodeCommit and CodeBuild, but also CodeArtifact, CodeGuru, CodeWhisperer, ...) and
    the services AWS adds later. Name each service.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["codecommit:GitPull", "codebuild:StartBuild"],
                     "Resource": "arn:aws:*code*:us-east-1:111122223333:*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["codecommit:GitPull", "codebuild:StartBuild"],
                     "Resource": ["arn:aws:codecommit:us-east-1:111122223333:*",
                                  "arn:aws:codebuild:us-east-1:111122223333:project/*"]}]
    }
    ```

    ## References
    - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM314"
    name = "wildcard-arn-service"
    severity = Severity.INFO
    kinds = frozenset({"identity", "resource", "scp", "rcp", "boundary"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, arn in arns.policy_arns(policy):
            if arn.service.wild:
                service = arn.service.text
                what = "every service" if not service.strip("*?") else "services with similar names"
                yield Finding(node, f"`{arn.text}` has a wildcard in the service name (`{service}`): "
                                    f"it matches {what}, including future ones")
