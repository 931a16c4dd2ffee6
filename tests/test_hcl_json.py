"""JSON inside HCL strings, heredocs and template files: masking, opaque values, exact errors."""

from __future__ import annotations

import pytest

from iamlint.parsers.hcl import parse_hcl
from iamlint.parsers.hcl_json import parse_string_json, parse_template_json
from iamlint.parsers.json_parser import ParseError
from iamlint.values import Unknown, is_opaque


def at(node) -> str:
    span = node.span
    return f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def document(text: str, name: str = "p"):
    parsed = parse_hcl(text)
    assert parsed.error is None, parsed.error.message
    return parse_string_json(parsed.body.attribute(name).expr)


def error_at(text: str, name: str = "p") -> tuple[str, str]:
    parsed = parse_hcl(text)
    with pytest.raises(ParseError) as caught:
        parse_string_json(parsed.body.attribute(name).expr)
    line, column = parsed.lines.position(caught.value.offset)
    return f"{line}:{column}", caught.value.message


def test_json_error_away_from_interpolations_is_a_real_error_at_its_position():
    text = 'p = <<EOF\n{\n  "Version": "2012-10-17"\n  "Statement": []\n}\nEOF\n'
    assert error_at(text) == ("4:3", "expected `,` or `}` in object, found `\"`")


def test_json_error_after_an_interpolation_elsewhere_is_still_real():
    text = 'p = <<EOF\n{"Resource": "${var.arn}",\n "Action": "s3:*",}\nEOF\n'
    assert error_at(text) == ("3:18", "trailing comma before `}`")


def test_json_error_in_a_quoted_string_maps_through_escapes():
    text = 'p = "{\\"Action\\": \\"s3:*\\" \\"Effect\\": \\"Allow\\"}"\n'
    assert error_at(text) == ("1:28", "expected `,` or `}` in object, found `\"`")


@pytest.mark.parametrize("body", [
    '{"Condition": { ${local.extra} "Bool": {"aws:SecureTransport": "true"}}}',  # members injected
    '{"Statement": [%{ for s in local.statements }${s},%{ endfor }]}',  # a loop leaves a trailing comma
    '{"Effect": %{ if var.allow }"Allow"%{ else }"Deny"%{ endif }}',  # two values where one goes
    '{${local.members}}',
])
def test_json_that_only_fails_next_to_an_interpolation_is_opaque(body):
    text = f'p = <<EOF\n{body}\nEOF\n'
    root = document(text).root
    assert is_opaque(root)
    assert at(root) == "1:5-3:4"  # the whole heredoc


def test_a_directive_around_a_statement_keeps_both_statements_readable():
    text = '''p = <<EOF
{
  "Statement": [
    {"Action": "s3:GetObject", "Resource": "*"}%{ if var.kms },
    {"Action": "kms:Decrypt", "Resource": "${var.key_arn}"}%{ endif }
  ]
}
EOF
'''
    statements = document(text).root.get("Statement").value
    assert [at(s.get("Action")) for s in statements] == ["4:16-4:30", "5:16-5:29"]
    assert is_opaque(statements[1].get("Resource"))


def test_interpolated_key_makes_its_object_opaque():
    text = ('p = <<EOF\n'
            '{"Condition": {"StringEquals": {"${var.oidc}:sub": "repo:o/r:*"}}, '
            '"Action": "sts:AssumeRoleWithWebIdentity"}\n'
            'EOF\n')
    root = document(text).root
    equals = root.get("Condition").get("StringEquals")
    assert is_opaque(equals)  # never "no :sub condition": the key is unknown
    assert (at(equals), at(equals.key)) == ("2:32-2:65", "2:16-2:30")
    assert at(root.get("Action")) == "2:78-2:109"


def test_quoted_json_string_with_interpolation_and_escapes():
    text = 'p = "{\\"Resource\\": \\"${aws_s3_bucket.b.arn}/*\\", \\"Action\\": \\"s3:*\\"}"\n'
    root = document(text).root
    resource = root.get("Resource")
    assert is_opaque(resource)
    assert at(resource) == "1:21-1:49"
    assert resource.value.text == '\\"${aws_s3_bucket.b.arn}/*\\"'
    assert resource.value.parts == (Unknown("aws_s3_bucket.b.arn"), "/*")
    assert at(root.get("Action")) == "1:63-1:71"


