from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

SECRETS = {"aws_iam_access_key": "secret access key", "aws_iam_user_login_profile": "console password"}


class SecretInState(DocumentRule):
    """An `aws_iam_access_key` or `aws_iam_user_login_profile` has no `pgp_key`.

    Reported at the resource's type. With a `pgp_key` (a `keybase:` user or a base64 public
    key), the provider encrypts the secret and keeps only the ciphertext; without one, the
    secret access key or the initial console password is kept as it is. A `pgp_key` given by a
    variable counts as set.

    ## Why is this bad?
    The secret lands in the Terraform state in plain text, and in the plan output: everyone who
    can read the state bucket, a CI log or a workspace can use it. The state is rarely guarded
    like a secret store.

    ## Example
    ```hcl
    resource "aws_iam_access_key" "deployer" {
      user = aws_iam_user.deployer.name
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_iam_access_key" "deployer" {
      user    = aws_iam_user.deployer.name
      pgp_key = "keybase:deployer"
    }
    ```

    ## References
    - [aws_iam_access_key](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key)
    - [Sensitive data in state](https://developer.hashicorp.com/terraform/language/manage-sensitive-data)
    """

    code = "IAM507"
    name = "secret-in-state"
    severity = Severity.WARNING
    formats = frozenset({"terraform", "terraform-plan"})

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            secret = SECRETS.get(resource.type)
            if secret is None:
                continue
            key = resource.property("pgp_key")
            if key is None or (type(key.value) is str and not key.value.strip()):
                yield Finding(resource.type_node, f"`{resource.name}` keeps its {secret} in the Terraform state in "
                                                  "plain text; set `pgp_key` to keep only an encrypted copy")
