from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.privilege.service_principal_without_source import (
    other_tests,
    service_grants,
    shown,
    source_tested,
)


class ServicePrincipalConditionKey(Rule):
    """A resource policy confines an AWS service by other keys than the source it acts for.

    Reported at each `Service` principal of an `Allow` in a resource policy whose conditions
    test other keys positively (`aws:Referer`, `s3:x-amz-acl`, an encryption context) and no
    source key narrows it. With no positive test at all, service-principal-without-source
    (IAM316) reports the principal instead.

    ## Why is this bad?
    The other keys say what the request looks like, not for whom the service makes it: another
    account's distribution, trail or topic can still make the service use its access to your
    resource. AWS recommends a source key for every service principal. Access Analyzer:
    RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL.

    ## Example
    ```yaml
    Resources:
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: cloudfront.amazonaws.com}
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
                Condition:
                  StringLike:
                    aws:Referer: https://www.example.com/*
    ```

    ## Use instead
    ```yaml
    Resources:
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: cloudfront.amazonaws.com}
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
                Condition:
                  ArnEquals:
                    aws:SourceArn: !Sub "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"
    ```

    ## References
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    - [Access Analyzer policy checks: recommended condition key for service principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-recommended-condition-key-for-service-principal)
    """

    code = "IAM317"
    name = "service-principal-condition-key"
    severity = Severity.INFO
    kinds = frozenset({"resource"})

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            services = service_grants(statement)
            if services is None or source_tested(statement):
                continue
            others = other_tests(statement)
            if not others:
                continue
            tested = ", ".join(f"`{key}`" for key in others)
            for principal in services:
                yield Finding(principal.node, f"`{shown(principal.node)}` is confined by {tested} only, not by "
                                              "the resource or account it acts for: AWS recommends `aws:SourceArn`, "
                                              "`aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`")