def test_string_only_holding_escapes_is_literal_json():
    text = 'p = "{\\"Resource\\": \\"arn:aws:s3:::b/$${aws:username}\\"}"\n'
    resource = document(text).root.get("Resource")
    assert resource.value == "arn:aws:s3:::b/${aws:username}"
    assert at(resource) == "1:21-1:56"


def test_duplicate_keys_in_heredoc_json_are_reported_with_positions():
    parsed = document('p = <<EOF\n{"Sid": "a", "Sid": "b"}\nEOF\n')
    assert [(at(a), at(b)) for a, b in parsed.duplicates] == [("2:2-2:7", "2:14-2:19")]


def test_duplicate_keys_after_escapes_are_remapped():
    parsed = document('p = "{\\"Sid\\": \\"a\\", \\"Sid\\": \\"b\\"}"\n')
    assert [(at(a), at(b)) for a, b in parsed.duplicates] == [("1:7-1:14", "1:23-1:30")]


def test_not_a_string_is_none():
    assert document("p = var.policy\n") is None
    assert document('p = jsonencode({ a = 1 })\n') is None


def test_parenthesised_heredoc():
    assert document('p = (<<EOF\n{"Action": "s3:*"}\nEOF\n)\n').root.get("Action").value == "s3:*"


# --- template files (templatefile() / file()) ---

TEMPLATE = '''{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:${partition}:iam::${account_id}:root"},
      "Action": "sts:AssumeRole"
    }
    %{ if oidc_provider_arn != "" }
    ,{
      "Effect": "Allow",
      "Principal": {"Federated": "${oidc_provider_arn}"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringLike": {"${hostname}:sub": "organization:${org}:*"}}
    }
    %{ endif }
  ]
}
'''


def test_template_file_positions_are_in_the_template():
    root = parse_template_json(TEMPLATE).root
    first, second = root.get("Statement").value
    assert is_opaque(first.get("Principal").get("AWS"))
    assert at(first.get("Principal").get("AWS")) == "6:28-6:70"
    assert (first.get("Action").value, at(first.get("Action"))) == ("sts:AssumeRole", "7:17-7:33")
    assert (second.get("Action").value, at(second.get("Action"))) == ("sts:AssumeRoleWithWebIdentity", "13:17-13:48")
    assert is_opaque(second.get("Condition").get("StringLike"))


def test_template_file_escapes_and_plain_files():
    text = '{"Resource": "arn:aws:s3:::b/$${aws:username}/*", "Action": "${action}"}\n'
    root = parse_template_json(text).root
    assert (root.get("Resource").value, at(root.get("Resource"))) == ("arn:aws:s3:::b/${aws:username}/*", "1:14-1:49")
    assert is_opaque(root.get("Action"))
    plain = parse_template_json('{"Resource": "arn:aws:s3:::b/${aws:username}/*"}', template=False).root
    assert plain.get("Resource").value == "arn:aws:s3:::b/${aws:username}/*"  # file() reads text as it is


def test_template_file_with_a_json_error_away_from_interpolations():
    text = '{\n  "Action": "${action}",\n  "Resource": "*"\n  "Effect": "Allow"\n}\n'
    with pytest.raises(ParseError) as caught:
        parse_template_json(text)
    assert caught.value.offset == text.index('"Effect"')


def test_template_file_with_broken_template_syntax():
    text = '{\n  "Action": "${action",\n  "Resource": "*"\n}\n'
    with pytest.raises(ParseError) as caught:
        parse_template_json(text)
    assert caught.value.message == 'invalid template: unexpected `action",`'
    assert caught.value.offset == text.index("action")


def test_template_holding_the_wrapper_marker():
    text = '{"Sid": "IAMLINT_TEMPLATE_END", "Action": "${a}"}\nIAMLINT_TEMPLATE_END\n'
    with pytest.raises(ParseError):  # the second line is not JSON, and the marker did not end the template early
        parse_template_json(text)
    root = parse_template_json('{"Sid": "IAMLINT_TEMPLATE_END", "Action": "${a}"}').root
    assert root.get("Sid").value == "IAMLINT_TEMPLATE_END"


def test_pieces_of_interpolated_json_strings():
    text = ('p = <<EOF\n'
            '{"a": "${var.x}${var.y}", "b": "caf\\u00e9:${ var.z }", "c": "x%{ if var.on }y%{ endif }"}\n'
            'EOF\n')
    root = document(text).root
    assert root.get("a").value.parts == (Unknown("var.x"), Unknown("var.y"))
    assert root.get("b").value.parts == ("café:", Unknown("var.z"))
    assert root.get("c").value.parts is None
