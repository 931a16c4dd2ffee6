"""Time linear in the input: doubling a policy (its statements, actions, resources, conditions and
findings) at most roughly doubles the work. Work is counted, not timed: the number of function
calls (Python and built-in) during the lint, which no busy machine changes."""

from __future__ import annotations

import json
import sys

import pytest

from iamlint.config import Config
from iamlint.engine import Linter, policy_place, statement_at
from iamlint.rules import BUILTIN_RULES


def _long(statements: int) -> str:
    """Many statements, each with findings (redundant, wildcard, unknown actions; * resources)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": f"S{i}", "Effect": "Allow",
         "Action": ["s3:GetObject", "s3:GetObject", "s3:Get*", f"ec2:Describe{i}", "iam:PassRole", "sqs:*"],
         "Resource": ["*", f"arn:aws:s3:::bucket{i}/*"],
         "Condition": {"StringEquals": {"aws:SourceAccount": str(i)}, "Bool": {"aws:MultiFactorAuthPresent": "false"}}}
        for i in range(statements)]}, indent=1)


def _wide(size: int) -> str:
    """One statement with many actions, resources and condition keys."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Wide", "Effect": "Allow",
        "Action": [f"s3:GetObject{i % 7}" for i in range(size)] + ["s3:GetObject"] * size + ["ec2:Describe*"] * (size // 10),
        "Resource": [f"arn:aws:s3:::bucket{i}/*" for i in range(size)] + ["*"],
        "Condition": {"StringEquals": {f"aws:PrincipalTag/k{i}": str(i) for i in range(size)}}}]}, indent=1)


def _work(linter: Linter, text: str) -> tuple[int, int]:
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += 1

    sys.setprofile(count)
    try:
        found = linter.lint_text("policy.json", text)
    finally:
        sys.setprofile(None)
    return calls, len(found)


@pytest.mark.parametrize(("shape", "size"), [(_long, 200), (_wide, 400)], ids=["statements", "elements"])
def test_doubling_the_input_at_most_roughly_doubles_the_work(shape, size):
    linter = Linter(BUILTIN_RULES, Config())
    linter.lint_text("policy.json", shape(size // 4))  # service data and caches loaded: only the lint counts
    work, found = _work(linter, shape(size))
    doubled_work, doubled_found = _work(linter, shape(size * 2))
    assert doubled_found >= 2 * found - 2 and found > size  # the findings doubled too
    assert doubled_work <= 2.2 * work, f"{work:,} calls, then {doubled_work:,} for twice the input"


def test_the_statement_of_a_finding_is_the_first_that_holds_it_however_spans_overlap():
    """YAML aliases can make statements share or nest their spans: the index answers what a scan
    in document order answers."""
    from iamlint.diagnostics import Finding
    from iamlint.parsers.yaml_parser import parse_yaml
    from iamlint.policy import PolicyDocument
    from iamlint.readers.base import contains

    statements = "\n".join([f"  - {{Sid: S{i}, Effect: Allow, Action: s3:GetObject, Resource: '*'}}" for i in range(6)]
                           + [("  - &outer {Sid: Outer, Effect: Allow, Action: [s3:GetObject], Resource: '*',"
                               " Condition: &inner {Bool: {aws:SecureTransport: 'true'}}}"),
                              "  - *outer", "  - {Sid: Last, Effect: Deny, Action: '*', NotResource: '*'}", "  - *outer"])
    root = parse_yaml(f"Version: '2012-10-17'\nStatement:\n{statements}\n").root
    policy = PolicyDocument(root, "identity", "p.yaml")
    assert len(policy.statements()) > 8  # the index, not the scan, answers

    def scan(span):
        return next((s for s in policy.statements() if contains(s.node.span, span)), None)

    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.value.values() if node.is_mapping else node.value if node.is_sequence else [])
    for node in nodes:
        for span in (node.span, node.span._replace(column=node.span.column + 1)):
            assert statement_at(policy, span) is scan(span)
    outer = root.get("Statement").value[6]
    assert policy_place(policy, Finding(outer.get("Condition"), "m")) == "|Sid=Outer|Condition"
