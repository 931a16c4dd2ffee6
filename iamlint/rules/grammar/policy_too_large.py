from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.policy import a_kind
from iamlint.rules.base import Rule
from iamlint.rules.grammar import opening

# Characters. IAM does not count white space; Organizations counts every character it is sent.
LIMITS = {"identity": 6144, "boundary": 6144, "trust": 2048, "scp": 5120, "rcp": 5120, "resource": 20480}
COUNTS_WHITESPACE = frozenset({"scp", "rcp"})


class PolicyTooLarge(Rule):
    """The policy is longer than AWS accepts for its kind.

    Limits, in characters: managed identity policy and permissions boundary 6,144; role trust
    policy 2,048 (the default quota; raise it with the `limits` option if your account's quota
    is higher); SCP and RCP 5,120; resource policy 20,480 (the S3 bucket policy limit; other
    services differ). IAM does not count white space, so identity, boundary and trust policies
    are measured minified; AWS Organizations counts every character it is sent, so SCPs and
    RCPs are measured as written. A Terraform document that merges others
    (`source_policy_documents`, `override_policy_documents`) is measured as the policy the
    provider renders when iamlint can read every document it merges, and as its own statements
    otherwise.

    ## Why is this bad?
    The deployment fails (`LimitExceeded`), usually late: in the pipeline, not in review.

    ## Example
    ```json kind=trust
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
       "Condition": {"StringEquals": {"aws:SourceAccount": [
        "111111111111", "111111111112", "111111111113", "111111111114", "111111111115", "111111111116", "111111111117",
        "111111111118", "111111111119", "111111111120", "111111111121", "111111111122", "111111111123", "111111111124",
        "111111111125", "111111111126", "111111111127", "111111111128", "111111111129", "111111111130", "111111111131",
        "111111111132", "111111111133", "111111111134", "111111111135", "111111111136", "111111111137", "111111111138",
        "111111111139", "111111111140", "111111111141", "111111111142", "111111111143", "111111111144", "111111111145",
        "111111111146", "111111111147", "111111111148", "111111111149", "111111111150", "111111111151", "111111111152",
        "111111111153", "111111111154", "111111111155", "111111111156", "111111111157", "111111111158", "111111111159",
        "111111111160", "111111111161", "111111111162", "111111111163", "111111111164", "111111111165", "111111111166",
        "111111111167", "111111111168", "111111111169", "111111111170", "111111111171", "111111111172", "111111111173",
        "111111111174", "111111111175", "111111111176", "111111111177", "111111111178", "111111111179", "111111111180",
        "111111111181", "111111111182", "111111111183", "111111111184", "111111111185", "111111111186", "111111111187",
        "111111111188", "111111111189", "111111111190", "111111111191", "111111111192", "111111111193", "111111111194",
        "111111111195", "111111111196", "111111111197", "111111111198", "111111111199", "111111111200", "111111111201",
        "111111111202", "111111111203", "111111111204", "111111111205", "111111111206", "111111111207", "111111111208",
        "111111111209", "111111111210", "111111111211", "111111111212", "111111111213", "111111111214", "111111111215",
        "111111111216", "111111111217", "111111111218", "111111111219", "111111111220", "111111111221", "111111111222",
        "111111111223", "111111111224", "111111111225", "111111111226", "111111111227", "111111111228", "111111111229",
        "111111111230", "111111111231", "111111111232", "111111111233", "111111111234", "111111111235", "111111111236",
        "111111111237", "111111111238", "111111111239", "111111111240"
     ]}}}
    ]}
    ```

    ## Use instead
    ```json kind=trust
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
       "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    ]}
    ```

    ## Options
    - `limits`: a table of kind to limit, e.g. `limits = { trust = 4096 }`.

    ## References
    - [IAM and AWS STS quotas](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)
    - [Quotas for AWS Organizations](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html)
    """

    code = "IAM113"
    name = "policy-too-large"
    severity = Severity.ERROR
    options = {"limits": {}}

    whole_policy = True

    def check(self, policy, ctx) -> Iterable[Finding]:
        limit = {**LIMITS, **ctx.option("limits")}.get(policy.kind)
        if limit is None or policy.partial:  # a part is measured in the whole (PolicyDocument.merged)
            return
        if policy.kind in COUNTS_WHITESPACE and policy.text:
            size, how = len(policy.text), "characters"
        else:
            size = len(json.dumps(policy.data, separators=(",", ":"), ensure_ascii=False))
            how = "characters without white space"
        if size > limit:
            yield Finding(policy.root, f"the policy has {size:,} {how}; {a_kind(policy.kind)} may have "
                                       f"at most {limit:,}", span=opening(policy.root))
