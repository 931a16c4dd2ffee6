from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import HOLDERS, holder
from iamlint.principals import principals
from iamlint.rules.base import Rule
from iamlint.rules.privilege import catalogue, listing

# Who can still undo a lockout, where AWS documents it
_UNDO = {"AWS::S3::Bucket": "only the account's root user can still delete the bucket policy",
         "AWS::KMS::Key": "AWS KMS refuses such a key policy unless its lockout safety check is bypassed"}


class PolicyLockout(Rule):
    """A resource policy denies everyone, with no condition, the actions that change the policy.

    Reported at the `*` principal of a `Deny` with no `Condition` whose actions (`*`, `s3:*`,
    `s3:Put*`, a `NotAction` that leaves them out) cover one that replaces or deletes the
    resource's own policy: `s3:PutBucketPolicy`/`s3:DeleteBucketPolicy` (S3 buckets),
    `kms:PutKeyPolicy`, `sqs:SetQueueAttributes`, `sns:SetTopicAttributes`,
    `secretsmanager:PutResourcePolicy`/`DeleteResourcePolicy`, `ecr:SetRepositoryPolicy`/`DeleteRepositoryPolicy`
    (and ECR Public's), `dynamodb:PutResourcePolicy`/`DeleteResourcePolicy`,
    `elasticfilesystem:PutFileSystemPolicy`. In a policy file, whose resource iamlint does not
    know, any of them.

    ## Why is this bad?
    An explicit deny wins over every allow, your administrators' included: once deployed, nobody
    can change or remove the policy through the usual means, and fixing it takes the account's
    root user (S3) or AWS Support. A deny meant for others needs a condition that leaves your
    administrators out.

    ## Example
    ```yaml
    Resources:
      LogsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                Principal: "*"
                Action: s3:DeleteBucketPolicy
                Resource: !GetAtt Logs.Arn
    ```

    ## Use instead
    ```yaml
    Resources:
      LogsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                Principal: "*"
                Action: s3:DeleteBucketPolicy
                Resource: !GetAtt Logs.Arn
                Condition:
                  ArnNotLike:
                    aws:PrincipalArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/admin
    ```

    ## References
    - [How do I regain access to my Amazon S3 bucket after I accidentally denied everyone access?](https://repost.aws/knowledge-center/s3-accidentally-denied-access)
    - [AWS KMS key policies: the lockout safety check](https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check)
    """

    code = "IAM319"
    name = "policy-lockout"
    severity = Severity.WARNING
    kinds = frozenset({"resource"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        entry = holder(policy.holder)
        if entry is not None:
            managing = entry.manages
        elif policy.holder is None:
            managing = tuple(action for h in HOLDERS.values() for action in h.manages)
        else:
            return
        if not managing:
            return
        for statement in policy.statements():
            if statement.effect != "Deny" or statement.get("Condition") is not None \
                    or statement.get("NotPrincipal") is not None:
                continue
            everyone = [p for p in principals(statement) if p.kind == "everyone"]
            covered = [action for _, hits in statement.covers(catalogue(managing)) for action in hits]
            if not everyone or not covered:
                continue
            actions = listing(list(dict.fromkeys(covered)))
            undo = _UNDO.get(policy.holder)
            for principal in everyone:
                yield Finding(principal.node, f"this Deny keeps everyone, your administrators included, from {actions} "
                                              "with no condition: nobody can change the policy any more"
                                              + (f" ({undo})" if undo else "")
                                              + "; leave your administrators out with `ArnNotLike aws:PrincipalArn`")
