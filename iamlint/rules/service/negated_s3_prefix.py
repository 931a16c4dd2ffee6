from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key


class NegatedS3Prefix(Rule):
    """`s3:prefix` is tested in a negative sense: a `Deny` on some prefixes, an `Allow` on all but some.

    Reported at the key: a `Deny` whose test of `s3:prefix` is not negated (`StringLike`,
    `StringEquals`, with or without `IfExists`), and an `Allow` whose test is negated
    (`StringNotLike`, `StringNotEquals`). `Null` tests are left alone.

    ## Why is this bad?
    `s3:prefix` is the prefix a `ListBucket` request asks for, not the keys it returns. A `Deny`
    on `private/*` is bypassed by listing with a shorter prefix (`priv`, or none), which returns
    the `private/` keys too; an `Allow` on "not `private/*`" grants exactly those listings. Only
    the positive form is safe: allow (or leave undenied) the prefixes you mean, with `StringLike`
    in an `Allow`, or `StringNotLike` in a `Deny`.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
                     "Condition": {"StringLike": {"s3:prefix": "private/*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
                     "Condition": {"StringNotLike": {"s3:prefix": ["public/", "public/*"]}}}]
    }
    ```

    ## References
    - [IAM Access Analyzer policy checks: S3 prefix in negative context](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-s3-prefix-in-negative-context)
    - [Amazon S3 condition key examples: s3:prefix](https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html)
    """

    code = "IAM221"
    name = "negated-s3-prefix"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement, entry in conditions_by_key(policy).get("s3:prefix", ()):
            effect = statement.effect
            if effect not in ("Allow", "Deny") or entry.type in (None, "Null") or entry.negated != (effect == "Allow"):
                continue
            shown = next((f" `{v.value}`" for v in entry.strings()), "")
            if effect == "Deny":
                yield Finding(entry.key_node, f"a `Deny` on `{entry.operator}` `{entry.key}`{shown} is bypassed by "
                                              f"listing with a shorter prefix, or none; deny with `StringNotLike` "
                                              f"on the prefixes to show, or allow them with `StringLike`")
            else:
                yield Finding(entry.key_node, f"an `Allow` on `{entry.operator}` `{entry.key}`{shown} also "
                                              f"grants listing with a shorter prefix, or none, which returns those "
                                              f"keys too; allow the prefixes to show with `StringLike`")
