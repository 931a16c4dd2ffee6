from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key

# lowercase key -> what the caller sets it from
CALLER_SET_KEYS = {"aws:referer": "the HTTP `Referer` header", "aws:useragent": "the HTTP `User-Agent` header"}


class UntrustworthyConditionKey(Rule):
    """A condition tests `aws:Referer` or `aws:UserAgent`, which the caller writes.

    Any use but a `Null` test is reported, at the key.

    ## Why is this bad?
    Both keys come from HTTP headers that the client sends: any HTTP client, `curl` included, can
    send whatever value the policy expects. A condition on them keeps out browsers that follow
    the rules, not someone who wants in; it cannot protect access to data. Use keys that AWS sets
    itself: `aws:SourceVpce` or `aws:SourceIp` for the network, `aws:SourceArn` for a CloudFront
    distribution (origin access control), or signed URLs.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
                     "Condition": {"StringLike": {"aws:Referer": "https://www.example.com/*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::site/*",
                     "Condition": {"StringEquals": {
                       "aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}]
    }
    ```

    ## Known problems
    AWS's older Amazon SES examples let `ses.amazonaws.com` write to a bucket when `aws:Referer`
    is your account ID; there SES sets the key, yet it is reported all the same, as Access
    Analyzer does: AWS now documents `aws:SourceAccount` and `aws:SourceArn` for that grant.

    ## References
    - [IAM Access Analyzer policy checks: Untrustworthy condition key](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-untrustworthy-condition-key)
    - [AWS global condition context keys: aws:Referer](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-referer)
    """

    code = "IAM220"
    name = "untrustworthy-condition-key"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        index = conditions_by_key(policy)
        for name, source in CALLER_SET_KEYS.items():
            for _, entry in index.get(name, ()):
                if entry.type != "Null":
                    yield Finding(entry.key_node, f"`{entry.key}` is set by the caller ({source}: any HTTP client can "
                                                  f"send it), so it cannot protect access; use `aws:SourceVpce`, "
                                                  f"`aws:SourceArn` (CloudFront) or signed URLs")
