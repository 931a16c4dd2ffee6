"""Serverless Framework service files (``serverless.yml``, v1 to v4, AWS provider): the IAM
statements the framework turns into its roles' policies, the managed policies it attaches, the
API Gateway resource policy, and the CloudFormation under ``resources.Resources``, read as a
template.

Where the framework takes policies is data (``PLACES``), so the docs table and the reader cannot
drift apart. Serverless variables (``${self:...}``, ``${opt:...}``, ``${ssm:...}``, ...) and the
pseudo-parameters plugin's ``#{AWS::Region}`` are resolved by the framework at deploy time: they
are opaque values here, never an invalid ARN. IAM policy variables that look alike
(``${aws:username}``, ``${aws:PrincipalTag/team}``) stay what they are.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

from iamlint.intrinsics import resolve, with_opaque_values
from iamlint.nodes import Node
from iamlint.parsers.json_parser import ParseError
from iamlint.policy import PolicyDocument
from iamlint.readers.base import NOT_JSON, Document, Reader, Resource, Source
from iamlint.readers.cloudformation import Template
from iamlint.values import Alternatives, Opaque, Unknown
from iamlint.worlds import Choices

# A cheap look before parsing: a top-level `service:` and `provider:`, and the AWS provider.
_SERVICE = re.compile(r"^service\s*:", re.M)
_PROVIDER = re.compile(r"^provider\s*:", re.M)
_AWS = re.compile(r"^provider\s*:\s*[\"']?aws\b|^\s+name\s*:\s*[\"']?aws[\"']?\s*(?:#.*)?$", re.M)


class Place:
    """One place the framework reads a policy from: a dotted path (``*``: every function)."""

    def __init__(self, path: str, kind: str, versions: str, what: str) -> None:
        self.path = tuple(path.split("."))
        self.kind = kind  # "identity", "resource", or "managed" (a list of managed policy ARNs)
        self.versions = versions
        self.what = what


PLACES: tuple[Place, ...] = (
    Place("provider.iam.role.statements", "identity", "v3, v4", "statements of the role all functions share"),
    Place("provider.iamRoleStatements", "identity", "v1, v2", "statements of the role all functions share"),
    Place("functions.*.iam.role.statements", "identity", "v4",
          "statements of the function's own role (`provider.iam.role.mode: perFunction`)"),
    Place("functions.*.iamRoleStatements", "identity", "plugin, v4",
          "statements of the function's own role (serverless-iam-roles-per-function)"),
    Place("provider.iam.role.managedPolicies", "managed", "v3, v4", "managed policies of the shared role"),
    Place("provider.iamManagedPolicies", "managed", "v1, v2", "managed policies of the shared role"),
    Place("functions.*.iam.role.managedPolicies", "managed", "v4", "managed policies of the function's role"),
    Place("provider.apiGateway.resourcePolicy", "resource", "v2, v3, v4",
          "statements of the REST API's resource policy"),
    Place("provider.resourcePolicy", "resource", "v1", "statements of the REST API's resource policy"),
)

# The variable sources the framework (and common plugins) resolve: `${self:custom.bucket}`,
# `${opt:stage, 'dev'}`, `${file(./config.yml):arn}`, `${cf.us-east-1:stack.Output}` ...
SOURCES = frozenset({"self", "opt", "sls", "env", "file", "cf", "s3", "ssm", "param", "output", "strToBool",
                     "git", "doppler", "vault", "terraform", "construct"})
# `${aws:...}` is the framework's only for these names; every other `${aws:...}` is an IAM policy
# variable (`${aws:username}`, `${aws:PrincipalTag/team}`). Both name a CloudFormation pseudo parameter.
AWS_VARIABLES = {"accountId": "AWS::AccountId", "region": "AWS::Region"}
_SOURCE = re.compile(r"\s*([A-Za-z][\w-]*)(?:\.[\w-]+)?\s*([(:])")
_OPENING = re.compile(r"[$#]\{")


def _closing(text: str, at: int) -> int:
    """The index of the `}` closing a variable whose body starts at ``at`` (nested ones skipped), or -1."""
    depth = 1
    for index in range(at, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if not depth:
                return index
    return -1


def variable_name(body: str, sign: str = "$") -> str | None:
    """What a ``${body}`` (``#{body}``) resolved by the framework stands for, as an unknown's
    name (a pseudo parameter where it is one), or None when the framework leaves it alone."""
    if sign == "#":  # serverless-pseudo-parameters: `#{AWS::Region}`, `#{Bucket.Arn}`, as in `!Sub`
        return body.strip()
    match = _SOURCE.match(body)
    if match is None:
        return None
    source, opener = match.groups()
    if source == "aws" and opener == ":":
        return AWS_VARIABLES.get(body[match.end():].strip())
    return body.strip() if source in SOURCES or opener == "(" else None


def pieces(text: str) -> tuple | None:
    """A string's literal pieces and an ``Unknown`` for each variable the framework resolves, or
    None when it holds none."""
    if "{" not in text:
        return None
    found: list = []
    at = start = 0
    while True:
        opening = _OPENING.search(text, start)
        if opening is None:
            break
        end = _closing(text, opening.end())
        if end < 0:
            break
        name = variable_name(text[opening.end():end], text[opening.start()])
        if name is not None:
            found += [text[at:opening.start()], Unknown(name)]
            at = end + 1
        start = end + 1
    if not found:
        return None
    found.append(text[at:])
    return tuple(p for p in found if p != "")


def with_variables_opaque(node: Node) -> Node:
    """A tree with each string that holds a Serverless variable an opaque value; unchanged
    subtrees are shared."""
    value = node.value
    if type(value) is str:
        parts = pieces(value) if ("${" in value or "#{" in value) else None
        return node if parts is None else node.with_value(Opaque(value, parts))
    if type(value) is dict:
        entries = {key: with_variables_opaque(child) for key, child in value.items()}
        return node.with_value(entries) if any(entries[k] is not value[k] for k in value) else node
    if type(value) is list:
        items = [with_variables_opaque(child) for child in value]
        return node.with_value(items) if any(a is not b for a, b in zip(items, value, strict=True)) else node
    return node


def is_aws_service(data: Any) -> bool:
    """A decoded Serverless service of the AWS provider."""
    if not isinstance(data, dict) or "service" not in data:
        return False
    provider = data.get("provider")
    return provider == "aws" or (isinstance(provider, dict) and provider.get("name") == "aws")


def _is_aws_service_node(root: Node) -> bool:
    if not root.is_mapping or root.get("service") is None:
        return False
    provider = root.get("provider")
    if provider is None:
        return False
    name = provider if provider.is_string else provider.get("name")
    return name is not None and name.value == "aws"


def _walk(node: Node, path: tuple[str, ...], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Node]]:
    """(path, node) for each node at ``path``; ``*`` steps into every entry of a mapping (or of
    each mapping of a list: v1 let ``functions`` be a list of them)."""
    if not path:
        yield prefix, node
        return
    step, rest = path[0], path[1:]
    if step == "*":
        entries = list(node.items()) if node.is_mapping else \
            [entry for item in node.value if item.is_mapping for entry in item.items()] if node.is_sequence else []
        for name, child in entries:
            yield from _walk(child, rest, prefix + (name,))
        return
    child = node.get(step)
    if child is not None:
        yield from _walk(child, rest, prefix + (step,))


class Service(Template):
    """A parsed service file: the policies of the framework's roles and API, and the template
    under ``resources``."""

    format = "serverless"
    noun = "the service file"

    def __init__(self, path: str, root: Node, text: str, lines) -> None:
        root = with_variables_opaque(root)
        resources = root.get("resources")
        if resources is None or not resources.is_mapping:  # none, or `${file(resources.yml)}`: nothing to read
            resources = root.with_value({}, key=None)
        super().__init__(path, resources, text, lines)
        self.service = root
        self.unplaced_origin = ""
        for place in PLACES:
            for found, node in _walk(root, place.path):
                origin = "/".join(found)
                owner = ".".join(found[:-1])  # `provider.iam.role`, `functions.hello`: whose it is
                if place.kind == "managed":
                    self._managed(owner, origin, node)
                else:
                    self.policies += self._statements(place.kind, origin, owner, node)

    def _statements(self, kind: str, origin: str, owner: str, node: Node) -> list[PolicyDocument]:
        """The policy the framework builds from a list of statements."""
        conditions: list[str] = []
        statements = resolve(node, conditions)
        if statements is None or not (statements.is_sequence or statements.is_mapping
                                      or type(statements.value) is Alternatives):
            return []  # a variable (`${file(iam.yml):statements}`): nothing to judge
        version = node.with_value("2012-10-17", key=None)
        root = with_opaque_values(node.with_value({"Version": version, "Statement": statements}))
        # the framework writes the statements into a role of its own (an inline policy: by design,
        # not the user's choice, so inline-policy does not apply) or into the API's policy
        attachments = frozenset({"role"} if kind == "identity" else ())
        policy = PolicyDocument(root, kind, self.path, origin, attachments=attachments,
                                inline=False, resource=owner, in_template=True)
        if conditions:
            policy.choices = Choices(tuple(conditions), {}, self.conditions.possible)
        if "&" not in self.text:  # no anchors: the statements' text is all there is to them
            span = node.span
            policy.source = self.text[self.lines.offset(span.line, span.column):
                                      self.lines.offset(span.end_line, span.end_column)]
        return [policy]

    def _managed(self, owner: str, origin: str, node: Node) -> None:
        """Managed policies attached to a role the framework creates: a role in the common resource
        view, named by where it is configured, so admin-managed-policy reads it as any role."""
        owner_node = self.service.at(tuple(origin.split("/")[:-1])) or node
        properties = node.with_value({"ManagedPolicyArns": node}, key=None)
        self.resources.append(Resource(owner, "AWS::IAM::Role", owner_node, None, properties, origin))


class ServerlessReader(Reader):
    """Serverless Framework service files of the AWS provider, in YAML or JSON."""

    name = "serverless"
    title = "Serverless Framework service files"
    extensions = (".yml", ".yaml", ".json")
    languages = ("yaml", "json")

    def claims(self, source: Source) -> bool:
        if source.is_yaml:
            text = source.text
            return _SERVICE.search(text) is not None and _PROVIDER.search(text) is not None \
                and _AWS.search(text) is not None
        decoded = source.decoded
        return decoded is not NOT_JSON and is_aws_service(decoded)

    def read(self, source: Source, memory: dict | None = None) -> Document:
        text, lines = source.text, source.lines
        try:
            if not source.is_yaml:
                from iamlint.parsers.json_parser import parse_json

                parsed = parse_json(text, lines=lines)
            elif memory is not None:  # a server: re-parse only what an edit changed
                incremental = memory.get(self.name)
                if incremental is None:
                    from iamlint.parsers.yaml_incremental import IncrementalYAML

                    incremental = memory[self.name] = IncrementalYAML()
                parsed = incremental.parse(text)
            else:
                from iamlint.parsers.yaml_parser import parse_yaml

                parsed = parse_yaml(text)
        except ParseError as error:
            document = Document(source.path, text, lines)
            document.errors.append(error)
            return document
        if not _is_aws_service_node(parsed.root):  # another provider's service: nothing of IAM's
            return Document(source.path, text, lines)
        service = Service(source.path, parsed.root, text, parsed.lines)
        service.trees.append(parsed)  # duplicate keys, credentials in `environment:` blocks
        return service

    def tables(self):
        yield "serverless-table", serverless_table()


def serverless_table() -> str:
    """Markdown table of where the framework takes policies (generated into docs/serverless.md)."""
    kinds = {"identity": "identity (statements)", "resource": "resource (statements)",
             "managed": "managed policy ARNs (IAM403)"}
    lines = ["| setting | framework versions | what it is | policy kind |", "|---|---|---|---|"]
    for place in PLACES:
        path = ".".join("<function>" if step == "*" else step for step in place.path)
        lines.append(f"| `{path}` | {place.versions} | {place.what} | {kinds[place.kind]} |")
    lines.append("| `resources.Resources` | all | CloudFormation resources, read as a template | "
                 "as in templates |")
    return "\n".join(lines) + "\n"
