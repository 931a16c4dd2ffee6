"""IAM5xx: authentication and credentials: MFA, access keys, hard-coded secrets."""

from __future__ import annotations

from iamlint.policy import Statement

MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"


def requires_mfa(statement: Statement) -> bool:
    """True when an Allow statement only matches MFA-authenticated requests.

    ``Bool aws:MultiFactorAuthPresent true`` (the key is absent for access keys, so the
    condition fails for them), or ``NumericLessThan[Equals] aws:MultiFactorAuthAge`` (absent
    without MFA). ``BoolIfExists ... true`` does not count: it matches when the key is absent.
    """
    for c in statement.conditions().on((MFA_PRESENT, MFA_AGE)):
        plain = c.qualifier is None and not c.if_exists
        if c.name == MFA_PRESENT and plain and c.base == "Bool" and c.truth is True:
            return True
        if c.name == MFA_AGE and plain and c.base in ("NumericLessThan", "NumericLessThanEquals"):
            return True
    return False


def denies_without_mfa(statement: Statement) -> bool:
    """True for the recommended guardrail: Deny with ``BoolIfExists aws:MultiFactorAuthPresent false``."""
    return statement.effect == "Deny" and any(
        c.qualifier is None and c.base == "Bool" and c.if_exists and c.truth is False
        for c in statement.conditions().on((MFA_PRESENT,)))
