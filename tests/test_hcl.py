"""HCL (Terraform) parsing: the file model, expressions to nodes, exact positions.

Every test runs the real tree-sitter parser and names the positions it expects (1-based line
and column in code points, end exclusive), as a diagnostic would show them.
"""

from __future__ import annotations

import sys

import pytest

from iamlint.parsers import hcl as hcl_module
from iamlint.parsers.hcl import HCLUnavailable, parse_hcl
from iamlint.parsers.hcl_nodes import to_node
from iamlint.parsers.hcl_values import SPLAT
from iamlint.values import Alternatives, Opaque, Unknown, is_opaque
from iamlint.worlds import choose


def at(node) -> str:
    span = node.span
    return f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def value(text: str, name: str = "p", resolve_hook=None):
    """The node of attribute ``name`` in ``text`` (a top-level attribute or one in the first block)."""
    parsed = parse_hcl(text)
    assert parsed.error is None, parsed.error.message
    body = parsed.body
    attribute = body.attribute(name) or body.blocks[0].body.attribute(name)
    return to_node(attribute.expr, resolve_hook)


def opaque_text(node):
    assert type(node.value) is Opaque, node.value
    return node.value.text


JSONENCODE = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    "Statement" = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:*"]
      Resource = "*"
      Count    = -2
      Flag     = true
    }]
  })
}
'''


def test_jsonencode_object_keys_and_values_are_positioned():
    policy = value(JSONENCODE, "policy")
    assert at(policy) == "2:23-11:4"
    version = policy.get("Version")
    assert (version.value, at(version), at(version.key)) == ("2012-10-17", "3:15-3:27", "3:5-3:12")
    statements = policy.get("Statement")
    assert at(statements.key) == "4:5-4:16"  # a quoted key spans its quotes, as in JSON
    statement = statements.value[0]
    actions = statement.get("Action")
    assert [(a.value, at(a)) for a in actions.value] == [("s3:GetObject", "6:19-6:33"), ("s3:*", "6:35-6:41")]
    assert at(statement.get("Resource")) == "7:18-7:21"
    assert (statement.get("Count").value, at(statement.get("Count"))) == (-2, "8:18-8:20")
    assert statement.get("Flag").value is True
    assert policy.to_python()["Statement"][0]["Effect"] == "Allow"


HEREDOC = '''resource "aws_iam_policy" "p" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
}
EOF
}
'''


def test_heredoc_json_is_parsed_in_place():
    from iamlint.parsers.hcl_json import parse_string_json

    parsed = parse_hcl(HEREDOC)
    document = parse_string_json(parsed.body.blocks[0].body.attribute("policy").expr)
    root = document.root
    assert at(root) == "3:1-6:2"
    assert at(root.get("Version")) == "4:14-4:26"
    statement = root.get("Statement").value[0]
    assert (statement.get("Action").value, at(statement.get("Action"))) == ("s3:*", "5:47-5:53")
    assert at(statement.get("Action").key) == "5:37-5:45"


def test_flush_heredoc_keeps_positions():
    from iamlint.parsers.hcl_json import parse_string_json

    text = 'locals {\n  p = <<-EOT\n    {\n      "Action": "iam:PassRole"\n    }\n    EOT\n}\n'
    root = parse_string_json(parse_hcl(text).body.blocks[0].body.attribute("p").expr).root
    assert (root.get("Action").value, at(root.get("Action"))) == ("iam:PassRole", "4:17-4:31")


def test_quoted_json_string_maps_escapes_back_to_the_source():
    from iamlint.parsers.hcl_json import parse_string_json

    text = 'p = "{\\"Action\\": \\"s3:*\\", \\"Resource\\": \\"caf\\u00e9\\"}"\n'
    root = parse_string_json(parse_hcl(text).body.attribute("p").expr).root
    action = root.get("Action")
    assert (action.value, at(action), at(action.key)) == ("s3:*", "1:19-1:27", "1:7-1:17")
    resource = root.get("Resource")
    assert (resource.value, at(resource)) == ("café", "1:43-1:56")  # `\"caf\u00e9\"`


def test_interpolation_before_the_token_on_the_same_line():
    from iamlint.parsers.hcl_json import parse_string_json

    text = ('p = <<EOF\n'
            '{"Resource": "arn:aws:s3:::${var.bucket_name}/*", "Other": ${jsonencode(var.list)}, "Action": "s3:*"}\n'
            'EOF\n')
    root = parse_string_json(parse_hcl(text).body.attribute("p").expr).root
    assert (root.get("Action").value, at(root.get("Action"))) == ("s3:*", "2:95-2:101")
    resource = root.get("Resource")  # an interpolated JSON string: opaque, with the string's span
    assert (opaque_text(resource), at(resource), at(resource.key)) == (
        '"arn:aws:s3:::${var.bucket_name}/*"', "2:14-2:49", "2:2-2:12")
    assert resource.value.parts == ("arn:aws:s3:::", Unknown("var.bucket_name"), "/*")
    other = root.get("Other")  # an interpolation in value position: opaque, with its own span
    assert (opaque_text(other), at(other), other.value.parts) == ("${jsonencode(var.list)}", "2:60-2:83", None)


def test_interpolation_in_a_jsonencode_string_is_opaque_and_the_next_value_exact():
    text = 'p = jsonencode({ Resource = "arn:${var.partition}:s3:::b", Action = "s3:*" })\n'
    node = value(text)
    resource = node.get("Resource")
    assert (opaque_text(resource), at(resource)) == ('"arn:${var.partition}:s3:::b"', "1:29-1:58")
    assert resource.value.parts == ("arn:", Unknown("var.partition"), ":s3:::b")  # what rules may still read
    assert at(node.get("Action")) == "1:69-1:75"


def test_non_ascii_text_before_a_token_counts_code_points():
    text = 'p = jsonencode({ Sid = "Zugriff für Müller 😀", Action = "s3:*" })\n'
    node = value(text)
    assert node.get("Sid").value == "Zugriff für Müller 😀"
    assert at(node.get("Action")) == "1:57-1:63"
    assert "1:57" == "1:" + str(text.index('"s3:*"') + 1)


def test_non_ascii_in_a_heredoc_and_on_earlier_lines():
    from iamlint.parsers.hcl_json import parse_string_json

    text = ('# Richtlinie für Prüfer\n'
            'p = <<EOF\n'
            '{"Sid": "über 😀 ${var.x}", "Action": "ü:*"}\n'
            'EOF\n')
    parsed = parse_hcl(text)
    root = parse_string_json(parsed.body.attribute("p").expr).root
    assert at(root.get("Sid")) == "3:9-3:26"
    assert (root.get("Action").value, at(root.get("Action"))) == ("ü:*", "3:38-3:43")
    assert [(c.text, at(c)) for c in parsed.comments] == [("# Richtlinie für Prüfer", "1:1-1:24")]


@pytest.mark.parametrize(("literal", "expected"), [
    (r'"a\"b\\c"', 'a"b\\c'),
    (r'"tab\tnew\nline"', "tab\tnew\nline"),
    (r'"\u00e9\U0001F600"', "é😀"),
    ('"$${aws:username}"', "${aws:username}"),  # an escaped interpolation is literal text
    ('"%%{not a directive}"', "%{not a directive}"),
    ('"  spaced  "', "  spaced  "),
    ('""', ""),
])
def test_string_escapes_are_decoded(literal, expected):
    node = value(f"p = {literal}\n")
    assert node.value == expected
    assert at(node) == f"1:5-1:{5 + len(literal)}"


def test_escaped_policy_variable_in_heredoc_json_is_literal():
    from iamlint.parsers.hcl_json import parse_string_json

    text = 'p = <<EOF\n{"Resource": "arn:aws:s3:::b/$${aws:username}/*", "Action": "s3:*"}\nEOF\n'
    root = parse_string_json(parse_hcl(text).body.attribute("p").expr).root
    resource = root.get("Resource")
    assert (resource.value, at(resource)) == ("arn:aws:s3:::b/${aws:username}/*", "2:14-2:49")
    assert at(root.get("Action")) == "2:61-2:67"  # after the escape, positions are still exact


@pytest.mark.parametrize(("expression", "source"), [
    ("var.policy", "var.policy"),
    ("data.aws_iam_policy_document.x.json", "data.aws_iam_policy_document.x.json"),
    ('"arn:aws:s3:::${var.b}/*"', '"arn:aws:s3:::${var.b}/*"'),
    ('"%{if var.x}a%{endif}"', '"%{if var.x}a%{endif}"'),
    ("[for s in var.l : s.arn]", "[for s in var.l : s.arn]"),
    ("var.l[*].arn", "var.l[*].arn"),
    ("merge(local.a, local.b)", "merge(local.a, local.b)"),
    ("1 + 2", "1 + 2"),
    ('{ (local.key) = "x" }', '{ (local.key) = "x" }'),  # a computed key: the whole object
    ('{ "${var.k}:sub" = "x" }', '{ "${var.k}:sub" = "x" }'),
])
def test_values_iamlint_cannot_know_are_opaque_with_span_and_source(expression, source):
    node = value(f"p = {expression}\n")
    assert opaque_text(node) == source
    assert at(node) == f"1:5-1:{5 + len(expression)}"


def test_opaque_elements_keep_their_place_in_a_list():
    node = value('p = ["s3:GetObject", var.extra, "s3:PutObject"]\n')
    assert [at(n) for n in node.value] == ["1:6-1:20", "1:22-1:31", "1:33-1:47"]
    assert opaque_text(node.value[1]) == "var.extra"


def test_conditional_is_both_branches_and_null_is_absent():
    node = value('p = jsonencode({ Resource = var.all ? "*" : null, Action = ["s3:*", null], Sid = null })\n')
    conditional = node.get("Resource")
    assert type(conditional.value) is Alternatives and at(conditional) == "1:29-1:49"
    alternatives = conditional.value
    assert alternatives.condition == "var.all"
    assert (alternatives.if_true.value, at(alternatives.if_true), alternatives.if_false) == ("*", "1:39-1:42", None)
    assert [a.value for a in node.get("Action").value] == ["s3:*"]  # a null element is left out
    assert "Sid" not in node.value  # so is a null member
    when_all = choose(node, {"var.all": True})  # what the engine does in each possible world
    assert (when_all.get("Resource").value, at(when_all.get("Resource"))) == ("*", "1:39-1:42")
    assert "Resource" not in choose(node, {"var.all": False}).value


def test_resolve_hook_supplies_values():
    text = 'locals {\n  p = jsonencode({ Action = local.action, Resource = var.r })\n}\n'

    def hook(expr):
        if expr.traversal() == ("local", "action"):
            return expr.node("s3:*")
        return None

    node = value(text, "p", hook)
    assert (node.get("Action").value, at(node.get("Action"))) == ("s3:*", "2:29-2:41")
    assert opaque_text(node.get("Resource")) == "var.r"


def test_duplicate_keys_are_recorded():
    parsed = parse_hcl('p = jsonencode({ Action = "a", Effect = "Allow", Action = "b" })\n')
    duplicates = []
    node = to_node(parsed.body.attribute("p").expr, duplicates=duplicates)
    assert node.get("Action").value == "b"
    assert [(at(a), at(b)) for a, b in duplicates] == [("1:18-1:24", "1:50-1:56")]


def test_accessors():
    text = '''x = data.aws_iam_policy_document.this[0].json
