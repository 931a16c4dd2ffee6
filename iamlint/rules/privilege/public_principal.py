from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.holders import policy_name
from iamlint.rules.base import Rule
from iamlint.values import is_opaque

NARROWING_KEYS = (
    "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
    "aws:PrincipalServiceName", "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:VpcSourceIp",
    "aws:userid", "aws:username", "kms:CallerAccount", "sts:ExternalId",
)
# Keys that narrow who in the policy of one kind of resource only (by its holder): the account or
# service a KMS key is used through, the access point an S3 request comes through, the token an
# event source must present to a function. A policy whose holder is unknown may be any of them.
HOLDER_NARROWING_KEYS = {
    "AWS::KMS::Key": ("kms:CallerAccount", "kms:ViaService"),
    "AWS::S3::Bucket": ("s3:DataAccessPointAccount", "s3:DataAccessPointArn"),
    "AWS::Lambda::Function": ("lambda:EventSourceToken",),
}


def narrowing_keys(keys, holder: str | None) -> frozenset[str]:
    """``keys`` (the rule's list), and those that narrow in the policy of ``holder``, in lower case."""
    extra = HOLDER_NARROWING_KEYS.get(holder, ()) if holder is not None else \
        [k for keys_of in HOLDER_NARROWING_KEYS.values() for k in keys_of]
    return frozenset(k.lower() for k in (*keys, *extra))


class PublicPrincipal(Rule):
    """An `Allow` statement names everyone as principal (`"*"` or `{"AWS": "*"}`) with no
    condition that narrows who.

    Narrowing conditions test one of: aws:SourceArn, aws:SourceAccount, aws:SourceOwner,
    aws:SourceOrgID, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceVpce,
    aws:SourceVpc, aws:SourceIp, ..., with an operator that is false when the key is absent and
    values that do not match everyone. Negated operators, `...IfExists` and `ForAllValues:` (both
    true when the key is absent) do not narrow, nor does a value such as `*` or
    `arn:aws:sns:*:*:*`, nor `aws:SourceIp` with private ranges only (requests to a public
    endpoint never come from them) or with `0.0.0.0/0`. A condition only known when deployed
    (`Condition: !Ref ...`) may narrow: not reported. In the policy of some kinds of resource
    more keys narrow: `kms:CallerAccount` and `kms:ViaService` in a KMS key policy,
    `s3:DataAccessPointAccount` and `s3:DataAccessPointArn` in an S3 bucket policy,
    `lambda:EventSourceToken` in a Lambda function's permission (all of them in a policy file,
    whose resource iamlint does not know). Reported at the `*`, saying what the policy belongs to
    when iamlint knows it ("this S3 bucket policy allows everyone ..."; a Lambda permission with
    `FunctionUrlAuthType: NONE` is a public function URL). Applies to resource and trust
    policies, Lambda permissions included.

    ## Why is this bad?
    Any AWS account, and for many services anonymous callers, can perform the allowed actions:
    the typical public S3 bucket or SQS queue.

    ## Example
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*"}]
    }
    ```

    ## Use instead
    ```json kind=resource
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]
    }
    ```

    ## Options
    - `narrowing_keys`: condition keys that count as narrowing (replaces the list above; the keys
      of particular resources are still added).
    - `holders`: the kinds of resource that must not be public, as CloudFormation resource types
      whatever the format (`["AWS::S3::Bucket", "AWS::SQS::Queue"]`: Access Analyzer's
      `check-no-public-access` resource types); policies of other resources are not reported. A
      trust policy's resource is `AWS::IAM::Role`, a Lambda permission's `AWS::Lambda::Function`.
      Unset: every resource. A policy file, whose resource iamlint does not know, is always checked.

    ## References
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    - [Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    """

    code = "IAM311"
    name = "public-principal"
    severity = Severity.ERROR
    kinds = frozenset({"resource", "trust"})
    options = {"narrowing_keys": list(NARROWING_KEYS), "holders": None}

    def check(self, policy, ctx) -> Iterable[Finding]:
        holders = ctx.option("holders")
        if isinstance(holders, str):
            holders = [holders]
        if holders is not None and policy.holder is not None and policy.holder not in holders:
            return
        keys = narrowing_keys(ctx.option("narrowing_keys"), policy.holder)
        for statement in policy.statements():
            principal = statement.get("Principal")
            if not statement.is_allow or principal is None or _unknown(statement.get("Condition")) \
                    or statement.conditions().narrows(keys):
                continue
            aws = principal.get("AWS")
            stars = [n for n in (aws.strings() if aws else []) if n.value == "*"]
            if principal.value == "*":
                stars = [principal]
            for star in stars:
                yield Finding(star, _message(policy.holder, statement))


def _unknown(condition) -> bool:
    """A condition only known when deployed (a whole `Condition`, or an operator's block): it may narrow."""
    return condition is not None and (is_opaque(condition) or any(is_opaque(block) for _, block in condition.items()))


def _message(holder: str | None, statement) -> str:
    if holder == "AWS::Lambda::Function" and any(
            c.requires_key and any(v.value == "NONE" for v in c.strings())
            for c in statement.conditions().on(("lambda:functionurlauthtype",))):
        return ("this Lambda function permission lets everyone (`*`) call the function URL with no "
                "authentication (`lambda:FunctionUrlAuthType` is `NONE`): anyone who finds the URL can invoke it")
    subject = "statement" if holder is None else f"this {policy_name(holder)}"
    return (f"{subject} allows everyone (`*`) with no condition that narrows who "
            "(e.g. aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount)")
