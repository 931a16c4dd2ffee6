from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import holder
from iamlint.rules.base import Rule

# holder -> {condition key (lower case): why it tells nothing there}; only cases AWS documents
IRRELEVANT_KEYS: dict[str, dict[str, str]] = {
    "AWS::S3::Bucket": {"s3:resourceaccount": "always the account that owns the bucket"},
    "AWS::S3::AccessPoint": {"s3:resourceaccount": "always the account that owns the access point"},
}


class IrrelevantConditionKey(Rule):
    """A resource policy tests a condition key whose value is fixed in that policy.

    Reported at the key: `s3:ResourceAccount` in an S3 bucket or access point policy, where the
    resource is always the policy's own. Checked where iamlint knows what the policy belongs to.

    ## Why is this bad?
    The test tells nothing in this policy: the condition is always true (or always false), and
    the statement does not do what its author meant. `s3:ResourceAccount` belongs in identity
    policies and VPC endpoint policies, which reach resources of many accounts. Access Analyzer:
    IRRELEVANT_CONDITION_KEY_IN_POLICY.

    ## Example
    ```yaml
    Resources:
      ReportsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::111122223333:role/reader}
                Action: s3:GetObject
                Resource: !Sub "${Reports.Arn}/*"
                Condition:
                  StringEquals:
                    s3:ResourceAccount: "111122223333"
    ```

    ## Use instead
    ```yaml
    Resources:
      ReportsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: arn:aws:iam::111122223333:role/reader}
                Action: s3:GetObject
                Resource: !Sub "${Reports.Arn}/*"
    ```

    ## References
    - [Access Analyzer policy checks: irrelevant condition key in policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-irrelevant-condition-key-in-policy)
    """

    code = "IAM226"
    name = "irrelevant-condition-key"
    severity = Severity.INFO
    kinds = frozenset({"resource"})
    applies_to = "S3 bucket and access point policies"

    def check(self, policy, ctx) -> Iterable[Finding]:
        irrelevant = IRRELEVANT_KEYS.get(policy.holder) if policy.holder is not None else None
        if not irrelevant:
            return
        named = holder(policy.holder).policy
        for statement in policy.statements():
            for condition in statement.conditions():
                why = irrelevant.get(condition.name)
                if why is not None:
                    yield Finding(condition.key_node, f"`{condition.key}` is {why} in its {named}: "
                                                      "the test tells nothing here; use it in identity policies")
