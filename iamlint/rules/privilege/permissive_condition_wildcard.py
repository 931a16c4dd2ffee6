from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import policy_entries, sensitive_keys
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.variables import first_wildcard, variables

# variables whose value the caller (or whoever tags the resource) chooses
CALLER_SET = ("aws:principaltag/", "aws:requesttag/", "aws:resourcetag/")
PREFIX_LENGTH = 6  # literal characters a `prefix` key's value needs before a wildcard
_WILDCARDS_ONLY = re.compile(r"[*?]+")


class PermissiveConditionWildcard(Rule):
    """A condition on an account, organization, principal or source key matches too much: a wildcard,
    or a variable the caller sets.

    The keys (`iamlint/data/sensitive-condition-keys.txt`) and what their values may hold:
    - accounts and organizations (`aws:PrincipalAccount`, `aws:SourceAccount`,
      `aws:ResourceAccount`, `aws:PrincipalOrgID`, `aws:SourceOrgID`, `aws:SourceOwner`, ...):
      no wildcard at all;
    - ARNs, organization paths, VPCs (`aws:PrincipalArn`, `aws:SourceArn`,
      `aws:PrincipalOrgPaths`, `aws:SourceVpc`, `aws:SourceVpce`, ...): at least 6 literal
      characters before the first wildcard (`arn:*` is reported, `arn:aws:iam::111122223333:role/deploy-*`
      is not);
    - `aws:userid`: not only wildcards, not a variable alone (`AIDACKCEVSQ6C2EXAMPLE:*` and
      `*:*` are fine).

    Wildcards count with operators that match them (`StringLike`, `ArnLike`, `ArnEquals` and
    their negations); in `StringEquals` a `*` is literal (`wildcard-without-like`). A variable
    whose value the caller chooses (`${aws:PrincipalTag/...}`, `${aws:RequestTag/...}`,
    `${aws:ResourceTag/...}`) counts as a wildcard with every operator; variables AWS sets
    (`${aws:PrincipalAccount}`, `${aws:PrincipalOrgID}`) are fine.

    ## Why is this bad?
    These keys are how a policy says *whose* requests it admits. A wildcard in
    `aws:SourceAccount` admits every account that matches it; a tag the caller sets lets the
    caller write the value the condition compares with. An `Allow` meant for one account opens
    to others, a `Deny`'s exception lets others through.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders",
                     "Condition": {"StringLike": {"aws:SourceAccount": "1111*"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders",
                     "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]
    }
    ```

    ## Known problems
    Access Analyzer checks a list of sensitive keys that AWS does not publish; iamlint's list
    is its own reading and may differ. A `Null` test, and values iamlint cannot read (template
    intrinsics), are never reported.

    ## References
    - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    - [Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM323"
    name = "permissive-condition-wildcard"
    severity = Severity.ERROR

    def check(self, policy, ctx) -> Iterable[Finding]:
        entries = policy_entries(policy)
        if not entries:
            return
        sensitive = sensitive_keys()
        for condition in entries:
            how = sensitive.get(condition.name)
            if how is None or condition.type in (None, "Null"):
                continue
            for node in condition.strings():
                problem = _problem(how, condition, node.value)
                if problem is not None:
                    yield Finding(node, problem)


def _noun(key: str) -> str:
    lowered = key.lower()
    return "organization" if "org" in lowered else "account" if "account" in lowered or "owner" in lowered else "value"


def _problem(how: str, condition, value: str) -> str | None:
    key = condition.key
    wildcard = first_wildcard(value) if condition.matches_wildcards else None
    caller = next((v for v in variables(value) if v.closed and not v.escape
                   and v.name.strip().lower().startswith(CALLER_SET)), None) if "${" in value else None
    if how == "userid":
        if wildcard is not None and _WILDCARDS_ONLY.fullmatch(value):
            return (f"`{value}` in `{key}` matches every caller: put the principal's unique id before a `:` "
                    f"(`AIDACKCEVSQ6C2EXAMPLE:*`)")
        variable = variables(value)
        if len(variable) == 1 and variable[0].text == value and not variable[0].escape:
            return (f"`{value}` alone in `{key}` matches whatever the caller's id is: put the principal's unique id "
                    f"before a `:` (`AIDACKCEVSQ6C2EXAMPLE:{value}`)")
        return None
    if how == "prefix":
        if caller is not None and caller.start < PREFIX_LENGTH and (wildcard is None or caller.start < wildcard):
            return f"`{caller.text}` is set by the caller: it works as a wildcard in `{key}`"
        if wildcard is not None and wildcard < PREFIX_LENGTH:
            return (f"`{value}` in `{key}` matches almost anything: start the value with at least "
                    f"{PREFIX_LENGTH} literal characters")
        return None
    if caller is not None:
        return f"`{caller.text}` is set by the caller: it works as a wildcard in `{key}`; name the {_noun(key)}s"
    if wildcard is not None:
        noun = _noun(key)
        return f"a wildcard in `{key}` (`{value}`) lets any matching {noun} through: name the {noun}s"
    return None
