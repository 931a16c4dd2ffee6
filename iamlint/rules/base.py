"""The rule API: what every rule is (stable code and name, a severity, the policy kinds it
applies to, docs), what it receives (``RuleContext``) and what it yields (``Finding``).

Rules and plugins import from here; nothing here imports the engine, so rules never depend on
how they are run.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterable, Sequence

    from iamlint.parsers.json_parser import ParsedJSON
    from iamlint.readers.base import Document
    from iamlint.schema import SchemaError

from iamlint.diagnostics import Finding, Severity
from iamlint.policy import KINDS, PolicyDocument

__all__ = ["DocumentRule", "Finding", "ReaderRule", "Rule", "RuleContext", "Severity", "TemplateRule"]


class RuleContext:
    """What a rule may ask while it checks a policy or a document: its options, and the policy's
    schema errors (computed once for every grammar rule)."""

    def __init__(self, config, policy: PolicyDocument | None = None,
                 schema_claimers: Sequence[Rule] = ()) -> None:
        self.config = config  # iamlint.config.Config: the rules' options and severities
        self.policy = policy
        self.rule: type[Rule] | None = None
        # the grammar rules that report schema errors of their own (see unclaimed_schema_errors)
        self.schema_claimers = schema_claimers
        self._schema_errors: list[SchemaError] | None = None

    def option(self, name: str) -> Any:
        return self.config.option(self.rule, name)

    def own_accounts(self, rule: type[Rule] | None = None) -> frozenset[str]:
        """The account ids the user calls theirs (the top-level ``own-accounts`` setting), or
        the ``own_accounts`` option of ``rule`` (default: the rule running) when it sets one."""
        return self.config.own_accounts_for(rule or self.rule)

    def schema_errors(self) -> list[SchemaError]:
        if self._schema_errors is None:
            from iamlint.schema import validate

            policy = self.policy
            errors = validate(policy.kind, policy.root, policy.data)
            if policy.in_template:  # an opaque value is not a grammar error
                from iamlint.values import opaque_on_path

                errors = [e for e in errors if not opaque_on_path(policy.root, e.path)]
            self._schema_errors = errors
        return self._schema_errors

    def unclaimed_schema_errors(self) -> list[SchemaError]:
        """The schema errors no specific grammar rule reports (whether or not it runs)."""
        return [error for error in self.schema_errors()
                if not any(rule.claim(error, self.policy) for rule in self.schema_claimers)]


class Rule:
    """Base class. The subclass's docstring is its documentation page (Markdown)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    kinds: ClassVar[frozenset[str]] = frozenset(KINDS)
    options: ClassVar[dict[str, Any]] = {}  # the rule's own settings and their defaults
    # a rule about a policy as a whole (its size, its Sids), not the content of its statements:
    # it also checks a policy put together from others (``PolicyDocument.merged``), where the
    # other rules have nothing new to find
    whole_policy: ClassVar[bool] = False
    # where a plugin's rule is documented (iamlint.links); iamlint's own rules are in docs/rules.md
    docs_url: ClassVar[str | None] = None

    def check(self, policy: PolicyDocument, ctx: RuleContext) -> Iterable[Finding]:
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
    """A rule whose findings come from reading a file, not from a policy: reported by the engine
    (syntax errors, unreadable files, suppressions), or found by ``check_file`` in every tree the
    reader parsed."""

    kinds: ClassVar[frozenset[str]] = frozenset()

    def check_file(self, tree: ParsedJSON) -> Iterable[Finding]:
        return ()


class DocumentRule(Rule):
    """A rule about a document as a whole: its resources (the common view every format that has
    resources provides) and its inputs, not one policy."""

    kinds: ClassVar[frozenset[str]] = frozenset()
    formats: ClassVar[frozenset[str] | None] = None  # the readers whose documents it checks; None: all

    def check_document(self, document: Document, ctx: RuleContext) -> Iterable[Finding]:
        return ()


class TemplateRule(DocumentRule):
    """A document rule written for CloudFormation templates only (``check_template``)."""

    formats: ClassVar[frozenset[str] | None] = frozenset({"templates"})

    def check_document(self, document: Document, ctx: RuleContext) -> Iterable[Finding]:
        return self.check_template(document, ctx)

    def check_template(self, template: Document, ctx: RuleContext) -> Iterable[Finding]:
        return ()
