"""IAM3xx: least privilege. Deny statements are guardrails and never reported as too broad."""

from __future__ import annotations

from iamlint.policy import Statement


def service_part(action: str) -> str:
    return action.split(":", 1)[0] if ":" in action else action


def is_every_action(action: str) -> bool:
    """`*`, `*:*`, `*:Get*`...: a pattern whose service part matches every service."""
    return service_part(action) == "*"


def is_full_admin(statement: Statement) -> bool:
    return statement.is_allow and statement.resource_star() is not None and any(
        n.value.strip() in ("*", "*:*") for n in statement.strings("Action"))
