"""The formats fuzzed, each registered once: how to generate a file of it from its grammar (a
Hypothesis strategy of texts), which real files to mutate, and whether iamlint reads it yet.

A new format (Terraform, Serverless, a CDK assembly) plugs in with ``register(Format(...))``;
the tests and scripts/fuzz.py pick it up from ``FORMATS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # file names it is linted under
    generate: Callable[[], st.SearchStrategy[str]]  # texts built from the format's grammar
    samples: Callable[[], list[Path]]  # real files of the format, in the repository
    corpus: Callable[[Path], list[Path]] = field(default=lambda root: [])  # real files in a corpus
    reader_extension: str | None = None  # None: always read; else a registered reader must claim it

    def available(self) -> bool:
        if self.reader_extension is None:
            return True
        from iamlint.readers import READERS

        return any(self.reader_extension in reader.extensions for reader in READERS)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


# --- the IAM policy grammar -------------------------------------------------------------------

ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:*", "s3:Get*", "iam:PassRole", "iam:CreateUser", "sts:AssumeRole",
           "ec2:Describe*", "kms:Decrypt", "*", "lambda:InvokeFunction", "dynamodb:Query", "s3:ListBucket",
           "iam:*", "secretsmanager:GetSecretValue", "logs:PutLogEvents", "sqs:SendMessage", "s3:get?bject"]
RESOURCES = ["*", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*", "arn:aws:iam::123456789012:role/x",
             "arn:aws:kms:us-east-1:123456789012:key/abc", "arn:aws:sqs:*:*:queue", "arn:${AWS::Partition}:s3:::b",
             "arn:aws:dynamodb:us-east-1:123456789012:table/t"]
PRINCIPALS = ["*", {"AWS": "*"}, {"AWS": "123456789012"}, {"AWS": ["arn:aws:iam::123456789012:root"]},
              {"Service": "lambda.amazonaws.com"}, {"Federated": "cognito-identity.amazonaws.com"},
              {"CanonicalUser": "abc"}]
OPERATORS = ["StringEquals", "StringLike", "ArnLike", "Bool", "NumericLessThan", "IpAddress", "DateGreaterThan",
             "ForAnyValue:StringEquals", "ForAllValues:StringLike", "StringEqualsIfExists", "Null", "BoolIfExists"]
KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:MultiFactorAuthPresent", "aws:PrincipalOrgID", "s3:prefix",
        "aws:SecureTransport", "sts:ExternalId", "aws:MultiFactorAuthAge", "aws:SourceIp", "iam:PassedToService"]
ODD_STRINGS = ["", " ", "\u00e9", "\u202e", "\u200b", "\U0001F600", "\ufeff", "\x7f", "a" * 300, "${aws:username}",
               "arn:aws:s3:::b/${aws:username}/*", "\\", "\"", "*:*", "s3:", ":", "??", "%7B"]

WEIRD_NUMBERS = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                          st.sampled_from([10 ** 400, -(10 ** 400), 1e308, 0, -0.0]))
SCALARS = st.one_of(st.sampled_from(ACTIONS + RESOURCES + KEYS + ODD_STRINGS), st.text(max_size=12), st.booleans(),
                    st.none(), WEIRD_NUMBERS)


def _one_or_many(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(strategy, st.lists(strategy, max_size=4))


def _maybe_junk(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly what the grammar says; now and then any value (a wrong type)."""
    return st.one_of(strategy, strategy, strategy, SCALARS, st.lists(SCALARS, max_size=2),
                     st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=2))


CONDITION = st.dictionaries(st.sampled_from(OPERATORS), _maybe_junk(st.dictionaries(
    st.sampled_from(KEYS), _one_or_many(st.one_of(st.sampled_from(RESOURCES + ["true", "false", "o-123"]),
                                                  st.booleans(), WEIRD_NUMBERS)), max_size=2)), max_size=2)


