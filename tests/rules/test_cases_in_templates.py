"""Every policy case of the per-rule case files again, embedded in a CloudFormation template.

A policy pasted into a template must give the same findings at the same places, shifted by where
it sits: in a JSON template it starts on a line of its own, in a YAML template (JSON is YAML) it
is also indented. The template resource is chosen by the policy's kind (an identity policy in an
`AWS::IAM::ManagedPolicy`, a trust policy in an `AWS::IAM::Role`, ...), or by the case's `home`
(a resource type of the CloudFormation reader, `home: AWS::SQS::QueuePolicy`: the policy goes in
its first policy property). A case with `templates: false` is not embedded (its findings depend on
the policy being a file of its own, or on a holder no home gives).
"""

from __future__ import annotations

import json

import pytest
import yaml
from test_cases import CASES, configuration

from conftest import positions, run_main
from iamlint.parsers.json_parser import parse_json
from iamlint.policy import infer_kind
from iamlint.readers.cloudformation import POLICY_PROPERTIES

HOMES = {  # kind -> (resource type, property path to the policy, other properties)
    "identity": ("AWS::IAM::ManagedPolicy", ["PolicyDocument"], {}),
    "resource": ("AWS::S3::BucketPolicy", ["PolicyDocument"], {"Bucket": "reports"}),
    "trust": ("AWS::IAM::Role", ["AssumeRolePolicyDocument"], {}),
    "scp": ("AWS::Organizations::Policy", ["Content"], {"Type": "SERVICE_CONTROL_POLICY", "Name": "p"}),
    "rcp": ("AWS::Organizations::Policy", ["Content"], {"Type": "RESOURCE_CONTROL_POLICY", "Name": "p"}),
}
SKIPPED_RULES = ("IAM0", "IAM113")  # file-level input rules; size limits count the template's text


def _cases():
    for path in sorted(CASES.glob("IAM*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["rule"].startswith(SKIPPED_RULES) or int(data["rule"][3:]) >= 400 and int(data["rule"][3:]) < 500:
            continue
        for case in data["cases"]:
            if isinstance(case["source"], bytes) or case.get("filename", "policy.json") != "policy.json":
                continue
            if case.get("templates") is False:
                continue
            root = parse_json(case["source"]).root
            if any(root.get(envelope) is not None for envelope in ("PolicyVersion", "PolicyDocument", "Role")):
                continue  # AWS CLI output, not a policy one would paste into a template
            kind = case.get("kind") or infer_kind(root)
            if (kind in HOMES or "home" in case) and "\t" not in case["source"]:
                yield pytest.param(data["rule"], case, kind, id=f"{path.stem}-{case['name']}")


def _home(case, kind) -> tuple[str, list[str], dict]:
    """(resource type, property path to the policy, other properties) of the case's template home."""
    if "home" not in case:
        return HOMES[kind]
    resource_type = case["home"]
    where = next((w for w in POLICY_PROPERTIES[resource_type] if not w.statement_only and "*" not in w.path), None)
    assert where is not None, f"{resource_type} keeps no whole policy at a fixed place: it cannot be a home"
    return resource_type, list(where.path), {}


def _shift(expected: list[str], lines: int, columns: int) -> list[str]:
    shifted = []
    for item in expected:
        place, code = item.split()
        line, column = (int(n) for n in place.split(":"))
        shifted.append(f"{line + lines}:{column + columns} {code}")
    return shifted


@pytest.mark.parametrize(("code", "case", "kind"), list(_cases()))
def test_case_in_a_yaml_template(code, case, kind, tmp_path):
    resource_type, path, others = _home(case, kind)
    head = ["Resources:", "  Home:", f"    Type: {resource_type}", "    Properties:"]
    head += [f"      {k}: {v}" for k, v in others.items()]
    head += [f"      {'  ' * depth}{step}:" for depth, step in enumerate(path)]
    indent = " " * (6 + 2 * len(path))
    body = [(indent + line) if line else "" for line in case["source"].splitlines()]
    (tmp_path / "template.yaml").write_text("\n".join(head + body) + "\n", encoding="utf-8")
    run = run_main(*configuration(case, tmp_path), "--format", "json", "--select", case.get("select", code),
                   "template.yaml", cwd=tmp_path)
    assert positions(run) == _shift(case["expect"], len(head), len(indent)), run.out


@pytest.mark.parametrize(("code", "case", "kind"), list(_cases()))
def test_case_in_a_json_template(code, case, kind, tmp_path):
    resource_type, path, others = _home(case, kind)
    properties = json.dumps(others)[1:-1]
    head = (f'{{"Resources": {{"Home": {{"Type": "{resource_type}", "Properties": {{'
            + (properties + ", " if properties else "") + ": {".join(f'"{step}"' for step in path) + ":")
    text = head + "\n" + case["source"].rstrip("\n") + "\n" + "}" * (len(path) + 2) + "}\n"
    (tmp_path / "template.json").write_text(text, encoding="utf-8")
    run = run_main(*configuration(case, tmp_path), "--format", "json", "--select", case.get("select", code),
                   "template.json", cwd=tmp_path)
    assert positions(run) == _shift(case["expect"], 1, 0), run.out


def test_a_home_is_the_first_place_its_resource_type_keeps_a_whole_policy():
    assert _home({"home": "AWS::DynamoDB::Table"}, "resource") == (
        "AWS::DynamoDB::Table", ["ResourcePolicy", "PolicyDocument"], {})
    assert _home({}, "trust") == HOMES["trust"]
    ids = [param.id for param in _cases()]
    assert "IAM311-a public table (its policy nested two properties deep in a template)" in ids
