"""Baselines: adopt iamlint on a repo with existing findings, then see only new ones. Entries are
logical places, not lines."""

from __future__ import annotations

import json

from conftest import run_main

POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Data", "Effect": "Allow", "Action": ["s3:*", "sqs:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}
  ]
}
"""


def _baseline(write, tmp_path):
    write("p.json", POLICY)
    run = run_main("--isolated", "--select", "IAM303", "--write-baseline", "baseline.json", "p.json", cwd=tmp_path)
    assert run.code == 0 and "wrote 3 findings" in run.err
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert [e["place"] for e in data["findings"]] == ["|#1|dynamodb:*", "|Sid=Data|s3:*", "|Sid=Data|sqs:*"]


def new(tmp_path) -> list[str]:
    run = run_main("--isolated", "--select", "IAM303", "--format", "json", "--baseline", "baseline.json", "p.json",
                   cwd=tmp_path)
    return [f"{d['line']}:{d['column']} {d['code']}" for d in run.json()]


def test_nothing_new_right_after_writing(write, tmp_path):
    _baseline(write, tmp_path)
    assert new(tmp_path) == []
    assert run_main("--isolated", "--select", "IAM303", "--baseline", "baseline.json", "p.json", cwd=tmp_path).code == 0


def test_lines_inserted_above_do_not_resurface_old_findings(write, tmp_path):
    _baseline(write, tmp_path)
    write("p.json", POLICY.replace('  "Version": "2012-10-17",\n', '  "Version": "2012-10-17",\n  "Id": "reports",\n\n'))
    assert new(tmp_path) == []


def test_a_new_finding_is_reported_and_an_old_one_fixed_is_gone(write, tmp_path):
    _baseline(write, tmp_path)
    write("p.json", POLICY.replace('"s3:*", "sqs:*"', '"s3:GetObject", "sqs:*", "kms:*"'))
    assert new(tmp_path) == ["4:76 IAM303"]  # kms:* is new; s3:* was fixed and does not come back


def test_renaming_a_sid_makes_its_findings_new(write, tmp_path):
    _baseline(write, tmp_path)
    write("p.json", POLICY.replace('"Sid": "Data"', '"Sid": "Reports"'))
    assert new(tmp_path) == ["4:54 IAM303", "4:62 IAM303"]


def test_unreadable_baseline_is_a_usage_error(write, tmp_path):
    write("p.json", POLICY)
    write("baseline.json", "[]")
    run = run_main("--isolated", "--baseline", "baseline.json", "p.json", cwd=tmp_path)
    assert run.code == 2 and "baseline.json" in run.err
