"""Every failure the fuzzer found (tests/test_fuzz.py, scripts/fuzz.py), shrunk to a small input,
and the crashes the reliability issue lists: each must now give diagnostics, never an exception."""

from __future__ import annotations

import pytest

from conftest import run_main

pytest.importorskip("hypothesis")

from fuzz.oracle import check, check_incremental  # noqa: E402

TEMPLATE = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Reader:\n    Type: AWS::IAM::ManagedPolicy\n'
            '    Properties:\n      PolicyDocument:\n        Version: "2012-10-17"\n        Statement:\n'
            '          - {Effect: Allow, Action: "s3:*", Resource: "*"}\n')
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'


@pytest.mark.parametrize(("name", "content", "expected"), [
    # a text holding a lone surrogate (an editor can send one) made PyYAML's C parser raise
    ("t.yaml", "\ud800" + TEMPLATE, ["1:1 IAM003"]),
    ("p.json", POLICY.replace("s3:GetObject", "s3:Get\ud800"), ["1:78 IAM003"]),
    # `!!bool` on a scalar that is no boolean made PyYAML's constructor raise KeyError
    ("t.yaml", TEMPLATE.replace('"2010-09-09"', '!!bool "2010-09-09"'), None),
    ("t.yaml", TEMPLATE.replace('"2012-10-17"', "!!int 2012-10-17"), None),
    ("t.yaml", TEMPLATE.replace('"2012-10-17"', '!!int ""'), None),  # IndexError in PyYAML
    ("t.yaml", TEMPLATE.replace('"2012-10-17"', "!!float -"), None),
    # numbers of any size (the issue: a traceback and exit 1)
    ("p.json", POLICY.replace('"*"}', '"*", "Condition": {"NumericLessThan": {"s3:max-keys": ' + "9" * 5000 + "}}}"),
     None),
    ("t.yaml", TEMPLATE.replace('Resource: "*"', "Resource: " + "9" * 5000), None),
    # a JSON escape of a lone surrogate in a value (the issue: every reporter raised)
    ("p.json", POLICY.replace("s3:GetObject", "s3:Get\\ud800"), None),
])
def test_found_by_fuzzing(name, content, expected):
    found = check(name, content)
    if expected is not None:
        assert [f"{d.line}:{d.column} {d.code}" for d in found] == expected


def test_lone_carriage_returns_keep_the_incremental_relint_equal_to_a_fresh_lint():
    """YAML counts a lone CR as a line break; the server's piecewise re-read counted only LF."""
    check_incremental("t.yaml", TEMPLATE, TEMPLATE.replace("\n", "\r\r\n"))
    check_incremental("t.yaml", TEMPLATE, TEMPLATE.replace("Resources:\n", "Resources:\u2028\n"))


def test_a_hash_right_after_a_colon_is_no_comment_for_the_incremental_relint():
    """`Resources:# x` is not the header `Resources:` with a comment (a comment needs white space
    before it): the piecewise re-read took it for one, where a whole parse finds an error."""
    check_incremental("t.yaml", TEMPLATE, TEMPLATE.replace("Resources:\n", "Resources:# iamlint: ignore\n\n"))
    check_incremental("t.yaml", TEMPLATE, "---# x\n" + TEMPLATE)


def test_the_last_line_of_a_file_without_a_final_newline_belongs_to_its_policy():
    """YAML ends such a file's collections on a line past the last; the policy's text stopped at
    the start of the last line, so an edit of that line found the old findings in the memo."""
    trust = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role:\n    Type: AWS::IAM::Role\n'
             "    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
             "          - Effect: Allow\n            Principal:\n              Service: ec2.amazonaws.com\n"
             "            Action: sts:AssumeRole")
    check_incremental("t.yaml", trust, trust.rsplit("\n", 1)[0] + "\n        ")


def test_a_surrogate_in_a_message_is_written_by_every_format(write, tmp_path):
    write("p.json", POLICY.replace("s3:GetObject", "s3:Get\\ud800"))
    for fmt in ("text", "json", "sarif", "github"):
        run = run_main("--isolated", "--format", fmt, "--output-file", str(tmp_path / f"out.{fmt}"), "p.json",
                       cwd=tmp_path)
        assert run.code == 1, run.err
        written = (tmp_path / f"out.{fmt}").read_bytes().decode("utf-8")  # strict: valid UTF-8
        assert "\\ud800" in written
