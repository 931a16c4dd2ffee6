"""Resources that are one resource-policy statement (a Lambda permission, a layer version
permission) read as the policy they add, the holder table, resource settings, and the options of
the resource-policy rules (public-principal's `holders`, cross-account-resource-access's accounts)."""

from __future__ import annotations

import pytest

from conftest import positions, run_main
from iamlint.config import Config
from iamlint.holders import HOLDERS
from iamlint.incremental import IncrementalLinter
from iamlint.nodes import Node, Span
from iamlint.readers.base import Source
from iamlint.readers.cloudformation import POLICY_PROPERTIES, CloudFormationReader, templates_table
from iamlint.rules import BUILTIN_RULES
from iamlint.statements import lambda_permission, principal_key
from iamlint.values import Alternatives, Opaque, Unknown, plain_data

TEMPLATE = """\
Conditions:
  Shared: !Equals [!Ref Mode, shared]
Resources:
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Handler.Arn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: !If [Shared, !Ref AWS::NoValue, arn:aws:s3:::uploads]
  Url:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: handler
      Action: lambda:InvokeFunctionUrl
      Principal: "*"
      FunctionUrlAuthType: NONE
  Layer:
    Type: AWS::Lambda::LayerVersionPermission
    Properties:
      LayerVersionArn: !Ref Layer
      Action: lambda:GetLayerVersion
      Principal: "111122223333"
      OrganizationId: o-a1b2c3d4e5
"""


def _read(text: str = TEMPLATE):
    return CloudFormationReader().read(Source("template.yaml", text))


def test_a_lambda_permission_is_the_statement_it_adds_to_the_functions_policy():
    invoke, url, layer = _read().policies
    assert [(p.kind, p.holder, p.origin, p.resource) for p in (invoke, url, layer)] == [
        ("resource", "AWS::Lambda::Function", "Resources/Invoke/Properties", "Invoke"),
        ("resource", "AWS::Lambda::Function", "Resources/Url/Properties", "Url"),
        ("resource", "AWS::Lambda::LayerVersion", "Resources/Layer/Properties", "Layer")]
    assert plain_data(url.root) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl", "Resource": "*",
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}]}
    assert plain_data(layer.root)["Statement"][0] == {
        "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "lambda:GetLayerVersion", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    # the function is opaque, whether a name or an ARN: never read as `*`, never an invalid ARN
    (statement,) = url.statements()
    assert type(statement.get("Resource").value) is Opaque
    assert invoke.choices is not None and invoke.choices.names == ("Shared",)


def test_each_value_and_key_of_the_statement_is_the_properties_own_node():
    (invoke, *_) = _read().policies
    (statement,) = invoke.statements()
    principal = statement.get("Principal")
    assert principal.key.span[:2] == (9, 7) and principal.value["Service"].span[:2] == (9, 18)
    assert principal.value["Service"].key.value == "Service"
    conditions = {c.key: c for c in statement.conditions()}
    assert conditions["aws:SourceAccount"].key_node.span[:2] == (10, 7)  # at `SourceAccount:`
    assert conditions["aws:SourceAccount"].operator == "StringEquals"
    assert type(conditions["aws:SourceArn"].node.value) is Alternatives
    assert statement.get("Effect").span[:2] == (5, 11)  # not written: at the resource's type
    assert statement.get("Resource").key.span[:2] == (7, 7)  # at `FunctionName:`


@pytest.mark.parametrize(("value", "key"), [
    ("s3.amazonaws.com", "Service"), ("111122223333", "AWS"), ("arn:aws:iam::111122223333:root", "AWS"),
    (111122223333, "AWS"), ("elasticloadbalancing.amazonaws.com", "Service"),
    (Opaque("Fn::Sub logs.${AWS::Region}.amazonaws.com", ("logs.", Unknown("AWS::Region"), ".amazonaws.com")), "Service"),
    (Opaque("Fn::Sub events.${AWS::URLSuffix}", ("events.", Unknown("AWS::URLSuffix"))), "Service"),
    (Opaque("Fn::Sub arn:${AWS::Partition}:iam::${Partner}:root",
            ("arn:", Unknown("AWS::Partition"), ":iam::", Unknown("Partner"), ":root")), "AWS"),
    (Opaque("Ref Caller"), "AWS"),
])
def test_the_principal_is_an_account_or_arn_else_a_service(value, key):
    assert principal_key(value) == key


def test_a_permission_of_any_format_builds_the_same_statement():
    """What another reader passes: a mapping node named as CloudFormation names the properties,
    each value keyed by the attribute's own name node (Terraform's `source_arn = ...`)."""
    def at(value, line, key=None):
        return Node(value, Span(line, 3, line, 20), key=None if key is None else Node(key, Span(line, 3, line, 9)))

    properties = Node({"Principal": at("events.amazonaws.com", 2, "principal"),
                       "Action": at("lambda:InvokeFunction", 3, "action"),
                       "FunctionName": at(Opaque("aws_lambda_function.handler.function_name"), 4, "function_name"),
                       "SourceArn": at("arn:aws:events:us-east-1:111122223333:rule/nightly", 5, "source_arn")},
                      Span(1, 1, 6, 2))
    root = lambda_permission(properties, at("aws_lambda_permission", 1))
    assert plain_data(root) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction",
        "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/nightly"}}}]}
    condition = root.value["Statement"].value[0].value["Condition"]
    assert condition.value["ArnLike"].value["aws:SourceArn"].key.span[:2] == (5, 3)
    assert lambda_permission(at(Opaque("var.permission"), 1), at("x", 1)) is None


