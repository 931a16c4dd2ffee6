from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.rules.base import DocumentRule, Finding, Severity
from iamlint.values import Alternatives

REFERENCE = r"\$\{(?P<name>[A-Za-z0-9]+(?:::[A-Za-z0-9]+)?)(?:\.[A-Za-z0-9.]+)?\}"


class UnsubstitutedReference(DocumentRule):
    """A `${...}` reference of the template reaches a policy as literal text.

    CloudFormation substitutes `${AWS::AccountId}`, `${AWS::Region}`, `${BucketName}` or
    `${Role.Arn}` only inside `Fn::Sub`. Written in a plain string (the `!Sub` forgotten, or a
    policy written as a JSON string), the deployed policy contains those characters themselves,
    so the ARN matches nothing. Reported at the string, for pseudo parameters (`AWS::...`) and
    for the template's own parameters and resources. IAM policy variables (`${aws:username}`)
    are not references: AWS substitutes them, and they are left alone.

    ## Why is this bad?
    An `Allow` on a resource that never matches is a dead grant; a `Deny` on one is a guardrail
    that does not apply. Neither CloudFormation nor IAM says anything: the stack deploys, and
    the policy silently does nothing.

    ## Example
    ```yaml
    Resources:
      ReadReports:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: "arn:aws:s3:::reports-${AWS::AccountId}/*"
    ```

    ## Use instead
    ```yaml
    Resources:
      ReadReports:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "arn:aws:s3:::reports-${AWS::AccountId}/*"
    ```

    ## References
    - [Fn::Sub](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html)
    - [Pseudo parameters](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html)
    """

    code = "IAM115"
    name = "unsubstituted-reference"
    severity = Severity.ERROR
    formats = frozenset({"templates"})

    def check_document(self, document, ctx) -> Iterable[Finding]:
        if "${" not in document.text:
            return
        names = set(document.parameters) | {r.name for r in document.resources}
        for policy in document.policies:
            stack = [policy.root]
            while stack:
                node = stack.pop()
                value = node.value
                if type(value) is dict:
                    stack.extend(reversed(value.values()))
                elif type(value) is list:
                    stack.extend(reversed(value))
                elif type(value) is Alternatives:
                    stack.extend(b for b in (value.if_false, value.if_true) if b is not None)
                elif type(value) is str and "${" in value:
                    for match in re.finditer(REFERENCE, value):
                        name = match.group("name")
                        if name.startswith("AWS::") or name in names:
                            yield Finding(node, f"`{match.group()}` reaches the policy as these very characters: "
                                                "CloudFormation substitutes it only inside `Fn::Sub` (`!Sub`)")
                            break
