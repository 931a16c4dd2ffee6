"""IAM5xx: authentication and credentials: MFA, access keys, hard-coded secrets."""

from __future__ import annotations

from iamlint.policy import Statement

MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"


def requires_mfa(statement: Statement) -> bool:
    """True when an Allow statement only matches MFA-authenticated requests.

    ``Bool aws:MultiFactorAuthPresent true`` (the key is absent for access keys, so the
    condition fails for them), or ``NumericLessThan[Equals] aws:MultiFactorAuthAge`` (absent
    without MFA); ``ForAnyValue:`` forms too (false when the key is absent). ``BoolIfExists ...
    true`` and ``ForAllValues:Bool ... true`` do not count: they match when the key is absent.
    """
    conditions = statement.conditions()
    return conditions.requires_true(MFA_PRESENT) or any(
        c.requires_key and c.base in ("NumericLessThan", "NumericLessThanEquals") for c in conditions.on((MFA_AGE,)))


def denies_without_mfa(statement: Statement) -> bool:
    """True for the recommended guardrail: Deny with ``BoolIfExists aws:MultiFactorAuthPresent false``
    (or ``ForAllValues:Bool ... false``: also true when the key is absent)."""
    return statement.effect == "Deny" and any(
        c.type == "Bool" and c.matches_absent and c.truth is False for c in statement.conditions().on((MFA_PRESENT,)))