y = try(one(data.aws_iam_policy_document.a[*].json), null)
z = templatefile("${path.module}/policies/${var.name}.json", { bucket = var.b })
w = file("${path.module}/trust.json")
v = join("", data.aws_iam_policy_document.b.*.json)
u = local.m["key"].json
t = var.on ? local.a : local.b
s = provider::aws::arn_parse(var.arn)
'''
    body = parse_hcl(text).body
    expr = {name: attribute.expr for name, attribute in body.attributes.items()}
    assert expr["x"].traversal() == ("data", "aws_iam_policy_document", "this", 0, "json")
    call = expr["y"].call()
    assert (call.name, at(call.name_node), len(call.args)) == ("try", "2:5-2:8", 2)
    inner = call.args[0].call()
    assert inner.name == "one"
    assert inner.args[0].traversal() == ("data", "aws_iam_policy_document", "a", SPLAT, "json")
    assert call.args[1].kind == "null"
    templatefile = expr["z"].call()
    assert templatefile.args[0].render({("path", "module"): "mod"}) is None  # ${var.name} is not known
    assert templatefile.args[1].members()[0][0].value == "bucket"
    path = expr["w"].call().args[0]
    assert path.render({("path", "module"): "modules/iam"}) == "modules/iam/trust.json"
    parts = path.template_parts()
    assert [p if type(p) is str else p.traversal() for p in parts] == [("path", "module"), "/trust.json"]
    join = expr["v"].call()
    assert join.args[1].traversal() == ("data", "aws_iam_policy_document", "b", SPLAT, "json")
    assert expr["u"].traversal() == ("local", "m", "key", "json")
    condition, when_true, when_false = expr["t"].conditional()
    assert (condition.text, when_true.traversal(), when_false.traversal()) == ("var.on", ("local", "a"), ("local", "b"))
    assert expr["s"].call().name == "provider::aws::arn_parse"
    assert expr["x"].call() is None and expr["y"].traversal() is None


def test_heredoc_string_values():
    text = '''a = <<EOT
    Foo
      Bar
