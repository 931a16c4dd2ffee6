"""IAM5xx: authentication and credentials: MFA, access keys, hard-coded secrets."""

from __future__ import annotations

from iamlint.policy import Statement, value_is_true

MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"


def requires_mfa(statement: Statement) -> bool:
    """True when an Allow statement only matches MFA-authenticated requests.

    ``Bool aws:MultiFactorAuthPresent true`` (the key is absent for access keys, so the
    condition fails for them), or ``NumericLessThan[Equals] aws:MultiFactorAuthAge`` (absent
    without MFA). ``BoolIfExists ... true`` does not count: it matches when the key is absent.
    """
    for operator, key, value in statement.conditions():
        key = key.lower()
        if key == MFA_PRESENT and operator == "Bool" and value_is_true(value) is True:
            return True
        if key == MFA_AGE and operator in ("NumericLessThan", "NumericLessThanEquals"):
            return True
    return False


def denies_without_mfa(statement: Statement) -> bool:
    """True for the recommended guardrail: Deny with ``BoolIfExists aws:MultiFactorAuthPresent false``."""
    return statement.effect == "Deny" and any(
        key.lower() == MFA_PRESENT and operator == "BoolIfExists" and value_is_true(value) is False
        for operator, key, value in statement.conditions())
