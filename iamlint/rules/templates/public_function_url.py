from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.nodes import Node

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import DocumentRule
from iamlint.values import Alternatives


def _values(node: Node | None) -> list[Node]:
    """The values a setting may have: both branches of an alternative."""
    if node is None:
        return []
    if type(node.value) is Alternatives:
        return _values(node.value.if_true) + _values(node.value.if_false)
    return [node]


class PublicFunctionUrl(DocumentRule):
    """A Lambda function URL takes requests without authentication (`AuthType: NONE`).

    Reported at the `NONE` of an `AWS::Lambda::Url`'s `AuthType`, of a SAM function's
    `FunctionUrlConfig.AuthType`, and of Terraform's `aws_lambda_function_url`
    `authorization_type`; in a `!If`, when either branch is `NONE`.

    ## Why is this bad?
    Anyone on the internet who finds the URL can invoke the function, as often as they like, and
    you pay for every call: the function must then authenticate and throttle callers itself.
    `AWS_IAM` lets only signed requests of principals you allow through.

    ## Example
    ```yaml
    Resources:
      HandlerUrl:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Handler.Arn
          AuthType: NONE
    ```

    ## Use instead
    ```yaml
    Resources:
      HandlerUrl:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Handler.Arn
          AuthType: AWS_IAM
    ```

    ## Known problems
    A public URL is sometimes the point (a webhook that checks a signature itself): suppress the
    finding on that resource and say why.

    ## References
    - [Control access to Lambda function URLs](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
    """

    code = "IAM408"
    name = "public-function-url"
    severity = Severity.WARNING
    applies_to = "Lambda function URLs (templates, Serverless resources, Terraform)"

    def check_document(self, document, ctx) -> Iterable[Finding]:
        for resource, setting in document.settings("function-url-auth-type"):
            for node in _values(setting):
                if type(node.value) is str and node.value.strip().upper() == "NONE":
                    yield Finding(node, f"`{resource.name}` opens a function URL with no authentication (`NONE`): "
                                        "anyone who finds the URL can invoke the function; use `AWS_IAM`")
