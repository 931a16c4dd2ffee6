"""The cfn-lint plugin: cfn-lint's own IAM rules, run on each template, merged into iamlint's output.

Enabled with `--plugin cfn-lint` (or `plugins = ["cfn-lint"]`). Each cfn-lint rule becomes an
iamlint rule whose code is `CFN` + cfn-lint's id (`CFNE3510`) and whose name is `cfn-lint-e3510`,
so selection, suppressions and severities work as for iamlint's own. cfn-lint (about 0.5 s to
import) is imported the first time a template is checked, never otherwise.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.nodes import Span
from iamlint.plugins import once
from iamlint.rules.base import TemplateRule

# cfn-lint 1.x rules about IAM: id -> what it checks (from the rules' own short descriptions)
CFN_LINT_IAM_RULES = {
    "E3050": "A `Ref` to an IAM resource that has a path set",
    "E3510": "Identity-based IAM policies are valid",
    "E3511": "IAM role ARNs match the role ARN pattern",
    "E3512": "Resource-based IAM policies are valid",
    "E3513": "ECR repository policies are valid",
    "E3514": "Resources of resource-based policies are valid ARNs",
    "E3530": "IAM trust policies are valid",
    "I3510": "Statement resources match the actions",
    "W2511": "IAM resource policies use the current syntax",
    "W3037": "IAM permissions (actions) exist",
}
_SEVERITIES = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}
_DOCS = "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md"  # cfn-lint's table of its rules


def _matches(template) -> list:
    """cfn-lint's matches for one template, computed once for all the plugin's rules."""

    def run() -> list:
        from cfnlint.api import ManualArgs, lint

        try:
            return lint(template.text, config=ManualArgs(regions=["us-east-1"], include_checks=["I"]))
        except Exception as error:  # a plugin's failure must not stop the run
            print(f"iamlint: cfn-lint failed on {template.path}: {error}", file=sys.stderr)
            return []

    return once(template, "cfn-lint", "cfn-lint", run)


class CfnLintRule(TemplateRule):
    """Base of the generated rules: report cfn-lint's matches of one rule id."""

    cfn_lint_id = ""
    docs_url = _DOCS  # cfn-lint documents its rules; iamlint's rules page does not hold these

    def check_template(self, template, ctx) -> Iterable[Finding]:
        for match in _matches(template):
            if match.rule.id != self.cfn_lint_id:
                continue
            span = Span(match.linenumber, match.columnnumber, match.linenumberend, match.columnnumberend)
            yield Finding(None, f"{match.message} (cfn-lint {self.cfn_lint_id})", span=span)


def _rule(rule_id: str, summary: str) -> type[CfnLintRule]:
    doc = f"""{summary} (cfn-lint rule {rule_id}).

    Run by the cfn-lint plugin (`--plugin cfn-lint`) on every template iamlint reads; the finding
    sits where cfn-lint puts it.

    ## Why is this bad?
    See cfn-lint's documentation of {rule_id}: CloudFormation would reject the template, or IAM
    would not apply the policy as written.

    ## References
    - [cfn-lint rules]({_DOCS})
    """
    return type(f"CfnLint{rule_id}", (CfnLintRule,), {
        "__doc__": doc, "__module__": __name__, "code": f"CFN{rule_id}", "name": f"cfn-lint-{rule_id.lower()}",
        "severity": _SEVERITIES[rule_id[0]], "cfn_lint_id": rule_id,
        "applies_to": "CloudFormation and SAM templates (cfn-lint plugin)"})


RULES = tuple(_rule(rule_id, summary) for rule_id, summary in CFN_LINT_IAM_RULES.items())


def rules() -> tuple[type[CfnLintRule], ...]:
    return RULES
