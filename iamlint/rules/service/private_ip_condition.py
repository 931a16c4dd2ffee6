from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.conditions import ip_networks, is_private
from iamlint.diagnostics import Finding, Severity
from iamlint.rules.base import Rule

SOURCE_IP = "aws:sourceip"


def private_networks(condition) -> list | None:
    """The ``(node, network)`` pairs of an `IpAddress`/`NotIpAddress` entry on `aws:SourceIp`
    when every value is a private address or range; None otherwise (a public range, a value
    iamlint cannot read or parse, no value, another key or operator)."""
    if condition.name != SOURCE_IP or condition.type != "IpAddress" or not condition.values:
        return None
    networks = ip_networks(condition)
    if len(networks) != len(condition.values) or not all(is_private(net) for _, net in networks):
        return None
    return networks


def quoted(nodes) -> str:
    return ", ".join(f"`{node.value.strip()}`" for node in nodes)


class PrivateIpCondition(Rule):
    """An `aws:SourceIp` condition that lists only private addresses (`10.0.0.0/8`,
    `192.168.0.0/16`, `fd00::/8`, ...), which the key never holds.

    `aws:SourceIp` is the public address a request comes from. A request through a VPC
    endpoint carries no `aws:SourceIp` at all (use `aws:VpcSourceIp` for the private address it
    comes from), and a request over the internet comes from a public address. Private means here:
    RFC 1918, shared address space (`100.64.0.0/10`), loopback, link-local and IPv6 unique-local
    and link-local ranges; `0.0.0.0/0` is not private, nor are the documentation ranges.

    Reported at the key when every value of an `IpAddress` or `NotIpAddress` entry (with or
    without `IfExists` and set qualifiers) is private. A list that mixes public and private
    ranges is `imprecise-ip-condition`'s (IAM211); a list with a value iamlint cannot read (a
    template parameter) is not reported. `aws:VpcSourceIp` and
    `aws:Ec2InstanceSourcePrivateIPv4` hold private addresses by design and are not checked.

    ## Why is this bad?
    With `IpAddress` the condition never matches, so an Allow never grants anything and a Deny
    never applies. With `NotIpAddress` it is always true: a Deny meant for "everyone outside our
    network" denies every request, and an Allow built on it allows requests from anywhere.

    ## Example
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]
    }
    ```

    ## Use instead
    ```json
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}}]
    }
    ```

    ## References
    - [AWS global condition context keys: aws:SourceIp](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip)
    - [IAM Access Analyzer policy checks: Private IP address](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    """

    code = "IAM210"
    name = "private-ip-condition"
    severity = Severity.ERROR

    def check(self, policy, ctx) -> Iterable[Finding]:
        for statement in policy.statements():
            for condition in statement.conditions():
                if condition.name != SOURCE_IP:
                    continue
                networks = private_networks(condition)
                if networks is None:
                    continue
                values = quoted(node for node, _ in networks)
                reason = (f"`{condition.key}` never holds a private address (requests through a VPC endpoint "
                          f"carry none)")
                if condition.negated:
                    effect = statement.effect
                    outcome = ("so this Deny applies to every request" if effect == "Deny" else
                               "so this Allow applies to requests from anywhere" if effect == "Allow" else
                               "so the condition holds for every request")
                    message = (f"{reason}: `{condition.operator}` on {values} is always true, {outcome}; "
                               "use `aws:VpcSourceIp`, `aws:SourceVpc` or `aws:SourceVpce`")
                else:
                    verb = "never matches" if len(networks) == 1 else "never match"
                    message = (f"{reason}: {values} {verb}; use `aws:VpcSourceIp`, `aws:SourceVpc` "
                               "or `aws:SourceVpce`")
                yield Finding(condition.key_node, message)