def test_findings_of_the_rules_that_read_lambda_permissions(tmp_path):
    typo = ("  Typo:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: handler\n"
            "      Action: lambda:InvokeFuncton\n      Principal: events.amazonaws.com\n")
    text = TEMPLATE.replace("Principal: s3.amazonaws.com", "Principal: s3.amazonaws.com\n      EventSourceToken: abc") + typo
    (tmp_path / "template.yaml").write_text(text, encoding="utf-8")
    run = run_main("--isolated", "--format", "json", "--select", "IAM1,IAM2,IAM3,IAM4", "template.yaml", cwd=tmp_path)
    assert positions(run) == ["18:18 IAM311", "31:15 IAM202", "32:18 IAM316"]  # not IAM320: a typo


def test_every_holder_the_readers_name_is_in_the_holder_table():
    holders = {where.holder for places in POLICY_PROPERTIES.values() for where in places if where.holder}
    assert holders - set(HOLDERS) == set()
    assert all(h.noun and h.policy for h in HOLDERS.values())


def test_the_formats_table_lists_lambda_permissions():
    table = templates_table()
    assert ("| `AWS::Lambda::Permission` | `Principal`, `Action`, `FunctionName`, `SourceArn`, `SourceAccount`, "
            "`PrincipalOrgID`, `FunctionUrlAuthType`, `EventSourceToken` | resource (the one statement the resource "
            "adds) |  |  |") in table


def test_a_server_rereads_a_permission_when_it_changes():
    linter = IncrementalLinter(BUILTIN_RULES, Config())
    before = linter.lint_text("template.yaml", TEMPLATE)
    after = linter.lint_text("template.yaml", TEMPLATE.replace("Principal: \"*\"", "Principal: \"444455556666\""))
    assert [d.code for d in before if d.line == 17] == ["IAM311"]
    assert [d.code for d in after if d.line == 17] == ["IAM318"]


def test_settings_read_by_name_whatever_the_format_spells_them():
    text = ("Resources:\n  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: !If [C, NONE, AWS_IAM]\n"
            "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n        AuthType: NONE\n"
            "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: x\n"
            "  Gone:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: !Ref AWS::NoValue\n")
    found = _read(text).settings("function-url-auth-type")
    assert [(resource.name, type(node.value).__name__) for resource, node in found] == [
        ("Url", "Alternatives"), ("Fn", "str")]
    assert _read(text).settings("no-such-setting") == []


@pytest.mark.parametrize(("config", "expected"), [
    ("", ["5:63 IAM311", "11:63 IAM311"]),
    ('[rules.public-principal]\nholders = ["AWS::SQS::Queue"]\n', ["11:63 IAM311"]),
    ('[rules.public-principal]\nholders = ["AWS::S3::Bucket"]\n', ["5:63 IAM311"]),
])
def test_public_principal_checks_the_resources_its_holders_option_names(tmp_path, config, expected):
    (tmp_path / ".iamlint.toml").write_text('select = ["IAM311"]\n' + config, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
        "      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: s3:GetObject, Resource: '*'}]}\n"
        "      Bucket: b\n"
        "  Q:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [q]\n"
        "      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sqs:SendMessage, Resource: '*'}]}\n",
        encoding="utf-8")
    assert positions(run_main("--format", "json", "template.yaml", cwd=tmp_path)) == expected


POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["444455556666", '
          '"arn:aws:iam::777788889999:role/reader"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"}]}\n')


@pytest.mark.parametrize(("config", "expected"), [
    ("", ["1:83 IAM318", "1:99 IAM318"]),
    ('own-accounts = ["444455556666"]\n', ["1:99 IAM318"]),
    ('own-accounts = ["444455556666"]\n[rules.cross-account-resource-access]\nown_accounts = ["777788889999"]\n',
     ["1:83 IAM318"]),
])
def test_cross_account_access_reads_the_own_accounts_setting_and_its_own_option(tmp_path, config, expected):
    (tmp_path / ".iamlint.toml").write_text('select = ["IAM318"]\n' + config, encoding="utf-8")
    (tmp_path / "p.json").write_text(POLICY, encoding="utf-8")
    assert positions(run_main("--format", "json", "--kind", "resource", "p.json", cwd=tmp_path)) == expected


