from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.data import read_list
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service import conditions_by_key

VPCE_KEYS = ("aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths")


def vpce_services() -> frozenset[str]:
    """The service prefixes whose requests carry the aws:Vpce* keys (data/vpce-key-services.txt)."""
    return frozenset(read_list("vpce-key-services"))


class VpceKeyUnsupportedService(Rule):
    """A statement tests an `aws:Vpce*` key on actions of services whose requests never carry it.

    The keys are `aws:VpceAccount`, `aws:VpceOrgID` and `aws:VpceOrgPaths`.

    AWS sets these keys only on requests that reach a supporting service through a VPC endpoint;
    the services are listed in iamlint's `data/vpce-key-services.txt` (seeded from AWS's own
    network-perimeter example policy). The statement is reported at the key when its `Action`
    has `*`, a wildcard service (`*:Get*`) or an action of a service not in the list, or when it
    uses `NotAction` (which always leaves such services in).

    ## Why is this bad?
    For a service that does not support the key, the key is never in the request: a perimeter
    `Deny` on `StringNotEqualsIfExists` still applies (and blocks every request to it, from your
    network too), a positive test never matches, so the statement does not draw the perimeter it
    seems to. Scope such statements to the services that support the keys, and guard the others
    with `aws:SourceVpce` or `aws:SourceIp`.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "EnforceNetworkPerimeter", "Effect": "Deny", "Action": "*", "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:VpceOrgID": "o-a1b2c3d4e5"},
                                   "BoolIfExists": {"aws:ViaAWSService": "false"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Sid": "EnforceNetworkPerimeter", "Effect": "Deny", "Action": ["s3:*", "kms:*", "sqs:*"],
                     "Resource": "*",
                     "Condition": {"StringNotEqualsIfExists": {"aws:VpceOrgID": "o-a1b2c3d4e5"},
                                   "BoolIfExists": {"aws:ViaAWSService": "false"}}}]
    }
    ```

    ## Known problems
    The list of supporting services is iamlint's, from AWS's example; a service AWS adds is
    reported until the list has it.

    ## References
    - [AWS global condition context keys: aws:VpceOrgID](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpceorgid)
    - [IAM Access Analyzer policy checks: Use condition key only with supported services](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-use-condition-key-only-with-supported-services)
    - [Data perimeter policy examples](https://github.com/aws-samples/data-perimeter-policy-examples)
    """

    code = "IAM218"
    name = "vpce-key-unsupported-service"
    severity = Severity.WARNING

    def check(self, policy, ctx) -> Iterable[Finding]:
        index = conditions_by_key(policy)
        outside_of: dict[int, str | None] = {}
        for name in VPCE_KEYS:
            for statement, entry in index.get(name, ()):
                if statement.index not in outside_of:
                    outside_of[statement.index] = self._outside(statement)
                outside = outside_of[statement.index]
                if outside is None:
                    continue
                if outside == "NotAction":
                    yield Finding(entry.key_node, f"`{entry.key}` is only set by some services, and `NotAction` "
                                                  f"leaves others in: their requests never carry the key; list the "
                                                  f"supported services' actions in `Action`")
                else:
                    yield Finding(entry.key_node, f"`{entry.key}` is only set by some services; `{outside}` is "
                                                  f"not one of them: its requests never carry the key (a negated "
                                                  f"`...IfExists` test always applies, a positive one never "
                                                  f"matches); scope the statement to supported services")

    @staticmethod
    def _outside(statement) -> str | None:
        """The first action pattern of a service that does not set the keys, `NotAction`, or None."""
        if statement.get("Action") is None:
            return "NotAction" if statement.get("NotAction") is not None else None
        supported = vpce_services()
        for node in statement.strings("Action"):
            prefix, colon, _ = node.value.strip().partition(":")
            if not colon or "*" in prefix or "?" in prefix or prefix.lower() not in supported:
                return node.value
        return None
