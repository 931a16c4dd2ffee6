from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import ip_networks, is_private
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule
from iamlint.rules.service.private_ip_condition import SOURCE_IP, private_networks


class ImpreciseIpCondition(Rule):
    """An IP address condition value that does not say what it seems to: a CIDR range with host
    bits set (`203.0.113.7/24`), or a private range in an `aws:SourceIp` list that also has
    public ones.

    - Host bits: IAM reads `203.0.113.7/24` as `203.0.113.0/24`, the whole network; checked in
      every `IpAddress`/`NotIpAddress` entry, whatever the key.
    - Private ranges among public ones: `aws:SourceIp` never holds a private address, so
      `10.0.0.0/8` in `["203.0.113.0/24", "10.0.0.0/8"]` never matches anything; the rest of the
      list still works. When every value is private, `private-ip-condition` (IAM210) reports
      the key instead.

    Reported at the value.

    ## Why is this bad?
    Neither changes what the policy does today, which is the problem: `203.0.113.7/24` reads as
    one host and allows 256; a private range next to the office's public range suggests that
    requests from the VPC are covered when they are not (for those, use `aws:VpcSourceIp`,
    `aws:SourceVpc` or `aws:SourceVpce`).

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.7/24", "10.0.0.0/8"]}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
                     "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]
    }
    ```

    ## References
    - [IAM JSON policy elements: IP address condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress)
    - [IAM Access Analyzer policy checks: Improve IP range, Private IP address subset](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM211"
    name = "imprecise-ip-condition"
    severity = Severity.INFO

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if condition.type != "IpAddress":
                    continue
                networks = ip_networks(condition)
                subset = condition.name == SOURCE_IP and private_networks(condition) is None
                for node, network in networks:
                    text = node.value.strip()
                    if _host_bits(text, network):
                        bits = network.max_prefixlen - network.prefixlen
                        yield Finding(node, f"`{text}` ignores its last {bits} bits: write `{network}`")
                    elif subset and is_private(network):
                        yield Finding(node, f"`{text}` never matches `{condition.key}`, which never holds a private "
                                            "address; the other values of the list still apply. For requests "
                                            "from a VPC, use `aws:VpcSourceIp`")


def _host_bits(text: str, network) -> bool:
    """Whether a range has bits set after its prefix (`203.0.113.7/24`); a single address has none."""
    if "/" not in text:
        return False
    import ipaddress

    return ipaddress.ip_address(text.partition("/")[0]) != network.network_address
