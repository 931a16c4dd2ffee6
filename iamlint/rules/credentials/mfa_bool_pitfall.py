from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.credentials import MFA_PRESENT


class MfaBoolPitfall(Rule):
    """An `aws:MultiFactorAuthPresent` condition that does not do what it seems to.

    - `Deny` + `Bool` `false` (or `ForAnyValue:Bool`): requests signed with long-term access
      keys carry no `aws:MultiFactorAuthPresent` key at all, so the condition is false for them
      and the Deny never applies. Use `BoolIfExists`.
    - `Allow` + `BoolIfExists` `true` (or `ForAllValues:Bool`): matches when the key is absent,
      so it lets every access-key call through without MFA. Use `Bool`.
    - `Allow` + `Bool` `false` (any form): matches only requests made without MFA, the
      opposite of what an MFA condition on an Allow is for. Use `Bool` `true`.
    - `Allow` + `Null` `false`: only tests that the key exists (temporary credentials), not that
      MFA was used. Use `Bool` `true`.

    Reported at the condition key.

    ## Why is this bad?
    The policy looks MFA-protected in review but is not for CLI and SDK calls made with access
    keys, the credentials most often leaked.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "NotAction": "iam:ListMFADevices", "Resource": "*",
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "NotAction": "iam:ListMFADevices", "Resource": "*",
                     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]
    }
    ```

    ## References
    - [AWS global condition keys: aws:MultiFactorAuthPresent](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent)
    """

    code = "IAM503"
    name = "mfa-bool-pitfall"
    severity = Severity.ERROR

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            effect = statement.effect
            for c in statement.conditions().on((MFA_PRESENT,)):
                truth = c.truth
                if effect == "Deny" and c.type == "Bool" and not c.matches_absent and truth is False:
                    message = (f"`{c.operator}` `false` never matches requests signed with access keys (they carry "
                               "no MFA key), so this Deny does not apply to them; use `BoolIfExists`")
                elif effect == "Allow" and c.type == "Bool" and c.matches_absent and truth is True:
                    message = (f"`{c.operator}` `true` also matches requests without the key, letting access-key calls "
                               "through without MFA; use `Bool`")
                elif effect == "Allow" and c.type == "Bool" and truth is False:
                    message = (f"`{c.operator}` `false` on an Allow matches only requests made without MFA; to require "
                               "MFA use `Bool` `true`")
                elif effect == "Allow" and c.type == "Null" and truth is False:
                    message = ("`Null` `false` only checks that temporary credentials are used, not that MFA was; "
                               "use `Bool` `aws:MultiFactorAuthPresent` `true`")
                else:
                    continue
                yield Finding(c.key_node, message)
