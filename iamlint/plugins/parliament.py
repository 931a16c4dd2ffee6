"""The parliament plugin: parliament's auditors (community auditors included) on every policy
iamlint finds, standalone or inside a template, each finding placed at a node of the original file.

Enabled with `--plugin parliament` (or `plugins = ["parliament"]`). parliament is imported the
first time a policy is checked. Each of its finding types has a stable iamlint code, `PAR` plus a
number (the table below, also in the rule pages: `iamlint rule PAR011`); types that a later
parliament adds, or that private auditors report, come out as PAR999. parliament gets the policy
as plain JSON (a template's policy has no JSON text of its own; intrinsics become an ARN that
matches anything), and its findings are placed by what they point at: the action, resource, Sid
or principal string, the statement, or the policy.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.diagnostics import Finding, Severity
from iamlint.links import page_url
from iamlint.nodes import Span
from iamlint.plugins import once
from iamlint.policy import action_matches
from iamlint.rules.base import Rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (the table reads E/W/I)
# parliament issue type -> (iamlint code, severity, title); codes are stable, never reused
ISSUES = {
    "EXCEPTION": ("PAR001", E, "parliament could not audit the policy"),
    "MALFORMED_JSON": ("PAR002", E, "The JSON is malformed"),
    "MALFORMED": ("PAR003", E, "The policy is malformed"),
    "DUPLICATE_SID": ("PAR004", E, "Duplicate statement ids"),
    "RESOURCE_POLICY_PRIVILEGE_ESCALATION": ("PAR005", W, "Possible resource policy privilege escalation"),
    "UNKNOWN_PRINCIPAL": ("PAR006", W, "Unknown AWS principal"),
    "UNKNOWN_FEDERATION_SOURCE": ("PAR007", W, "Unknown federation source"),
    "MISMATCHED_TYPE_OPERATION_TO_NULL": ("PAR008", W, "Mismatched type of operator to null"),
    "MISMATCHED_TYPE_BUT_USABLE": ("PAR009", I, "Mismatched type, but usable"),
    "MISMATCHED_TYPE": ("PAR010", W, "Mismatched type"),
    "UNKNOWN_ACTION": ("PAR011", I, "Unknown action"),
    "UNKNOWN_PREFIX": ("PAR012", I, "Unknown prefix"),
    "UNKNOWN_CONDITION_FOR_ACTION": ("PAR013", W, "Unknown condition for action"),
    "BAD_PATTERN_FOR_MFA": ("PAR014", W, "Bad pattern used for MFA check"),
    "INVALID_SID": ("PAR015", I, "Invalid Sid"),
    "INVALID_ARN": ("PAR016", W, "Invalid ARN"),
    "NO_VERSION": ("PAR017", I, "The policy has no Version"),
    "INVALID_VERSION": ("PAR018", W, "Invalid Version"),
    "OLD_VERSION": ("PAR019", I, "Old Version"),
    "RESOURCE_MISMATCH": ("PAR020", W, "No resources match for the given action"),
    "RESOURCE_STAR": ("PAR021", I, "Unnecessary use of Resource *"),
    "RESOURCE_EFFECTIVELY_STAR": ("PAR022", I, "Unnecessary use of Resource * through wildcards"),
    "UNKNOWN_OPERATOR": ("PAR023", W, "Unknown condition operator"),
    "PERMISSIONS_MANAGEMENT_ACTIONS": ("PAR101", W, "Permissions management actions (community auditor)"),
    "PRIVILEGE_ESCALATION": ("PAR102", E, "Privilege escalation (community auditor)"),
    "CREDENTIALS_EXPOSURE": ("PAR103", W, "Credentials exposure (community auditor)"),
    "SENSITIVE_ACCESS": ("PAR104", E, "Sensitive resource access (community auditor)"),
    "NOTPRINCIPAL_WITH_ALLOW": ("PAR105", W, "NotPrincipal used with Allow (community auditor)"),
    "NOTRESOURCE_WITH_ALLOW": ("PAR106", W, "NotResource used with Allow (community auditor)"),
    "SINGLE_VALUE_CONDITION_TOO_PERMISSIVE":
        ("PAR107", W, "A single-value condition checked against a set (community auditor)"),
}
OTHER = ("PAR999", W, "Another parliament finding (a newer or private auditor)")
_DOCS = "https://github.com/duo-labs/parliament"


def _findings(policy) -> list:
    """parliament's findings for one policy, computed once for all of the plugin's rules."""

    def run() -> list:
        from parliament import analyze_policy_string

        try:
            return analyze_policy_string(_text(policy), filepath=policy.path, include_community_auditors=True).findings
        except Exception as error:  # parliament crashes on some valid policies; report, go on
            return [_Crash(f"parliament failed: {type(error).__name__}: {error}")]

    return once(policy, "parliament", "parliament", run)


def _text(policy) -> str:
    """The policy for parliament: its own source text when it has one (so parliament's line and
    column are the file's, shifted by where the policy starts), else plain JSON. A template's
    intrinsics (`!GetAtt Bucket.Arn`) are unknown values: they go in as an ARN that matches
    anything, which parliament neither flags as `*` nor as a mismatch."""
    if policy.text and not policy.in_template and policy.text.lstrip().startswith("{"):
        return policy.text
    if not policy.in_template:
        return json.dumps(policy.data, indent=1)
    from iamlint.values import plain_data

    return json.dumps(plain_data(policy.root, opaque="arn:*:*:*:*:*"), indent=1)


class _Crash:
    issue, location = "EXCEPTION", {}

    def __init__(self, detail: str) -> None:
        self.detail = detail


def _strings(policy):
    """Every string node of the policy's statements, in document order, and each statement."""
    for statement in policy.statements():
        stack = [statement.node]
        while stack:
            node = stack.pop()
            if node.key is not None and type(node.key.value) is str:
                yield node.key
            if type(node.value) is dict:
                stack.extend(reversed(node.value.values()))
            elif type(node.value) is list:
                stack.extend(reversed(node.value))
            elif type(node.value) is str:
                yield node


def _action_node(policy, action: str):
    """The Action pattern that covers ``action`` (parliament names expanded, lowercased actions)."""
    for statement in policy.statements():
        for node in statement.strings("Action") + statement.strings("NotAction"):
            if action_matches(node.value, action):
                return node
    return None


def place(policy, location):
    """Where a parliament location points: (node, None) for the action, resource, Sid or
    principal string it names, the statement it copies, or the policy; (None, span) for a line
    and column in the policy's own text."""
    if isinstance(location, dict) and isinstance(location.get("actions"), list) and location["actions"]:
        node = _action_node(policy, str(location["actions"][0]))
        if node is not None:
            return node, None
    if isinstance(location, dict) and isinstance(location.get("line"), int) and "string" not in location \
            and policy.text and not policy.in_template:
        start = policy.root.span
        line = start.line + location["line"] - 1
        column = location.get("column", 1) + (start.column - 1 if location["line"] == 1 else 0)
        return None, Span(line, column, line, column + 1)
    return _node(policy, location), None


def _node(policy, location):
    wanted = None
    if isinstance(location, str):
        wanted = location
    elif isinstance(location, list) and location and isinstance(location[0], str):
        wanted = location[0]
    elif isinstance(location, dict):
        if isinstance(location.get("string"), str):
            wanted = location["string"]
        elif isinstance(location.get("actions"), list) and location["actions"]:
            wanted = str(location["actions"][0])
        elif "Effect" in location:
            for statement in policy.statements():
                if statement.node.to_python() == location:
                    return statement.node
    if wanted is not None:
        for node in _strings(policy):
            if node.value == wanted or node.value.lower() == wanted.lower():
                return node
        if policy.root.get("Version") is not None and policy.root.get("Version").value == wanted:
            return policy.root.get("Version")
    return policy.root


def _detail(detail) -> str:
    if isinstance(detail, str):
        return detail
    text = json.dumps(detail, sort_keys=True, default=str)
    return text if len(text) <= 160 else text[:157] + "..."


class ParliamentRule(Rule):
    """Base of the generated rules: report parliament's findings of one issue type."""

    issues: frozenset[str] = frozenset()
    docs_url = page_url("plugins.md", "parliament")  # the table of the plugin's codes and parliament's issues

    def check(self, policy, ctx) -> Iterable[Finding]:
        for finding in _findings(policy):
            issue = finding.issue
            if issue in self.issues or (not self.issues and issue not in ISSUES):
                title = ISSUES.get(issue, OTHER)[2]
                detail = _detail(finding.detail)
                message = f"{title}: {detail} (parliament {issue})" if detail else f"{title} (parliament {issue})"
                if isinstance(finding.location, dict) and isinstance(finding.location.get("type"), str):
                    message = f"{title} `{finding.location['type']}`" + message[len(title):]
                node, span = place(policy, finding.location)
                if node is not None and node is policy.root and node.key is not None:
                    node = node.key
                yield Finding(node, message, span=span)


def _rule(issue: str | None, code: str, severity: Severity, title: str) -> type[ParliamentRule]:
    name = "parliament-" + (issue.lower().replace("_", "-") if issue else "other")
    doc = f"""{title} (parliament's `{issue or 'any other issue type'}`).

    Run by the parliament plugin (`--plugin parliament`) on every policy iamlint reads, with
    parliament's community auditors; placed at the node the finding points at.

    ## Why is this bad?
    See parliament's documentation of `{issue or 'its auditors'}`.

    ## References
    - [parliament]({_DOCS})
    """
    return type(f"Parliament{code}", (ParliamentRule,), {
        "__doc__": doc, "__module__": __name__, "code": code, "name": name, "severity": severity,
        "issues": frozenset([issue]) if issue else frozenset(), "applies_to": "all policy kinds (parliament plugin)"})


RULES = tuple(_rule(issue, code, severity, title) for issue, (code, severity, title) in ISSUES.items()) + (
    _rule(None, *OTHER),)


def rules() -> tuple[type[ParliamentRule], ...]:
    return RULES
