from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule

# Console passwords: type -> (the property holding the login profile, or None when the resource is
# one; the reset flag in it; the property naming the user)
LOGIN_PROFILES: dict[str, tuple[str | None, str, str]] = {
    "AWS::IAM::User": ("LoginProfile", "PasswordResetRequired", "UserName"),
    "aws_iam_user_login_profile": (None, "password_reset_required", "user"),
}


class LoginProfileWithoutReset(DocumentRule):
    """An IAM user's console password is not required to change at first sign-in.

    Reported at an `AWS::IAM::User`'s `LoginProfile` without `PasswordResetRequired: true`
    (at the `false`, or at `LoginProfile` when the flag is missing: it defaults to false), and
    at a Terraform `aws_iam_user_login_profile` without `password_reset_required = true` (the
    AWS provider creates the profile without a reset when it is not set). A flag only known
    when deployed is left alone.

    ## Why is this bad?
    The password written by whoever deployed the template (in the template, a parameter, a
    secret, or the Terraform state) stays the user's password: it is known to more people than
    the user and lives on in places nobody rotates. Forcing a change at first sign-in makes the
    password the user's own (cfn_nag W50).

    ## Example
    ```yaml
    Resources:
      Alice:
        Type: AWS::IAM::User
        Properties:
          LoginProfile:
            Password: "{{resolve:secretsmanager:alice-initial-password}}"
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
    - [AWS::IAM::User LoginProfile](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-iam-user-loginprofile.html)
    - [aws_iam_user_login_profile](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_user_login_profile)
    - [Managing passwords for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html)
    """

    code = "IAM509"
    name = "login-profile-without-reset"
    severity = Severity.WARNING

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource in document.resources:
            where = LOGIN_PROFILES.get(resource.type)
            if where is None:
                continue
            holder, flag, user = where
            profile = resource.property(holder) if holder is not None else resource.properties
            if holder is not None and (profile is None or not profile.is_mapping or len(profile.value) == 1
                                       and next(iter(profile.value)).startswith("Fn::")):
                continue  # no console password, or one only known when deployed
            name = resource.property(user)
            who = name.value if name is not None and type(name.value) is str else resource.name
            reset = profile.get(flag) if profile is not None else None
            if reset is None:
                place = profile.key if holder is not None and profile.key is not None else resource.type_node
                yield Finding(place or resource.node, f"the console password of `{who}` is never required to change "
                                                      f"at first sign-in (`{flag}` is not set, and defaults to false)")
            elif reset.value is False or (type(reset.value) is str and reset.value.strip().lower() == "false"):
                yield Finding(reset, f"the console password of `{who}` is never required to change at first sign-in "
                                     f"(`{flag}` is false)")
