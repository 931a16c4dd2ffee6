"""Repeated findings collapse into one line with their count (after suppressions and baselines,
at the first occurrence, keeping its fingerprint), and a file reports at most a limit of findings."""

from __future__ import annotations

import json

from conftest import run_main


def _policy(actions: list[str], extra: str = "") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions,
                                                              "Resource": "arn:aws:s3:::reports/*"}]}, indent=1) + extra


def test_200000_copies_of_one_action_are_one_line_with_the_count(write, tmp_path):
    write("p.json", _policy(["s3:GetObject"] * 200_000))
    run = run_main("--isolated", "--format", "json", "--select", "IAM206", "p.json", cwd=tmp_path)
    assert [(d["line"], d["column"], d["code"]) for d in run.json()] == [(8, 5, "IAM206")]  # the first repeat
    assert run.json()[0]["message"] == ("`s3:GetObject` is already listed (line 7) [199,999 findings like this in "
                                        "this policy, reported once]")


def test_the_collapsed_line_keeps_the_fingerprint_of_the_first(write, tmp_path):
    write("p.json", _policy(["s3:GetObject"] * 100))
    once = run_main("--isolated", "--format", "json", "--select", "IAM206", "p.json", cwd=tmp_path).json()
    write(".iamlint.toml", "collapse-repeats = 0\n")
    every = run_main("--format", "json", "--select", "IAM206", "p.json", cwd=tmp_path).json()
    assert len(once) == 1 and len(every) == 99
    assert (once[0]["line"], once[0]["fingerprint"]) == (every[0]["line"], every[0]["fingerprint"])


def test_the_threshold_is_ten_and_configurable(write, tmp_path):
    write("ten.json", _policy(["s3:GetObject"] * 11))  # ten repeats: each reported
    write("eleven.json", _policy(["s3:GetObject"] * 12))
    run = run_main("--isolated", "--format", "json", "--select", "IAM206", ".", cwd=tmp_path)
    assert [d["path"] for d in run.json()].count("ten.json") == 10
    assert [d["path"] for d in run.json()].count("eleven.json") == 1
    write(".iamlint.toml", "collapse-repeats = 3\n")
    run = run_main("--format", "json", "--select", "IAM206", ".", cwd=tmp_path)
    assert [d["path"] for d in run.json()] == ["eleven.json", "ten.json"]
    assert "[10 findings like this in this policy" in run.json()[1]["message"]


def test_numbers_in_a_message_do_not_split_a_group_but_quoted_values_do(write, tmp_path):
    statements = [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject"], "Resource": "*"}] * 12
    statements += [{"Effect": "Allow", "Action": [f"s3:Get{i}", f"s3:Get{i}"], "Resource": "*"} for i in range(12)]
    write("p.json", json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1))
    run = run_main("--isolated", "--format", "json", "--select", "IAM206", "p.json", cwd=tmp_path)
    messages = [d["message"] for d in run.json()]
    assert len(messages) == 13 and messages[0].endswith("[12 findings like this in this policy, reported once]")


def test_collapse_comes_after_suppressions_and_baselines(write, tmp_path):
    text = "\n".join(["AWSTemplateFormatVersion: '2010-09-09'", "Resources:", "  P:", "    Type: AWS::IAM::ManagedPolicy",
                      "    Properties:", "      PolicyDocument:", "        Version: '2012-10-17'", "        Statement:",
                      "          - Effect: Allow", "            Resource: arn:aws:s3:::b/*", "            Action:",
                      "              - s3:GetObject"]
                     + ["              - s3:GetObject  # iamlint: ignore[IAM206] generated"] * 15
                     + ["              - s3:GetObject"] * 12) + "\n"
    write("t.yaml", text)
    run = run_main("--isolated", "--format", "json", "--select", "IAM206", "t.yaml", cwd=tmp_path)
    assert [(d["line"], "[12 findings" in d["message"]) for d in run.json()] == [(28, True)]  # the 15 stay silent
    assert run_main("--isolated", "--select", "IAM206", "--write-baseline", "b.json", "t.yaml", cwd=tmp_path).code == 0
    assert json.loads((tmp_path / "b.json").read_text())["findings"][0]["count"] == 12  # recorded one by one
    write("t.yaml", text + "".join(["              - s3:GetObject\n"] * 11))
    run = run_main("--isolated", "--format", "json", "--select", "IAM206", "--baseline", "b.json", "t.yaml",
                   cwd=tmp_path)
    assert [d["message"].endswith("[11 findings like this in this policy, reported once]") for d in run.json()] == [True]


def test_a_file_reports_at_most_the_limit_then_says_so(write, tmp_path, monkeypatch):
    import iamlint.repeats

    monkeypatch.setattr(iamlint.repeats, "MAX_FINDINGS_PER_FILE", 50)
    write("p.json", _policy([f"s3:NoSuchAction{i}" for i in range(80)]))
    write("q.json", _policy(["s3:NoSuchAction"]))
    run = run_main("--isolated", "--format", "json", "--select", "IAM202", ".", cwd=tmp_path)
    found = [(d["path"], d["line"], d["code"]) for d in run.json()]
    assert found[:50] == [("p.json", 7 + i, "IAM202") for i in range(50)]
    assert found[50:] == [("p.json", 57, "IAM007"), ("q.json", 7, "IAM202")]
    assert run.json()[50]["message"] == ("this file has 80 findings; only the first 50 are reported "
                                         "(iamlint's per-file limit)")
