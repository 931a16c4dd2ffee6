"""What every rule is: stable code and name, a severity, the policy kinds it applies to, and docs."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.policy import KINDS

if TYPE_CHECKING:
    from iamlint.cloudformation import Template
    from iamlint.engine import PolicyContext
    from iamlint.policy import PolicyDocument


class Rule:
    """Base class. The subclass's docstring is its documentation page (Markdown)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    kinds: ClassVar[frozenset[str]] = frozenset(KINDS)
    options: ClassVar[dict[str, Any]] = {}  # the rule's own settings and their defaults

    def check(self, policy: PolicyDocument, ctx: PolicyContext) -> Iterable[Finding]:
        """Yield a Finding for each node this rule objects to. Rules never compute positions."""
        return ()

    @classmethod
    def docs(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n", 1)[0].strip()


class ReaderRule(Rule):
    """A rule whose findings come from reading and parsing a file, not from a policy."""

    kinds: ClassVar[frozenset[str]] = frozenset()


class TemplateRule(Rule):
    """A rule about a CloudFormation/SAM template as a whole (its resources, not one policy)."""

    kinds: ClassVar[frozenset[str]] = frozenset()

    def check_template(self, template: Template, ctx: PolicyContext) -> Iterable[Finding]:
        return ()
