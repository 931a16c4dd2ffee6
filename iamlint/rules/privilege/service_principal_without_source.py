from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.policy import Statement

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import this
from iamlint.principals import Principal, principals
from iamlint.rules.base import Rule
from iamlint.values import Opaque, is_opaque

# The keys that name the resource, account or organization a service acts for
SOURCE_KEYS = ("aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner")
_SOURCE = frozenset(k.lower() for k in SOURCE_KEYS)


def service_grants(statement: Statement) -> list[Principal] | None:
    """The service principals an `Allow` names, when its conditions can be read (None: not an
    `Allow`, no service principal, or a `Condition` only known when deployed)."""
    if not statement.is_allow:
        return None
    services = [p for p in principals(statement) if p.kind == "service"]
    condition = statement.get("Condition")
    if not services or is_opaque(condition) or (
            condition is not None and any(is_opaque(block) for _, block in condition.items())):
        return None
    return services


def source_tested(statement: Statement) -> bool:
    """Whether a condition confines the statement to particular sources (``Condition.narrows``
    on a source key: present, positive, and no value such as `*` or `arn:aws:sns:*:*:*`)."""
    return statement.conditions().narrows(_SOURCE)


def other_tests(statement: Statement) -> list[str]:
    """The keys, other than the source keys, that the statement tests positively (the request
    must carry them), each once, as written."""
    keys = [c.key for c in statement.conditions() if c.requires_key and c.name not in _SOURCE]
    return list(dict.fromkeys(keys))


def shown(node) -> str:
    """A value as a message quotes it: a string as written, an opaque value as the string it builds."""
    value = node.value
    return value.spelled() if type(value) is Opaque else str(value)


class ServicePrincipalWithoutSource(Rule):
    """A resource policy lets an AWS service in with no condition on the source it acts for.

    Reported at each `Service` principal of an `Allow` in a resource policy (a Lambda permission
    included) whose conditions test nothing the request must carry: no condition, or only negated,
    `...IfExists`, `ForAllValues:` or `Null` tests, or a source key (`aws:SourceArn`,
    `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceOwner`) whose value
    matches every source (`arn:aws:sns:*:*:*`). A statement with a positive test of another key
    is service-principal-condition-key's (IAM317). Trust policies are left out, as Access
    Analyzer leaves them out.

    ## Why is this bad?
    A service acts for every customer. Without a condition naming your resource or account, any
    other account can make the service use its access to your resource for them: an SNS topic of
    someone else's sending to your queue, their S3 bucket invoking your function, their trail
    writing into your bucket (the confused deputy problem). Access Analyzer:
    RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL.

    ## Example
    ```yaml
    Resources:
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: sns.amazonaws.com}
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
    ```

    ## Use instead
    ```yaml
    Resources:
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: sns.amazonaws.com}
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
                Condition:
                  ArnEquals:
                    aws:SourceArn: !Ref Topic
    ```

    ## Known problems
    A few services send no source keys for some uses; AWS's documentation of each service says
    which condition to use. Lambda permissions: set the permission's `SourceArn` or
    `SourceAccount` (Terraform: `source_arn`, `source_account`).

    ## References
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    - [AWS global condition context keys: aws:SourceArn](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn)
    """

    code = "IAM316"
    name = "service-principal-without-source"
    severity = Severity.WARNING
    kinds = frozenset({"resource"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            services = service_grants(statement)
            if services is None or source_tested(statement) or other_tests(statement):
                continue
            for principal in services:
                yield Finding(principal.node, f"`{shown(principal.node)}` may use {this(policy.holder)} on behalf "
                                              "of any account (the confused deputy problem): test `aws:SourceArn` "
                                              "or `aws:SourceAccount`")