def test_a_serverless_service_gets_permissions_and_function_urls_from_its_resources(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "service: demo\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: handler.hello\n"
        "resources:\n  Resources:\n"
        "    InvokeFromConfig:\n      Type: AWS::Lambda::Permission\n      Properties:\n"
        "        FunctionName: !GetAtt HelloLambdaFunction.Arn\n        Action: lambda:InvokeFunction\n"
        "        Principal: config.amazonaws.com\n"
        "    HelloUrl:\n      Type: AWS::Lambda::Url\n      Properties:\n"
        "        TargetFunctionArn: !GetAtt HelloLambdaFunction.Arn\n        AuthType: NONE\n", encoding="utf-8")
    run = run_main("--isolated", "--format", "json", "--only", "serverless", "serverless.yml", cwd=tmp_path)
    assert positions(run) == ["14:20 IAM316", "19:19 IAM408"]


TERRAFORM_PERMISSIONS = '''\
resource "aws_lambda_permission" "invoke" {
  function_name  = aws_lambda_function.handler.arn
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
  source_arn     = var.shared ? null : "arn:aws:s3:::uploads"
}

resource "aws_lambda_permission" "url" {
  function_name          = "handler"
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
  event_source_token     = try(each.value.token, null)
}

resource "aws_lambda_layer_version_permission" "layer" {
  layer_name      = aws_lambda_layer_version.layer.layer_arn
  version_number  = 1
  statement_id    = "organization"
  action          = "lambda:GetLayerVersion"
  principal       = "111122223333"
  organization_id = "o-a1b2c3d4e5"
}
'''


def test_a_terraform_permission_is_the_statement_a_template_permission_is(tmp_path):
    """`aws_lambda_permission` goes through the builder the CloudFormation reader uses: the same
    statements as TEMPLATE's, the unknown event source token under its own key beside the known
    auth type (not a whole Condition made unknown), findings at the attributes' own places."""
    from iamlint.readers.terraform import TerraformReader

    (tmp_path / "main.tf").write_text(TERRAFORM_PERMISSIONS, encoding="utf-8")
    source = Source(str(tmp_path / "main.tf"), TERRAFORM_PERMISSIONS)
    invoke, url, layer = TerraformReader().read(source).policies
    template = _read().policies
    assert [(p.kind, p.holder, p.origin) for p in (invoke, url, layer)] == [
        ("resource", "AWS::Lambda::Function", "aws_lambda_permission.invoke"),
        ("resource", "AWS::Lambda::Function", "aws_lambda_permission.url"),
        ("resource", "AWS::Lambda::LayerVersion", "aws_lambda_layer_version_permission.layer")]
    assert plain_data(layer.root) == plain_data(template[2].root)
    (statement,) = url.statements()
    assert plain_data(statement.node)["Condition"] == {
        "StringEquals": {"lambda:FunctionUrlAuthType": "NONE", "lambda:EventSourceToken": "*"}}
    assert type(statement.get("Condition").value["StringEquals"].value["lambda:EventSourceToken"].value) is Opaque
    assert statement.get("Effect").span[:2] == (9, 10)  # not written: at the type label
    (statement,) = invoke.statements()
    conditions = {c.key: c for c in statement.conditions()}
    assert conditions["aws:SourceAccount"].key_node.span[:2] == (5, 3)  # at `source_account`
    assert type(conditions["aws:SourceArn"].node.value) is Alternatives
    assert invoke.choices is not None and invoke.choices.names == ("var.shared",)


def test_terraform_function_urls_are_read_by_name(tmp_path):
    from iamlint.readers.terraform import TerraformReader

    text = ('resource "aws_lambda_function_url" "a" {\n  function_name = "f"\n  authorization_type = "NONE"\n}\n'
            'resource "aws_lambda_function_url" "b" {\n  function_name = "f"\n'
            '  authorization_type = var.public ? "NONE" : "AWS_IAM"\n}\n'
            'resource "aws_lambda_function_url" "c" {\n  function_name = "f"\n  authorization_type = null\n}\n')
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    document = TerraformReader().read(Source(str(tmp_path / "main.tf"), text))
    assert [(resource.name, type(node.value).__name__, node.span[:2])
            for resource, node in document.settings("function-url-auth-type")] == [
        ("aws_lambda_function_url.a", "str", (3, 24)), ("aws_lambda_function_url.b", "Alternatives", (7, 24))]


def test_a_plan_gets_function_urls_and_permissions_as_a_configuration_does(tmp_path):
    (tmp_path / "plan.json").write_text('''\
{"format_version": "1.2", "terraform_version": "1.9.0",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_lambda_function_url.webhook", "mode": "managed", "type": "aws_lambda_function_url", "name": "webhook",
   "values": {"function_name": "webhook", "authorization_type": "NONE"}},
  {"address": "aws_lambda_permission.logs", "mode": "managed", "type": "aws_lambda_permission", "name": "logs",
   "values": {"function_name": "webhook", "action": "lambda:InvokeFunction", "principal": "logs.eu-west-1.amazonaws.com",
              "source_arn": null, "source_account": null, "function_url_auth_type": null}}]}},
 "resource_changes": []}
''', encoding="utf-8")
    run = run_main("--isolated", "--format", "json", "plan.json", cwd=tmp_path)
    assert positions(run) == ["4:65 IAM408", "6:91 IAM316"]
