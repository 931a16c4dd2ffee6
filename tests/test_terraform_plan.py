"""Plan JSON (`terraform show -json`) through the real command line, on real plans of the corpus:
found by content, policies linted with their evaluated values, each finding naming its resource
address, placed in the .tf source beside the plan, else at the exact character in the plan."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CORPUS, run_main

RUNNER = CORPUS / "terraform-plan" / "bridgecrewio__checkov" / "tests" / "terraform" / "runner" / "resources"
pytestmark = pytest.mark.skipif(not RUNNER.is_dir(), reason="corpus not available")


def findings(folder, *names, select="IAM303,IAM311,IAM101,IAM108"):
    run = run_main("--isolated", "--format", "json", "--select", select, *names, cwd=folder)
    assert run.code in (0, 1), run.err
    return [(d["path"], d["line"], d["column"], d["code"], d["message"]) for d in run.json()]


def test_a_plan_beside_its_sources_is_reported_in_the_sources(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(RUNNER / "plan_with_iam_policies", folder)
    found = findings(folder, "tfplan.json")
    source = (folder / "main.tf").read_text().split("\n")
    places = [(path, line, column, code) for path, line, column, code, _ in found]
    # `s3:*` of the jsonencode policy, `iam:*` of the policy document (once per resource that uses
    # it), `iam:*` of the heredoc
    assert places == [("main.tf", 16, 19, "IAM303"), ("main.tf", 49, 7, "IAM303"), ("main.tf", 49, 7, "IAM303"),
                      ("main.tf", 70, 9, "IAM303")]
    assert source[15][18:24] == '"s3:*"' and source[48][6:13] == '"iam:*"' and source[69][8:15] == '"iam:*"'
    assert [message.rsplit(" (", 1)[1] for *_, message in found] == [
        "in the plan for `aws_iam_policy.policy_pass`)", "in the plan for `aws_iam_role_policy.fail_1`)",
        "in the plan for `aws_iam_user_policy.fail_3`)", "in the plan for `aws_iam_group_policy.fail_2`)"]


def test_a_plan_alone_is_reported_at_the_character_in_the_plan(tmp_path):
    shutil.copy(RUNNER / "plan_with_iam_policies" / "tfplan.json", tmp_path / "plan.json")
    found = findings(tmp_path, "plan.json")
    text = (tmp_path / "plan.json").read_text().split("\n")
    assert len(found) == 4
    for path, line, column, _, _ in found:
        assert path == "plan.json"
        assert text[line - 1][column - 1:].startswith(('\\"s3:*\\"', '\\"iam:*\\"')), text[line - 1][column - 1:][:20]


def test_a_document_whose_json_is_unknown_is_read_from_its_planned_statements(tmp_path):
    """The bucket's ARN is created by the same plan: the document's `json` and the bucket policy
    are unknown; its planned statement is read, the unknown resources opaque (not an empty list)."""
    shutil.copy(RUNNER / "plan_with_iam_data_block" / "tfplan.json", tmp_path / "plan.json")
    found = findings(tmp_path, "plan.json", select="IAM1,IAM302,IAM311")
    text = (tmp_path / "plan.json").read_text().split("\n")
    assert [(line, column, code) for _, line, column, code, _ in found] == [(59, 19, "IAM302"), (69, 23, "IAM311")]
    assert text[58][18:21] == '"*"' and text[68][22:25] == '"*"'
    assert all("in the plan for `data.aws_iam_policy_document.allow_access_from_another_account`" in f[4] for f in found)


def test_unknown_arguments_are_unknown_and_computed_ones_unset(tmp_path):
    """`pgp_key` set from a value created by the plan is unknown (set: no IAM507); the role's computed
    `inline_policy` and `managed_policy_arns` are not configuration (no IAM405)."""
    plan = {
        "format_version": "1.2", "terraform_version": "1.5.7",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_iam_access_key.a", "mode": "managed", "type": "aws_iam_access_key", "name": "a",
             "values": {"user": "u"}},
            {"address": "aws_iam_access_key.b", "mode": "managed", "type": "aws_iam_access_key", "name": "b",
             "values": {"user": "u", "pgp_key": None}},
            {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "values": {"name": "r", "assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})}},
        ]}},
        "resource_changes": [
            {"address": "aws_iam_access_key.a", "change": {"after_unknown": {"pgp_key": True, "secret": True}}},
            {"address": "aws_iam_access_key.b", "change": {"after_unknown": {"secret": True}}},
            {"address": "aws_iam_role.r", "change": {"after_unknown": {"inline_policy": True,
                                                                        "managed_policy_arns": True}}},
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_iam_access_key.a", "expressions": {"user": {}, "pgp_key": {"references": ["x"]}}},
            {"address": "aws_iam_access_key.b", "expressions": {"user": {}}},
            {"address": "aws_iam_role.r", "expressions": {"name": {}, "assume_role_policy": {}}},
        ]}},
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    found = findings(tmp_path, "plan.json", select="IAM405,IAM507,IAM1")
    assert [(code, message.split("`")[1]) for *_, code, message in found] == [("IAM507", "aws_iam_access_key.b")]


def test_a_plan_is_found_by_content_and_counted(tmp_path):
    shutil.copy(RUNNER / "plan_with_iam_policies" / "tfplan.json", tmp_path / "anything.json")
    run = run_main("--isolated", "--select", "IAM303", "anything.json", cwd=tmp_path)
    # the jsonencode policy, the trust policy, the heredoc, and the policy document in two inline policies
    assert run.lines[-1] == "iamlint: 4 problems (4 warnings) in 1 file, 5 policies, 1 file checked"
    only = run_main("--isolated", "--only", "policies", "anything.json", cwd=tmp_path)
    assert only.out == "iamlint: no problems in 0 policies, 1 file checked\n"


def test_a_malformed_plan_never_crashes(tmp_path):
    """Plans with values of every wrong shape where the reader looks (seeded: the same each run)."""
    import random

    from iamlint.config import Config
    from iamlint.engine import Linter
    from iamlint.rules import BUILTIN_RULES

    rng = random.Random(5)
    linter = Linter(BUILTIN_RULES, Config())
    data = json.loads((RUNNER / "plan_with_iam_policies" / "tfplan.json").read_text())
    shapes = [None, 1, "x", [], {}, '{"Statement": 3}', [1], {"a": None}]

    def spoil(value):
        if isinstance(value, dict):
            for key in list(value):
                value[key] = rng.choice(shapes) if rng.random() < 0.05 else spoil(value[key])
        elif isinstance(value, list):
            value[:] = [rng.choice(shapes) if rng.random() < 0.05 else spoil(item) for item in value]
        return value

    for _ in range(40):
        linter.lint_text(str(tmp_path / "plan.json"), json.dumps(spoil(json.loads(json.dumps(data))), indent=1))
