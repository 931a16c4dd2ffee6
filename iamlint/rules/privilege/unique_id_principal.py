from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.principals import principals
from iamlint.rules.base import Rule


class UniqueIdPrincipal(Rule):
    """A principal is written as an IAM unique id (`AROA...`, `AIDA...`) instead of an ARN.

    Reported at each `AWS` value of `Principal` or `NotPrincipal` in a resource or trust
    policy that is a role's (`AROA`) or a user's (`AIDA`) unique id.

    ## Why is this bad?
    When AWS saves a policy it turns each role or user ARN into the principal's unique id, and
    shows that id in place of the ARN once the role or user is deleted. An id copied from such
    a policy, or written by hand, names one incarnation of the role: recreate the role under the
    same name and the policy no longer applies to it, with nothing in the policy saying why.
    Naming the role by ARN keeps the intent readable and reviewable.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "AROAJQABLZS4A3QDU576Q"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/reports-reader"},
                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## References
    - [IAM identifiers: unique identifiers](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    """

    code = "IAM315"
    name = "unique-id-principal"
    severity = Severity.WARNING
    kinds = frozenset({"resource", "trust"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for element in ("Principal", "NotPrincipal"):
                for found in principals(statement, element):
                    if found.kind != "unique-id":
                        continue
                    text = str(found.node.value).strip()
                    whose = "a role's" if text.startswith("AROA") else "a user's"
                    what = "role" if text.startswith("AROA") else "user"
                    yield Finding(found.node, f"`{text}` is {whose} unique id: name the {what} by its ARN (an id "
                                              f"written here stops matching when the {what} is recreated)")
