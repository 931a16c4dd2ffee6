from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.intrinsics import intrinsic_name
from iamlint.rules.base import TemplateRule

PASSWORD_PROPERTY = r"(?:Password|Passphrase|AuthToken)$"
_SAFE_PREFIXES = ("{{resolve:secretsmanager:", "{{resolve:ssm-secure:")


class HardcodedPassword(TemplateRule):
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

    def check_template(self, template, ctx) -> Iterable[Finding]:
        if not re.search(r"Password|Passphrase|AuthToken", template.text):
            return
        for resource in template.resources:
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
                    if re.search(PASSWORD_PROPERTY, name):
                        yield from self._check_value(template, name, value)
                    else:
                        stack.append(value)

    def _check_value(self, template, name: str, value) -> Iterable[Finding]:
        if type(value.value) is str:
            if value.value and not value.value.startswith(_SAFE_PREFIXES):
                yield Finding(value, f"`{name}` is written into the template; use a "
                                     "`{{resolve:secretsmanager:...}}` dynamic reference")
            return
        if intrinsic_name(value) != "Ref" or type(value.value["Ref"].value) is not str:
            return
        parameter = template.parameters.get(value.value["Ref"].value)
        if parameter is None or not parameter.is_mapping:
            return
        no_echo = parameter.get("NoEcho")
        if no_echo is None or str(no_echo.value).lower() != "true":
            yield Finding(value, f"`{name}` comes from parameter `{value.value['Ref'].value}`, which has no "
                                 "`NoEcho: true`: its value shows in the console and API")
            return
        default = parameter.get("Default")
        if default is not None and type(default.value) in (str, int) and str(default.value):
            yield Finding(default, f"parameter `{value.value['Ref'].value}` holds the `{name}` as its `Default`; "
                                   "remove the default or use a dynamic reference")