EOT
b = <<-EOT
    Foo
      Bar

    Baz
    EOT
c = <<-EOT
\tFoo
  Bar
  EOT
d = <<EOT
EOT
'''
    body = parse_hcl(text).body
    assert body.attribute("a").expr.string() == "    Foo\n      Bar\n"
    assert body.attribute("b").expr.string() == "Foo\n  Bar\n\nBaz\n"
    assert body.attribute("c").expr.string() == "Foo\n Bar\n"  # a tab is one character of indentation
    assert body.attribute("d").expr.string() == ""


def test_blocks_labels_and_header_spans():
    text = '''resource "aws_iam_role" "r" {
  name = "r"
  inline_policy {
    name = "a"
  }
  inline_policy {
    name = "b"
  }
}
data aws_iam_policy_document d {}
'''
    parsed = parse_hcl(text)
    role, document = parsed.body.blocks
    assert (role.type, role.label_values) == ("resource", ["aws_iam_role", "r"])
    assert [at(label) for label in role.labels] == ["1:10-1:24", "1:25-1:28"]
    assert at(role.header) == "1:1-1:28"
    assert at(role.node) == "1:1-9:2"
    assert [b.body.attribute("name").expr.string() for b in role.body.blocks_of("inline_policy")] == ["a", "b"]
    assert at(role.body.attribute("name").name_node) == "2:3-2:7"
    assert (document.label_values, at(document.header)) == (["aws_iam_policy_document", "d"], "10:1-10:31")
    assert parsed.body.block("data", "aws_iam_policy_document") is document
    assert parsed.body.block("resource", "aws_iam_policy") is None


def test_error_recovery_keeps_the_blocks_around_a_broken_one():
    text = '''resource "aws_iam_policy" "a" {
  policy = jsonencode({ Action = "s3:GetObject" })
}

