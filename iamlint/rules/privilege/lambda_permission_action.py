from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint import services
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

INVOKING = frozenset({"lambda:invokefunction", "lambda:invokefunctionurl"})


class LambdaPermissionAction(Rule):
    """A Lambda function's permission grants something other than invoking the function.

    Reported at each action of an `Allow` in a Lambda function's resource policy (an
    `AWS::Lambda::Permission`, Terraform's `aws_lambda_permission`) that is not
    `lambda:InvokeFunction` or `lambda:InvokeFunctionUrl`: `lambda:*`, `lambda:GetFunction`,
    the deprecated `lambda:InvokeAsync` (an action the service data does not know is
    unknown-action's). Policies whose resource iamlint does not know are not checked.

    ## Why is this bad?
    Services and other accounts need to invoke a function, nothing more: a permission for
    `lambda:*` or `lambda:GetFunction` also lets them read its code and configuration
    (environment variables included), usually by a copy-paste mistake.

    ## Example
    ```yaml
    Resources:
      InvokeFromTopic:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Handler
          Action: lambda:*
          Principal: sns.amazonaws.com
          SourceArn: !Ref Topic
    ```

    ## Use instead
    ```yaml
    Resources:
      InvokeFromTopic:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !Ref Handler
          Action: lambda:InvokeFunction
          Principal: sns.amazonaws.com
          SourceArn: !Ref Topic
    ```

    ## References
    - [Lambda resource-based policies](https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)
    - [AWS::Lambda::Permission](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html)
    """

    code = "IAM320"
    name = "lambda-permission-action"
    severity = Severity.WARNING
    kinds = frozenset({"resource"})
    applies_to = "Lambda permissions"

    def check(self, policy, ctx) -> Iterable[Finding]:
        if policy.holder != "AWS::Lambda::Function":
            return
        for statement in policy.statements():
            if not statement.is_allow:
                continue
            for node in statement.strings("Action"):
                action = node.value.strip().lower()
                if action not in INVOKING and services.expand(action):
                    yield Finding(node, f"this permission grants `{node.value}`, not only invoking the function: "
                                        "a Lambda permission is for `lambda:InvokeFunction` (or "
                                        "`lambda:InvokeFunctionUrl`)")
