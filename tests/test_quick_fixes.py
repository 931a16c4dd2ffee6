"""Quick fixes (suppression comments an editor offers): each one offered must silence its finding
and change nothing else; where a comment cannot be written, none is offered."""

from __future__ import annotations

from iamlint.config import Config
from iamlint.engine import Linter
from iamlint.quick_fixes import working_suppressions
from iamlint.rules import BUILTIN_RULES

TEMPLATE = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::reports/*"}{comment}
"""


def lint(text: str, path: str = "t.yaml") -> list:
    return Linter(BUILTIN_RULES, Config()).lint_text(path, text)


def fixes_for(text: str, code: str, path: str = "t.yaml") -> dict[str, str]:
    """title -> the text with the fix applied, for the first diagnostic of ``code``."""
    diagnostic = next(d for d in lint(text, path) if d.code == code)
    return {title: edit.apply(text)
            for title, edit in working_suppressions(Linter(BUILTIN_RULES, Config()), path, text, diagnostic)}


def codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint(text)]


def test_a_finding_can_be_ignored_on_its_line_or_in_the_file():
    text = TEMPLATE.replace("{comment}", "")
    assert ("IAM303", 11) in codes(text)
    fixes = fixes_for(text, "IAM303")
    assert list(fixes) == ["Ignore IAM303 (service-wildcard) on this line",
                           "Ignore IAM303 (service-wildcard) in this file"]
    on_line = fixes["Ignore IAM303 (service-wildcard) on this line"]
    assert on_line.splitlines()[10].endswith('Resource: "arn:aws:s3:::reports/*"}  # iamlint: ignore[IAM303]')
    assert codes(on_line) == [c for c in codes(text) if c != ("IAM303", 11)]
    in_file = fixes["Ignore IAM303 (service-wildcard) in this file"]
    assert in_file.startswith("# iamlint: ignore-file[IAM303]\nResources:\n")
    assert codes(in_file) == [(code, line + 1) for code, line in codes(text) if code != "IAM303"]


def test_a_code_joins_the_suppression_already_on_the_line():
    text = TEMPLATE.replace("{comment}", "  # iamlint: ignore[IAM401] inline on purpose")
    fixes = fixes_for(text, "IAM303")
    line = fixes["Ignore IAM303 (service-wildcard) on this line"].splitlines()[10]
    assert line.endswith("# iamlint: ignore[IAM401, IAM303] inline on purpose")


def test_no_comment_inside_a_string_nor_in_json():
    text = """Resources:
  Logs:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyName: p
      PolicyDocument: !Sub '{"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "logs:*", "Resource": "*"}]}'
"""
    assert ("IAM303", 6) in codes(text)
    # at the end of line 6 the comment would be inside the quoted policy (which, no longer JSON,
    # would go unchecked without a word): only the file-wide fix
    assert list(fixes_for(text, "IAM303")) == ["Ignore IAM303 (service-wildcard) in this file"]
    template = ('{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": '
                '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}}}')
    assert fixes_for(template, "IAM303", path="t.json") == {}


TERRAFORM = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_iam_role_policy" "h" {
  role   = "r"
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:instance/*"}]}
EOF
}
'''


def test_terraform_fixes_are_hash_comments_on_the_line_above_the_block_or_in_the_file():
    fixes = fixes_for(TERRAFORM, "IAM303", path="main.tf")
    assert list(fixes) == ["Ignore IAM303 (service-wildcard) on this line",
                           "Ignore IAM303 (service-wildcard) in this `resource` block",
                           "Ignore IAM303 (service-wildcard) in this file"]
    assert fixes["Ignore IAM303 (service-wildcard) on this line"].split("\n")[3].endswith(
        '"arn:aws:s3:::reports/*" }]  # iamlint: ignore[IAM303]')
    assert fixes["Ignore IAM303 (service-wildcard) in this `resource` block"].startswith(
        '# iamlint: ignore[IAM303]\nresource "aws_iam_policy" "p" {')
    assert fixes["Ignore IAM303 (service-wildcard) in this file"].startswith("# iamlint: ignore-file[IAM303]\n")


def test_terraform_no_comment_inside_a_heredoc():
    diagnostic = next(d for d in lint(TERRAFORM, "main.tf") if d.code == "IAM303" and d.line == 11)
    fixes = {title: edit.apply(TERRAFORM) for title, edit in
             working_suppressions(Linter(BUILTIN_RULES, Config()), "main.tf", TERRAFORM, diagnostic)}
    # at the end of line 11 the comment would be part of the heredoc's JSON: not offered
    assert list(fixes) == ["Ignore IAM303 (service-wildcard) in this `resource` block",
                           "Ignore IAM303 (service-wildcard) in this file"]
    assert fixes["Ignore IAM303 (service-wildcard) in this `resource` block"].split("\n")[7:9] == [
        "# iamlint: ignore[IAM303]", 'resource "aws_iam_role_policy" "h" {']