resource "aws_iam_policy" "b" {
  policy = jsonencode({ Statement = [{ Action = "s3:*" ] })
}

resource "aws_iam_policy" "c" {
  policy = jsonencode({ Action = "iam:PassRole" })
}
'''
    parsed = parse_hcl(text)
    assert parsed.lines.position(parsed.error.offset) == (6, 38)
    assert parsed.error.message == 'syntax error: unexpected `{ Action = "s3:*"`'
    first, broken, last = parsed.body.blocks
    assert (first.has_error, broken.has_error, last.has_error) == (False, True, False)
    assert at(to_node(first.body.attribute("policy").expr).get("Action")) == "2:34-2:48"
    assert at(to_node(last.body.attribute("policy").expr).get("Action")) == "10:34-10:48"


@pytest.mark.parametrize(("text", "position", "message"), [
    ('a = {\n  b = 1\n', (2, 8), "syntax error: missing `}` to close the `{` at 1:5"),
    ('resource "x" "y" {\n  a = 1\n', (3, 1), "syntax error: missing `}` to close the block at 1:1"),
    ('a = "abc\nb = 1\n', (3, 1), 'syntax error: missing `"` to close the string at 1:5'),
    ('a = = 1\nb = 2\n', (1, 5), "syntax error: expected a value, found `=`"),
    ('a = = 1\n', (1, 1), "syntax error: unexpected `a = = 1`"),
    ('x {\n  a = [1, 2\n}\ny {}\n', (3, 1), "syntax error: missing `]` to close the list at 2:7"),
    ('}\nresource "c" "d" {\n  y = 1\n}\n', (1, 1), "syntax error: unexpected `}`"),
    ('x {\n  y = 1\n}}\nz {\n}\n', (3, 2), "syntax error: unexpected `}`"),
])
def test_first_syntax_error_is_positioned(text, position, message):
    parsed = parse_hcl(text)
    assert (parsed.lines.position(parsed.error.offset), parsed.error.message) == (position, message)


def test_comments_with_positions():
    text = '''# iamlint: ignore[IAM303] wildcard needed
resource "aws_iam_policy" "p" { // trailing
  /* block
     comment */
  description = "# not a comment // nor this"
  url = "https://example.com/#x"
  policy = <<EOF
{"Action": "s3:*"} # inside a heredoc: text
EOF
  x = 1 # iamlint: ignore[IAM302]
}
'''
    comments = parse_hcl(text).comments
    assert [(c.text, at(c), c.alone) for c in comments] == [
        ("# iamlint: ignore[IAM303] wildcard needed", "1:1-1:42", True),
        ("// trailing", "2:33-2:44", False),
        ("/* block\n     comment */", "3:3-4:16", True),
        ("# iamlint: ignore[IAM302]", "10:9-10:34", False),
    ]
    assert [c.content for c in comments] == [
        "iamlint: ignore[IAM303] wildcard needed", "trailing", "block\n     comment", "iamlint: ignore[IAM302]"]


def test_duplicate_attributes_are_kept_aside():
    body = parse_hcl('a = 1\na = 2\n').body
    assert body.attribute("a").expr.number() == 1
    assert [at(d.name_node) for d in body.duplicates] == ["2:1-2:2"]


def test_deep_nesting_does_not_overflow():
    depth = 5000
    parsed = parse_hcl("p = " + "[" * depth + "1" + "]" * depth + "\n")
    node = to_node(parsed.body.attribute("p").expr)
    for _ in range(300):  # values nested deeper than the cap are opaque, not a crash
        if is_opaque(node):
            break
        node = node.value[0]
    assert is_opaque(node)
    blocks = parse_hcl("a {\n" * 2000 + "}\n" * 2000)
    assert len(blocks.body.blocks) == 1


def test_missing_tree_sitter_is_a_catchable_error(monkeypatch):
    monkeypatch.setattr(hcl_module, "_local", type(hcl_module._local)())
    monkeypatch.setitem(sys.modules, "tree_sitter_hcl", None)  # `import tree_sitter_hcl` fails
    with pytest.raises(HCLUnavailable, match="tree-sitter-hcl"):
        parse_hcl("a = 1\n")


def test_opaque_nodes_are_skipped_like_intrinsics():
    from iamlint.values import opaque_on_path, plain_data

    node = value('p = jsonencode({ Statement = [{ Action = "s3:*", Resource = var.arns }] })\n')
    assert opaque_on_path(node, ("Statement", 0, "Resource"))
    assert plain_data(node) == {"Statement": [{"Action": "s3:*", "Resource": "*"}]}  # the schema's stand-in


def test_block_as_one_mapping_node():
    text = '''resource "aws_iam_role" "r" {
  name               = "deployer"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "a"
    policy = jsonencode({ Action = "s3:*" })
  }
  inline_policy {
    name = "b"
  }
}
'''
    role = parse_hcl(text).body.blocks[0]
    node = role.to_node()
    assert at(node) == "1:1-11:2"
    name = node.get("name")
    assert (name.value, at(name), at(name.key)) == ("deployer", "2:24-2:34", "2:3-2:7")
    assert opaque_text(node.get("assume_role_policy")) == "data.aws_iam_policy_document.trust.json"
    policies = node.get("inline_policy")
    assert (at(policies.key), at(policies)) == ("4:3-4:16", "4:3-10:4")
    assert [p.get("name").value for p in policies.value] == ["a", "b"]
    assert at(node.at(("inline_policy", 0, "policy", "Action"))) == "6:36-6:42"


def test_a_broken_attribute_keeps_later_blocks():
    text = 'resource "a" "b" {\n  x = (\n}\n\nresource "c" "d" {\n  y = 1\n}\nz = 2\n'
    parsed = parse_hcl(text)
    assert parsed.error is not None
    assert [b.label_values for b in parsed.body.blocks] == [["a", "b"], ["c", "d"]]
    assert parsed.body.blocks[1].body.attribute("y").expr.number() == 1
    assert parsed.body.attribute("z").expr.number() == 2


def test_a_string_that_is_one_interpolation_is_its_expression():
    text = '''p = "${data.aws_iam_policy_document.x.json}"
