from __future__ import annotations

from iamlint.rules.base import Severity
from iamlint.rules.credentials.hardcoded_password import HardcodedPassword

SECRET_PROPERTY = (r"(?:AccessToken|OAuthToken|OauthToken|SecretToken|ClientSecret|RefreshToken|PrivateKey|"
                   r"TokenKey|ApiKey|SecretString|SecretAccessKey)$")


class HardcodedSecret(HardcodedPassword):
    """A token, API key, client secret or private key is written into the template.

    Checks every resource property whose name ends in `AccessToken`, `OAuthToken`, `SecretToken`,
    `ClientSecret`, `RefreshToken`, `PrivateKey`, `TokenKey`, `ApiKey`, `SecretString` or
    `SecretAccessKey` (an Amplify app's `AccessToken`, a CodeBuild source credential's `Token`-like
    settings, a Secrets Manager secret's `SecretString`, a Cognito client's `ClientSecret`, ...),
    as `hardcoded-password` checks passwords: a literal value is reported, and so is a `Ref` to a
    parameter without `NoEcho: true`, or a `NoEcho` parameter whose `Default` is the secret. A
    `{{resolve:secretsmanager:...}}` or `{{resolve:ssm-secure:...}}` dynamic reference is the fix.

    ## Why is this bad?
    A token in git is a token anyone with a clone can use, for as long as it is valid: rotate it
    and read it from a secret store at deploy time. cfn_nag reports these one resource type at a
    time (F41-F75); checkov and KICS report some of them.

    ## Example
    ```yaml
    Resources:
      Site:
        Type: AWS::Amplify::App
        Properties:
          Name: site
          Repository: https://github.com/example/site
          AccessToken: ghp_0123456789abcdefghijklmnopqrstuvwxyz
    ```

    ## Use instead
    ```yaml
    Resources:
      Site:
        Type: AWS::Amplify::App
        Properties:
          Name: site
          Repository: https://github.com/example/site
          AccessToken: "{{resolve:secretsmanager:site-github-token}}"
    ```

    ## References
    - [Dynamic references: Secrets Manager](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html)
    - [cfn_nag rules F41-F75](https://github.com/stelligent/cfn_nag)
    """

    code = "IAM510"
    name = "hardcoded-secret"
    severity = Severity.ERROR
    property_pattern = SECRET_PROPERTY