@st.composite
def statements(draw, opaque: st.SearchStrategy | None = None) -> dict:
    values = st.sampled_from(ACTIONS) if opaque is None else st.one_of(st.sampled_from(ACTIONS), opaque)
    statement: dict = {}
    if draw(st.booleans()):
        statement["Sid"] = draw(st.one_of(st.from_regex(r"[A-Za-z0-9]{0,8}", fullmatch=True), st.sampled_from(ODD_STRINGS)))
    if draw(st.integers(0, 9)):
        statement["Effect"] = draw(_maybe_junk(st.sampled_from(["Allow", "Deny", "allow", "Permit"])))
    statement[draw(st.sampled_from(["Action", "Action", "NotAction"]))] = draw(_maybe_junk(_one_or_many(values)))
    if draw(st.integers(0, 5)):
        resources = st.sampled_from(RESOURCES) if opaque is None else st.one_of(st.sampled_from(RESOURCES), opaque)
        statement[draw(st.sampled_from(["Resource", "Resource", "NotResource"]))] = draw(_maybe_junk(_one_or_many(resources)))
    if draw(st.integers(0, 3)) == 0:
        statement[draw(st.sampled_from(["Principal", "NotPrincipal"]))] = draw(_maybe_junk(st.sampled_from(PRINCIPALS)))
    if draw(st.integers(0, 2)) == 0:
        statement["Condition"] = draw(_maybe_junk(CONDITION))
    if draw(st.integers(0, 20)) == 0:
        statement[draw(st.sampled_from(["Extra", "effect", ""]))] = draw(SCALARS)
    return statement


@st.composite
def policies(draw, opaque: st.SearchStrategy | None = None) -> dict:
    policy: dict = {}
    if draw(st.integers(0, 7)):
        policy["Version"] = draw(_maybe_junk(st.sampled_from(["2012-10-17", "2008-10-17", "2012-10-18"])))
    if draw(st.integers(0, 4)) == 0:
        policy["Id"] = draw(SCALARS)
    statement = statements(opaque)
    policy["Statement"] = draw(st.one_of(st.lists(statement, min_size=0, max_size=5), statement,
                                         st.lists(statement, min_size=0, max_size=5), SCALARS))
    return policy


def _json_text(draw, value) -> str:
    indent = draw(st.sampled_from([None, 2, 4, "\t"]))
    return json.dumps(value, indent=indent, ensure_ascii=draw(st.booleans()))


@st.composite
def policy_json(draw) -> str:
    policy = draw(policies())
    envelope = draw(st.sampled_from(["none", "none", "none", "version", "role-policy", "role"]))
    if envelope == "version":
        policy = {"PolicyVersion": {"Document": policy if draw(st.booleans()) else json.dumps(policy),
                                    "VersionId": "v1", "IsDefaultVersion": True}}
    elif envelope == "role-policy":
        policy = {"RoleName": "r", "PolicyName": "p", "PolicyDocument": policy}
    elif envelope == "role":
        policy = {"Role": {"RoleName": "r", "AssumeRolePolicyDocument": policy}}
    return _json_text(draw, policy)


# --- CloudFormation and SAM templates ---------------------------------------------------------

INTRINSICS = st.one_of(
    st.builds(lambda name: {"Ref": name}, st.sampled_from(["Param", "AWS::AccountId", "AWS::NoValue", "Role", "Nope"])),
    st.builds(lambda body: {"Fn::Sub": body}, st.sampled_from(["arn:aws:s3:::${Bucket}/*", "${AWS::AccountId}", "x"])),
    st.builds(lambda a: {"Fn::GetAtt": [a, "Arn"]}, st.sampled_from(["Role", "Bucket", "Missing"])),
    st.builds(lambda parts: {"Fn::Join": ["", parts]}, st.lists(st.sampled_from(["arn:aws:s3:::", {"Ref": "B"}, "/*"]),
                                                                 max_size=3)),
    st.builds(lambda a, b: {"Fn::If": ["IsProd", a, b]}, st.sampled_from(ACTIONS + RESOURCES),
              st.sampled_from(ACTIONS + RESOURCES + [{"Ref": "AWS::NoValue"}])),
    st.builds(lambda v: {"Fn::ImportValue": v}, st.sampled_from(["Exported", {"Fn::Sub": "${Stack}-x"}])),
)


@st.composite
def cfn_policy(draw) -> object:
    """A policy as a template holds it: an object with intrinsics, now and then a JSON string or an intrinsic."""
    policy = draw(policies(opaque=INTRINSICS))
    shape = draw(st.integers(0, 12))
    if shape == 0:
        return json.dumps(policy)
    if shape == 1:
        return draw(INTRINSICS)
    if shape == 2:
        return {"Fn::If": ["IsProd", policy, {"Ref": "AWS::NoValue"}]}
    if shape == 3:
        return {"Fn::Sub": json.dumps(policy).replace("s3:::bucket", "s3:::${Bucket}")}
    return policy