q = "${jsonencode({ Action = "s3:*" })}"
r = "${var.a}${var.b}"
s = ("${local.x}")
'''
    body = parse_hcl(text).body
    assert body.attribute("p").expr.traversal() == ("data", "aws_iam_policy_document", "x", "json")
    assert body.attribute("s").expr.traversal() == ("local", "x")
    assert body.attribute("r").expr.traversal() is None
    q = to_node(body.attribute("q").expr)
    assert (q.get("Action").value, at(q.get("Action"))) == ("s3:*", "2:30-2:36")
    p = to_node(body.attribute("p").expr)  # unknown: the whole string is the opaque value
    assert (opaque_text(p), at(p)) == ('"${data.aws_iam_policy_document.x.json}"', "1:5-1:45")


def test_a_resolved_value_used_twice_keeps_its_own_key():
    text = 'locals {\n  a = "s3:*"\n}\np = jsonencode({ Action = local.a, NotAction = local.a })\n'
    parsed = parse_hcl(text)
    local = to_node(parsed.body.blocks[0].body.attribute("a").expr)

    def hook(expr):
        return local if expr.traversal() == ("local", "a") else None

    node = to_node(parsed.body.attribute("p").expr, hook)
    assert [(at(n), at(n.key)) for n in node.value.values()] == [("2:7-2:13", "4:18-4:24"), ("2:7-2:13", "4:36-4:45")]
    assert local.key is None


@pytest.mark.parametrize(("expression", "parts"), [
    ('"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"',
     ("arn:aws:iam::", Unknown("data.aws_caller_identity.current.account_id"), ":root")),
    ('"${var.a}${ var.b }-\\u00e9"', (Unknown("var.a"), Unknown("var.b"), "-é")),
    ('"a-%{ if var.x }b%{ endif }"', None),  # a directive: no pieces
    ("var.x", None),
])
def test_opaque_strings_keep_their_pieces(expression, parts):
    assert value(f"p = {expression}\n").value.parts == parts


def test_resolve_hook_may_say_absent():
    from iamlint.parsers.hcl_nodes import ABSENT

    text = 'p = jsonencode({ Action = "s3:*", Condition = try(local.condition, null) })\n'
    node = value(text, "p", lambda expr: ABSENT if expr.call() is not None else None)
    assert list(node.value) == ["Action"]
