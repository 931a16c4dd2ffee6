from __future__ import annotations

from iamlint.rules.base import ReaderRule, Severity


class TooManyConditions(ReaderRule):
    """A policy depends on more conditions than iamlint combines: each was checked on its own.

    A policy with alternatives (`Fn::If`, Terraform's `c ? a : b`) is checked in every possible
    world: every combination of its conditions' truth values. Up to 6 conditions (64
    combinations) that is every world; beyond, each condition is varied alone while the others
    are true, so a finding that needs two conditions false at once can be missed. Reported once,
    at the policy, as a notice.

    ## Why is this bad?
    It is not a mistake in the policy, but the check was not exhaustive: a policy that many
    conditions shape is also hard for people to review. Splitting it into policies per condition
    makes both easier.

    ## Example
    ```yaml
    Conditions:
      A: !Equals [!Ref A, "yes"]
      B: !Equals [!Ref B, "yes"]
      C: !Equals [!Ref C, "yes"]
      D: !Equals [!Ref D, "yes"]
      E: !Equals [!Ref E, "yes"]
      F: !Equals [!Ref F, "yes"]
      G: !Equals [!Ref G, "yes"]
    Resources:
      Policy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [!If [A, s3:GetObject, !Ref AWS::NoValue], !If [B, s3:PutObject, !Ref AWS::NoValue],
                         !If [C, sqs:SendMessage, !Ref AWS::NoValue], !If [D, sns:Publish, !Ref AWS::NoValue],
                         !If [E, logs:PutLogEvents, !Ref AWS::NoValue], !If [F, kms:Decrypt, !Ref AWS::NoValue],
                         !If [G, kms:Encrypt, !Ref AWS::NoValue]]
                Resource: "*"
    ```

    ## Use instead
    One managed policy per feature, attached under the feature's condition
    (`Condition: A` on the resource), each without `Fn::If` inside.

    ## References
    - [Condition functions (Fn::If)](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html)
    """

    code = "IAM010"
    name = "too-many-conditions"
    severity = Severity.INFO