@st.composite
def cfn_resource(draw, sam: bool) -> dict:
    from iamlint.readers.cloudformation import POLICY_PROPERTIES

    types = sorted(t for t in POLICY_PROPERTIES if sam or not t.startswith("AWS::Serverless::"))
    kind = draw(st.sampled_from(types + ["AWS::IAM::AccessKey", "AWS::S3::Bucket", "Custom::Thing"]))
    properties: dict = {}
    for where in POLICY_PROPERTIES.get(kind, ()):
        value: object = draw(cfn_policy())
        if where.statement_only:
            value = draw(st.lists(statements(opaque=INTRINSICS), max_size=3))
        elif where.kind == "sam":
            value = draw(st.lists(st.one_of(st.just(value), st.sampled_from(
                ["AmazonS3FullAccess", "arn:aws:iam::aws:policy/AdministratorAccess",
                 {"S3ReadPolicy": {"BucketName": "b"}}, {"Statement": [{"Effect": "Allow", "Action": "*",
                                                                        "Resource": "*"}]}])), max_size=3))
        for step in reversed(where.path):
            value = [{"PolicyName": "p", "PolicyDocument": value}] if step == "*" else {step: value}
            if step == "*":
                break
        if isinstance(value, dict):
            properties.update(value)
        else:
            properties["Policies"] = value
    if kind == "AWS::Organizations::Policy":
        properties["Type"] = draw(st.sampled_from(["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY"]))
    if draw(st.integers(0, 4)) == 0:
        properties[draw(st.sampled_from(["Roles", "Users", "Groups"]))] = [draw(st.sampled_from(
            ["r", {"Ref": "Role"}]))]
    if draw(st.integers(0, 6)) == 0:
        properties["ManagedPolicyArns"] = [draw(st.sampled_from(["arn:aws:iam::aws:policy/AdministratorAccess",
                                                                 {"Ref": "P"}]))]
    resource: dict = {"Type": kind, "Properties": properties}
    if draw(st.integers(0, 8)) == 0:
        resource["Metadata"] = {"iamlint": {"ignore": draw(st.lists(st.sampled_from(
            ["IAM303", "wildcard-action", "IAM9", "ALL", ""]), max_size=2))}}
    if draw(st.integers(0, 8)) == 0:
        resource["Condition"] = "IsProd"
    return resource


@st.composite
def templates(draw, sam: bool = False) -> dict:
    template: dict = {}
    if draw(st.integers(0, 3)):
        template["AWSTemplateFormatVersion"] = "2010-09-09"
    if sam:
        template["Transform"] = "AWS::Serverless-2016-10-31"
    if draw(st.booleans()):
        template["Parameters"] = {"Param": {"Type": "String", **({"NoEcho": True} if draw(st.booleans()) else {})}}
    if draw(st.booleans()):
        template["Conditions"] = {"IsProd": {"Fn::Equals": [{"Ref": "Param"}, "prod"]}}
    names = st.from_regex(r"[A-Z][A-Za-z0-9]{0,6}", fullmatch=True)
    template["Resources"] = draw(st.dictionaries(names, cfn_resource(sam), min_size=1, max_size=4))
    return template


def to_yaml(value, draw, indent: int = 0) -> str:
    """A small YAML writer that, unlike yaml.safe_dump, uses the short-form tags (``!Ref x``,
    ``!Sub``, ``!GetAtt a.b``) and mixes block and flow styles, as people write templates."""
    pad = " " * indent
    if isinstance(value, dict) and len(value) == 1:
        (name, inner), = value.items()
        short = {"Ref": "!Ref", "Fn::Sub": "!Sub", "Fn::GetAtt": "!GetAtt", "Fn::Join": "!Join", "Fn::If": "!If",
                 "Fn::ImportValue": "!ImportValue", "Fn::Equals": "!Equals"}.get(name)
        if short is not None and draw(st.booleans()):
            if name == "Fn::GetAtt" and isinstance(inner, list) and draw(st.booleans()):
                return f"{short} {'.'.join(map(str, inner))}"
            return f"{short} {json.dumps(inner)}"
    if isinstance(value, (dict, list)) and (not value or draw(st.integers(0, 4)) == 0):
        return json.dumps(value)  # flow style (JSON is YAML)
    if isinstance(value, dict):
        lines = []
        for name, inner in value.items():
            rendered = to_yaml(inner, draw, indent + 2)
            key = json.dumps(name) if not name or not name.replace(":", "").replace("_", "").isalnum() else name
            if rendered.startswith("\n"):
                lines.append(f"{pad}{key}:{rendered}")
            else:
                lines.append(f"{pad}{key}: {rendered}")
        return "\n" + "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for inner in value:
            rendered = to_yaml(inner, draw, indent + 2)
            lines.append(f"{pad}-{rendered}" if rendered.startswith("\n") else f"{pad}- {rendered}")
        return "\n" + "\n".join(lines)
    if isinstance(value, str) and value and value.isprintable() and value == value.strip() and ":" not in value \
            and value[0] not in "!&*-?[]{}#|>@`\"'%,=" and draw(st.booleans()):
        return value
    return json.dumps(value)


