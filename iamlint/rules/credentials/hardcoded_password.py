from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.intrinsics import intrinsic_name
from iamlint.rules.base import DocumentRule

PASSWORD_PROPERTY = r"(?:Password|Passphrase|AuthToken)$"
_SAFE_PREFIXES = ("{{resolve:secretsmanager:", "{{resolve:ssm-secure:")  # anywhere in the value


class HardcodedPassword(DocumentRule):
    """A password is written into the template instead of coming from a secret store.

    Checks every resource property named `...Password` (`LoginProfile.Password` of an IAM user,
    `MasterUserPassword` of a database, ...), `...Passphrase` or `AuthToken`: a literal value is
    reported, and so is a `Ref` to a parameter without `NoEcho: true`, or a `NoEcho` parameter
    whose `Default` is the password. A `{{resolve:secretsmanager:...}}` or
    `{{resolve:ssm-secure:...}}` dynamic reference is the fix.

    ## Why is this bad?
    The password is in git history for good, and a parameter without `NoEcho` shows its value
    in the console, in `describe-stacks` and in events.

    ## Example
    ```yaml
    Resources:
      Alice:
        Type: AWS::IAM::User
        Properties:
          LoginProfile:
            Password: Winter2024!
            PasswordResetRequired: true
    ```

    ## Use instead
    ```yaml
    Resources:
      Alice:
        Type: AWS::IAM::User
        Properties:
          LoginProfile:
            Password: "{{resolve:secretsmanager:alice-initial-password}}"
            PasswordResetRequired: true
    ```

    ## References
    - [Dynamic references: Secrets Manager](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html)
    - [Parameters: NoEcho](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
    """

    code = "IAM506"
    name = "hardcoded-password"
    severity = Severity.ERROR
    applies_to = "CloudFormation and SAM templates"  # its fix is CloudFormation's (dynamic references, NoEcho)

    property_pattern = PASSWORD_PROPERTY  # the property names whose values are secrets

    def check_document(self, document, ctx) -> Iterable[Finding]:
        if document.format.startswith("terraform"):
            return  # Terraform has no dynamic references; its credentials are IAM505's
        if not document.resources or not re.search(self.property_pattern.replace("$", ""), document.text):
            return
        for resource in document.resources:
            if resource.properties is None:
                continue
            stack = [resource.properties]
            while stack:
                node = stack.pop()
                if type(node.value) is list:
                    stack.extend(reversed(node.value))
                    continue
                if type(node.value) is not dict or intrinsic_name(node) is not None:
                    continue
                for name, value in node.value.items():
                    if re.search(self.property_pattern, name):
                        yield from self._check_value(document, name, value)
                    else:
                        stack.append(value)

    def _check_value(self, document, name: str, value) -> Iterable[Finding]:
        if type(value.value) is str:
            if value.value and not any(safe in value.value for safe in _SAFE_PREFIXES):
                yield Finding(value, f"`{name}` is written into {document.noun}; use a "
                                     "`{{resolve:secretsmanager:...}}` dynamic reference")
            return
        source = document.input_of(value)
        if source is None:
            return
        if not source.hidden:
            yield Finding(value, f"`{name}` comes from {source.what} `{source.name}`, which has no "
                                 f"{source.hiding}: its value shows in the console and API")
            return
        default = source.default
        if default is not None and type(default.value) in (str, int) and str(default.value):
            yield Finding(default, f"{source.what} `{source.name}` holds the `{name}` as its `Default`; "
                                   "remove the default or use a dynamic reference")
