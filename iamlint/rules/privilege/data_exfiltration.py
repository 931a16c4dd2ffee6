from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege import granted_on_every_resource, listing


class DataExfiltration(Rule):
    """Actions that read data out of the account are allowed on every resource.

    The actions are in `iamlint/data/data-exfiltration.txt`: `s3:GetObject`,
    `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, `dynamodb:Scan`, ...;
    those that accept no resource but `*` in the service data (`secretsmanager:BatchGetSecretValue`,
    which reads only the secrets `secretsmanager:GetSecretValue` allows) are left out.
    Reported at the action (or wildcard) that grants them with `"Resource": "*"` (or an ARN
    pattern of every resource of their service, as `wildcard-resource` reads it:
    `arn:aws:s3:::*/*`, `arn:aws:*:*:*:*`), unless a
    condition confines the resources (resource and object tags, key aliases, account,
    organization, the source a service acts for: `aws:SourceArn`, `aws:SourceAccount`,
    `aws:SourceOrgID`; network, MFA; as for `wildcard-resource`, a negated, `...IfExists` or
    `ForAllValues:` test does not, nor a `*` value).

    ## Why is this bad?
    The principal can read every object, secret and parameter of the account, including those
    of other teams and applications; a compromised workload becomes a compromise of all data.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                     "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:reports/*"}]
    }
    ```

    ## References
    - [cloudsplaining: data exfiltration](https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/data-exfiltration.md)
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    """

    code = "IAM309"
    name = "data-exfiltration"
    severity = Severity.WARNING
    kinds = frozenset({"identity"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for node, granted, resource in granted_on_every_resource(policy, read_list("data-exfiltration")):
            yield Finding(node, f"allows reading data of every resource: {listing(granted)} on `{resource.value}`")