@st.composite
def template_yaml(draw, sam: bool = False) -> str:
    return to_yaml(draw(templates(sam)), draw).lstrip("\n") + "\n"


@st.composite
def template_json(draw) -> str:
    return _json_text(draw, draw(templates(draw(st.booleans()))))


# --- Terraform (read once a reader claims .tf files) -------------------------------------------

@st.composite
def terraform(draw) -> str:
    """HCL with policies as Terraform spells them: jsonencode, heredoc JSON, policy documents."""
    blocks = []
    for index in range(draw(st.integers(1, 3))):
        policy = draw(policies(opaque=st.sampled_from(["${var.bucket_arn}", "${aws_s3_bucket.b.arn}/*"])))
        style = draw(st.sampled_from(["jsonencode", "heredoc", "document"]))
        if style == "heredoc":
            body = f"<<EOF\n{json.dumps(policy, indent=2)}\nEOF"
            blocks.append(f'resource "aws_iam_policy" "p{index}" {{\n  name   = "p{index}"\n  policy = {body}\n}}\n')
        elif style == "jsonencode":
            blocks.append(f'resource "aws_iam_role_policy" "p{index}" {{\n  role   = aws_iam_role.r.id\n'
                          f'  policy = jsonencode({json.dumps(policy)})\n}}\n')
        else:
            statements_hcl = []
            for statement in policy["Statement"] if isinstance(policy["Statement"], list) else []:
                if not isinstance(statement, dict):
                    continue
                actions = statement.get("Action", statement.get("NotAction", "*"))
                actions = actions if isinstance(actions, list) else [actions]
                statements_hcl.append(f'  statement {{\n    effect    = {json.dumps(str(statement.get("Effect", "Allow")))}\n'
                                      f'    actions   = {json.dumps([str(a) for a in actions])}\n'
                                      f'    resources = ["*"]\n  }}\n')
            blocks.append(f'data "aws_iam_policy_document" "d{index}" {{\n{"".join(statements_hcl)}}}\n')
    return "\n".join(blocks)


# --- the registry ------------------------------------------------------------------------------

def _repo(*patterns: str) -> Callable[[], list[Path]]:
    def found() -> list[Path]:
        return sorted(p for pattern in patterns for p in REPO.glob(pattern)
                      if ".expected" not in p.name and p.name != "package.json")
    return found


def _corpus(*patterns: str) -> Callable[[Path], list[Path]]:
    def found(root: Path) -> list[Path]:
        return sorted(p for pattern in patterns for p in root.glob(pattern) if p.is_file())
    return found


register(Format("policy-json", (".json",), policy_json, _repo("examples/**/*.json"),
                _corpus("managed-policies/*.json", "resource-policies/**/*.json", "terraform-plan/**/*.json")))
register(Format("template-yaml", (".yaml", ".yml", ".template"), lambda: template_yaml(False),
                _repo("examples/**/*.yaml", "tests/fixtures/templates/*.yaml"),
                _corpus("cloudformation/**/*.yaml", "cloudformation/**/*.yml", "serverless/**/*.yml",
                        "serverless/**/*.yaml")))
register(Format("sam-yaml", (".yaml",), lambda: template_yaml(True), _repo("tests/fixtures/templates/sam-*.yaml")))
register(Format("template-json", (".json", ".template"), template_json, _repo("tests/fixtures/templates/*.json"),
                _corpus("cloudformation/**/*.json", "serverless/**/*.json")))
register(Format("terraform", (".tf",), terraform, list, _corpus("terraform/**/*.tf", "terraform/**/*.tpl",
                                                                      "terraform/**/*.tfvars"),
                reader_extension=".tf"))
