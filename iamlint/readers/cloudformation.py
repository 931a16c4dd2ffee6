"""CloudFormation and SAM templates, JSON or YAML: recognise them, and find every policy in them
with its kind, every resource, and the suppressions written in them.

Where policies live is data (``POLICY_PROPERTIES``), so the docs' table and the reader cannot
drift apart. Each policy keeps the nodes of the template, so diagnostics point into the template.
"""

from __future__ import annotations

import re
from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

from iamlint.intrinsics import if_arguments, intrinsic_name, is_no_value, resolve, with_opaque_values
from iamlint.nodes import Node
from iamlint.parsers.json_parser import ParseError
from iamlint.policy import PolicyDocument
from iamlint.readers.base import NOT_JSON, Document, Input, Reader, Resource, Source
from iamlint.readers.cfn_conditions import Conditions
from iamlint.statements import lambda_permission, layer_version_permission
from iamlint.suppressions import Suppression, comment_suppressions
from iamlint.worlds import Choices

# Cheap look at a YAML file before parsing it: templates name a format version or AWS:: types.
LOOKS_LIKE_TEMPLATE = re.compile(r"AWSTemplateFormatVersion|^\s*Type:\s*[\"']?(AWS|Custom)::", re.M)
# ... and at a JSON file that does not parse: is it a template someone broke?
LOOKS_LIKE_JSON_TEMPLATE = re.compile(r'"AWSTemplateFormatVersion"\s*:|"Type"\s*:\s*"(AWS|Custom)::')


class Where:
    """One place a resource type keeps a policy: a property path (``*`` = each list item)."""

    def __init__(self, path: str, kind: str, inline: bool = False, attached: str = "",
                 statement_only: bool = False, holder: str | None = None, build=None, properties: str = "") -> None:
        self.path = tuple(path.split("/")) if path else ()
        self.kind = kind  # "identity", "trust", "resource", or "organizations" (SCP/RCP by Type)
        self.inline = inline
        self.attached = attached  # "role", "user", "group"; "" = read from Roles/Users/Groups
        self.statement_only = statement_only  # the property is one statement, not a document
        # the CloudFormation type of the resource the policy protects (PolicyDocument.holder)
        self.holder = holder
        # the resource is one statement spelled as properties: build(properties, anchor) makes the
        # policy it adds (iamlint.statements), from the ``properties`` named (for the docs)
        self.build = build
        self.properties = properties


def _statement_resource(build, properties: str, holder: str) -> list[Where]:
    return [Where("", "resource", holder=holder, build=build, properties=properties)]


def _resource_policy(path: str, holder: str) -> list[Where]:
    return [Where(path, "resource", holder=holder)]


POLICY_PROPERTIES: dict[str, list[Where]] = {
    "AWS::IAM::Role": [Where("AssumeRolePolicyDocument", "trust", attached="role", holder="AWS::IAM::Role"),
                       Where("Policies/*/PolicyDocument", "identity", inline=True, attached="role")],
    "AWS::IAM::User": [Where("Policies/*/PolicyDocument", "identity", inline=True, attached="user")],
    "AWS::IAM::Group": [Where("Policies/*/PolicyDocument", "identity", inline=True, attached="group")],
    "AWS::IAM::Policy": [Where("PolicyDocument", "identity", inline=True)],
    "AWS::IAM::ManagedPolicy": [Where("PolicyDocument", "identity")],
    "AWS::IAM::RolePolicy": [Where("PolicyDocument", "identity", inline=True, attached="role")],
    "AWS::IAM::UserPolicy": [Where("PolicyDocument", "identity", inline=True, attached="user")],
    "AWS::IAM::GroupPolicy": [Where("PolicyDocument", "identity", inline=True, attached="group")],
    "AWS::SSO::PermissionSet": [Where("InlinePolicy", "identity", inline=True, attached="role")],
    "AWS::Organizations::Policy": [Where("Content", "organizations")],
    "AWS::S3::BucketPolicy": _resource_policy("PolicyDocument", "AWS::S3::Bucket"),
    "AWS::S3::AccessPoint": _resource_policy("Policy", "AWS::S3::AccessPoint"),
    "AWS::S3::MultiRegionAccessPointPolicy": _resource_policy("Policy", "AWS::S3::MultiRegionAccessPoint"),
    "AWS::S3Express::BucketPolicy": _resource_policy("PolicyDocument", "AWS::S3Express::DirectoryBucket"),
    "AWS::S3Outposts::BucketPolicy": _resource_policy("PolicyDocument", "AWS::S3Outposts::Bucket"),
    "AWS::SQS::QueuePolicy": _resource_policy("PolicyDocument", "AWS::SQS::Queue"),
    "AWS::SQS::QueueInlinePolicy": _resource_policy("PolicyDocument", "AWS::SQS::Queue"),
    "AWS::SNS::TopicPolicy": _resource_policy("PolicyDocument", "AWS::SNS::Topic"),
    "AWS::SNS::TopicInlinePolicy": _resource_policy("PolicyDocument", "AWS::SNS::Topic"),
    "AWS::KMS::Key": _resource_policy("KeyPolicy", "AWS::KMS::Key"),
    "AWS::KMS::ReplicaKey": _resource_policy("KeyPolicy", "AWS::KMS::Key"),
    "AWS::SecretsManager::ResourcePolicy": _resource_policy("ResourcePolicy", "AWS::SecretsManager::Secret"),
    "AWS::ECR::Repository": _resource_policy("RepositoryPolicyText", "AWS::ECR::Repository"),
    "AWS::ECR::PublicRepository": _resource_policy("RepositoryPolicyText", "AWS::ECR::PublicRepository"),
    "AWS::ECR::RegistryPolicy": _resource_policy("PolicyText", "AWS::ECR::Registry"),
    "AWS::Logs::ResourcePolicy": _resource_policy("PolicyDocument", "AWS::Logs::ResourcePolicy"),
    "AWS::Logs::Destination": _resource_policy("DestinationPolicy", "AWS::Logs::Destination"),
    "AWS::EC2::VPCEndpoint": _resource_policy("PolicyDocument", "AWS::EC2::VPCEndpoint"),
    "AWS::OpenSearchService::Domain": _resource_policy("AccessPolicies", "AWS::OpenSearchService::Domain"),
    "AWS::Elasticsearch::Domain": _resource_policy("AccessPolicies", "AWS::Elasticsearch::Domain"),
    "AWS::ApiGateway::RestApi": _resource_policy("Policy", "AWS::ApiGateway::RestApi"),
    "AWS::Backup::BackupVault": _resource_policy("AccessPolicy", "AWS::Backup::BackupVault"),
    "AWS::EFS::FileSystem": _resource_policy("FileSystemPolicy", "AWS::EFS::FileSystem"),
    "AWS::DynamoDB::Table": _resource_policy("ResourcePolicy/PolicyDocument", "AWS::DynamoDB::Table"),
    "AWS::DynamoDB::GlobalTable": _resource_policy("Replicas/*/ResourcePolicy/PolicyDocument", "AWS::DynamoDB::Table"),
    "AWS::Events::EventBus": _resource_policy("Policy", "AWS::Events::EventBus"),
    "AWS::Events::EventBusPolicy": [Where("Statement", "resource", statement_only=True,
                                          holder="AWS::Events::EventBus")],
    "AWS::CodeArtifact::Domain": _resource_policy("PermissionsPolicyDocument", "AWS::CodeArtifact::Domain"),
    "AWS::CodeArtifact::Repository": _resource_policy("PermissionsPolicyDocument", "AWS::CodeArtifact::Repository"),
    "AWS::Kinesis::ResourcePolicy": _resource_policy("ResourcePolicy", "AWS::Kinesis::Stream"),
    "AWS::MediaStore::Container": _resource_policy("Policy", "AWS::MediaStore::Container"),
    "AWS::Glue::ResourcePolicy": _resource_policy("PolicyInJson", "AWS::Glue::Catalog"),
    "AWS::Glacier::Vault": _resource_policy("AccessPolicy", "AWS::Glacier::Vault"),
    "AWS::Lambda::Permission": _statement_resource(
        lambda_permission, "Principal, Action, FunctionName, SourceArn, SourceAccount, PrincipalOrgID, "
        "FunctionUrlAuthType, EventSourceToken", "AWS::Lambda::Function"),
    "AWS::Lambda::LayerVersionPermission": _statement_resource(
        layer_version_permission, "Principal, Action, LayerVersionArn, OrganizationId", "AWS::Lambda::LayerVersion"),
    "AWS::Serverless::Function": [Where("Policies", "sam", inline=True, attached="role")],
    "AWS::Serverless::StateMachine": [Where("Policies", "sam", inline=True, attached="role")],
    "AWS::Serverless::Api": [Where("Auth/ResourcePolicy/CustomStatements", "resource", statement_only=True,
                                   holder="AWS::ApiGateway::RestApi")],
}
ORGANIZATIONS_KINDS = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}
# Settings rules read by name (Document.settings): setting -> {resource type: property path}
SETTINGS = {
    "function-url-auth-type": {"AWS::Lambda::Url": "AuthType",
                               "AWS::Serverless::Function": "FunctionUrlConfig/AuthType"},
}
ATTACHMENT_PROPERTIES = {"Roles": "role", "Users": "user", "Groups": "group"}


def is_template(data: Any) -> bool:
    """A CloudFormation/SAM template: ``AWSTemplateFormatVersion``, or resources typed ``AWS::...``."""
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(("AWS::", "Custom::"))
        for r in resources.values())


def is_template_node(root: Node) -> bool:
    if not root.is_mapping:
        return False
    if root.get("AWSTemplateFormatVersion") is not None:
        return True
    resources = root.get("Resources")
    return resources is not None and resources.is_mapping and any(
        r.is_mapping and r.get("Type") is not None and type(r.get("Type").value) is str
        and r.get("Type").value.startswith(("AWS::", "Custom::")) for _, r in resources.items())


def _resource(logical_id: str, node: Node) -> Resource:
    """The common resource view of one entry of ``Resources``."""
    return Resource(logical_id, _type_of(node), node, node.get("Type"), node.get("Properties"),
                    f"Resources/{logical_id}")


def _type_of(node: Node) -> str:
    type_node = node.get("Type")
    return type_node.value if type_node is not None and type(type_node.value) is str else ""


class ResourcePolicies(namedtuple("ResourcePolicies", "policies errors line movable")):
    """The policies found in one resource, errors of its string policies, the line the resource
    was on, and whether they may move with it (nothing in them has a position of its own)."""

    __slots__ = ()


class Template(Document):
    """A parsed template: resources, parameters, the policies found in it, its suppressions."""

    format = "templates"
    noun = "the template"
    settings_table = SETTINGS

    def __init__(self, path: str, root: Node, text: str, lines, earlier: dict | None = None) -> None:
        """``earlier``: ``by_resource`` of the template's previous version, read incrementally (a
        resource whose node is the very same object has the same policies, at the same places)."""
        super().__init__(path, text, lines)
        self.root = root
        self.unplaced_origin = "Resources/"
        resources = root.get("Resources")
        self.resources = [_resource(name, node) for name, node in resources.items() if node.is_mapping] \
            if resources is not None else []
        parameters = root.get("Parameters")
        self.parameters = dict(parameters.items()) if parameters is not None and parameters.is_mapping else {}
        self.is_sam = _is_sam(root)
        self._conditions: Conditions | None = None
        self.by_resource: dict[Node, ResourcePolicies] = {}
        for resource in self.resources:
            line = resource.node.span.line
            found = earlier.get(resource.node) if earlier is not None else None
            if found is None or (found.line != line and not found.movable):
                errors_before = len(self.errors)
                policies = _told_apart(list(self._policies(resource)))
                errors = self.errors[errors_before:]
                # a policy read from a string, or an error in one, has positions of its own that do not move
                found = ResourcePolicies(policies, errors, line,
                                         not errors and all(p.root.moves for p in policies))
            else:
                self.errors += found.errors
            self.by_resource[resource.node] = found
            self.policies += found.policies
        self.suppressions = comment_suppressions(text, self.suppression_problems) + self._metadata_suppressions()

    def input_of(self, node: Node) -> Input | None:
        """The parameter a ``Ref`` names (NoEcho hides it)."""
        if intrinsic_name(node) != "Ref" or type(node.value["Ref"].value) is not str:
            return None
        name = node.value["Ref"].value
        parameter = self.parameters.get(name)
        if parameter is None or not parameter.is_mapping:
            return None
        no_echo = parameter.get("NoEcho")
        return Input(name, parameter, no_echo is not None and str(no_echo.value).lower() == "true",
                     parameter.get("Default"), "parameter", "`NoEcho: true`")

    def setting_value(self, node: Node) -> Node | None:
        """Functions resolved: `!If` an ``Alternatives``, `!Ref` an opaque value, `AWS::NoValue` unset."""
        resolved = resolve(node)
        return with_opaque_values(resolved) if resolved is not None else None

    def _metadata_suppressions(self) -> list[Suppression]:
        """A resource's ``Metadata: {iamlint: {ignore: [...]}}``: each rule, over the whole resource."""
        found = []
        for resource in self.resources:
            metadata = resource.node.get("Metadata")
            settings = metadata.get("iamlint") if metadata is not None else None
            ignore = settings.get("ignore") if settings is not None else None
            if ignore is None:
                continue
            selectors = [n for n in ignore.elements() if type(n.value) is str]
            if not selectors:
                problem = "`Metadata.iamlint.ignore` must list rule codes or names"
                self.suppression_problems.append((ignore.span, problem))
                continue
            span = resource.node.span
            found += [Suppression([node.value], node.span, lines=(span.line, span.end_line)) for node in selectors]
        return found

    def _policies(self, resource: Resource) -> Iterator[PolicyDocument]:
        for where in POLICY_PROPERTIES.get(resource.type, ()):
            properties = resource.node.get("Properties")
            if properties is None:
                continue
            if resource.type.startswith("AWS::Serverless::") and where.kind == "sam" \
                    and resource.property("Role") is not None:
                continue  # SAM ignores Policies when the function names its own Role
            for origin, node, guard in _walk(properties, where.path):
                yield from self._policy_at(resource, where, origin, node, guard)

    def _policy_at(self, resource: Resource, where: Where, origin: str, node: Node, guard: dict
                   ) -> Iterator[PolicyDocument]:
        kind = where.kind
        if kind == "organizations":
            type_node = resource.property("Type")
            kind = ORGANIZATIONS_KINDS.get(type_node.value if type_node is not None else "")
            if kind is None:
                return  # tag, backup and AI opt-out policies are not IAM policies
        if kind == "sam":
            items = _items(node, f"{origin}/", guard, flat=False) if node.is_sequence else [(origin, node, guard)]
            for item_origin, item, item_guard in items:
                if item.is_mapping and item.get("Statement") is not None:
                    yield from self._document(resource, where, item_origin, item, "identity", item_guard)
            return
        if where.build is not None:  # a Lambda permission: the statement it adds to the function's policy
            conditions: list[str] = []
            properties = resolve(node, conditions)
            root = where.build(with_opaque_values(properties), resource.type_node or resource.node) \
                if properties is not None else None
            if root is not None:
                yield from self._document(resource, where, origin, root, kind, guard, conditions)
            return
        if where.statement_only:
            conditions = []
            statements = resolve(node, conditions)
            if statements is None:
                return
            # the template spells statements only; the document around them is the service's
            version = node.with_value("2012-10-17", key=None)
            wrapper = node.with_value({"Version": version, "Statement": statements})
            yield from self._document(resource, where, origin, wrapper, kind, guard, conditions)
            return
        yield from self._document(resource, where, origin, node, kind, guard)

    def _document(self, resource: Resource, where: Where, origin: str, node: Node, kind: str, guard: dict,
                  conditions: list[str] | None = None) -> Iterator[PolicyDocument]:
        from iamlint.parsers.embedded import policy_in_string

        text = ""
        conditions = list(conditions or ())
        if type(node.value) is str or intrinsic_name(node) == "Fn::Sub":
            found = policy_in_string(node, self.text, self.lines)
            if found is None:
                return
            if isinstance(found, Exception):
                self.errors.append(found)
                return
            # CloudFormation does not evaluate functions written inside a string: `{"Ref": ...}`
            # there is an object where IAM wants a string, as in a policy file
            resolved, text = found
        else:
            resolved = resolve(node, conditions)
            if resolved is None or intrinsic_name(resolved) is not None:
                return  # removed, or an opaque value (`!Ref PolicyParameter`): nothing to judge
            resolved = with_opaque_values(resolved)
        # anything but an object is still checked, so the schema says what is wrong with it
        attachments = frozenset([where.attached] if where.attached else
                                [kind for prop, kind in ATTACHMENT_PROPERTIES.items()
                                 if _non_empty(resource.property(prop))])
        place = f"Resources/{resource.name}/Properties" + (f"/{origin}" if origin else "")
        policy = PolicyDocument(resolved, kind, self.path, place,
                                text, attachments=attachments, inline=where.inline,
                                resource=resource.name, in_template=True, holder=where.holder)
        if conditions or guard:
            policy.choices = Choices(tuple(conditions), guard, self.conditions.possible)
        if "&" not in self.text:  # no anchors: the policy's text is all there is to it
            span = node.span
            policy.source = self.text[self.lines.offset(span.line, span.column):
                                      self.lines.offset(span.end_line, span.end_column)]
        yield policy

    @property
    def conditions(self) -> Conditions:
        """The template's ``Conditions``, evaluated when a policy first needs them."""
        if self._conditions is None:
            self._conditions = Conditions(self.root)
        return self._conditions


def _told_apart(policies: list[PolicyDocument]) -> list[PolicyDocument]:
    """Policies at the same place, in different worlds (``Properties: !If [C, {...}, {...}]``),
    say which world in their place, so their findings' fingerprints differ."""
    origins = [p.origin for p in policies]
    for policy in policies:
        if origins.count(policy.origin) > 1 and policy.choices is not None:
            policy.origin += "".join(f"[{'' if truth else '!'}{name}]" for name, truth in policy.choices.guard.items())
    return policies


def _non_empty(node: Node | None) -> bool:
    return node is not None and not (node.is_sequence and not node.value)


def _walk(node: Node, path: tuple[str, ...], prefix: str = "", guard: dict | None = None
          ) -> Iterator[tuple[str, Node, dict]]:
    """(origin, node, guard) for each node at ``path`` below ``node``; ``*`` steps into every list
    item. An ``Fn::If`` on the way leads to both branches, each with the truth value of its
    condition added to the guard (the worlds in which the node exists)."""
    guard = guard or {}
    if intrinsic_name(node) == "Fn::If":
        for branch, branch_guard in _branches(node, guard):
            yield from _walk(branch, path, prefix, branch_guard)
        return
    if not path:
        yield prefix.rstrip("/"), node, guard
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if node.is_sequence:
            for origin, item, item_guard in _items(node, prefix, guard):
                yield from _walk(item, rest, origin + "/", item_guard)
        return
    child = node.get(step)
    if child is not None and not is_no_value(child):
        yield from _walk(child, rest, f"{prefix}{step}/", guard)


def _branches(node: Node, guard: dict) -> Iterator[tuple[Node, dict]]:
    """The branches of an ``Fn::If`` that can apply under ``guard``, each with its extended guard."""
    arguments = if_arguments(node)
    if arguments is None:
        return
    condition, if_true, if_false = arguments
    for truth, branch in ((True, if_true), (False, if_false)):
        if guard.get(condition, truth) == truth and not is_no_value(branch):
            yield branch, {**guard, condition: truth}


def _items(node: Node, prefix: str, guard: dict, flat: bool = True) -> Iterator[tuple[str, Node, dict]]:
    """(origin, item, guard) for each item of a list, the branches of an ``Fn::If`` item each an
    item of its own: numbered as such (``flat``), or by the place of the ``Fn::If`` in the list."""
    index = 0
    for position, item in enumerate(node.value):
        choices = list(_branches(item, guard)) if intrinsic_name(item) == "Fn::If" else [(item, guard)]
        for chosen, chosen_guard in choices:
            if not is_no_value(chosen):
                yield f"{prefix}{index if flat else position}", chosen, chosen_guard
                index += 1


def _is_sam(root: Node) -> bool:
    transform = root.get("Transform")
    if transform is None:
        return False
    return any(type(n.value) is str and n.value.startswith("AWS::Serverless") for n in transform.elements())


class CloudFormationReader(Reader):
    """CloudFormation and SAM templates, in JSON or YAML."""

    name = "templates"
    title = "CloudFormation and SAM templates"
    extensions = (".json", ".yaml", ".yml", ".template")
    languages = ("json", "yaml")

    def claims(self, source: Source) -> bool:
        if source.is_yaml:  # YAML files are read when they look like templates; the rest are someone else's
            return LOOKS_LIKE_TEMPLATE.search(source.text) is not None
        decoded = source.decoded
        if decoded is NOT_JSON:  # a broken template is still a template: its syntax error is reported
            return LOOKS_LIKE_JSON_TEMPLATE.search(source.text) is not None
        return is_template(decoded)

    def read(self, source: Source, memory: dict | None = None) -> Document:
        text, lines = source.text, source.lines
        earlier = None
        try:
            if not source.is_yaml:
                from iamlint.parsers.json_parser import parse_json

                parsed = parse_json(text, lines=lines)
            elif memory is not None:  # a server: re-parse only what an edit changed
                remembered = memory.get(self.name)
                if remembered is None:
                    from iamlint.parsers.yaml_incremental import IncrementalYAML

                    remembered = memory[self.name] = [IncrementalYAML(), None]
                parsed = remembered[0].parse(text)
                earlier = remembered[1]
            else:
                from iamlint.parsers.yaml_parser import parse_yaml

                parsed = parse_yaml(text)
        except ParseError as error:  # nothing but the error: no template rule runs on it
            document = Document(source.path, text, lines)
            document.errors.append(error)
            return document
        if source.is_yaml and not is_template_node(parsed.root):
            return Document(source.path, text, lines)
        template = Template(source.path, parsed.root, text, parsed.lines, earlier)
        template.trees.append(parsed)
        if not source.is_yaml and ('"aws:cdk:path"' in text or source.path.endswith(".template.json")):
            from iamlint.readers.cdk import annotate  # synthesized by the AWS CDK: map it back to the app

            annotate(template, source.path)
        if memory is not None and source.is_yaml:
            memory[self.name][1] = template.by_resource
        return template

    def tables(self):
        yield "templates-table", templates_table()


def templates_table() -> str:
    """Markdown table of where templates keep policies (generated into docs/formats.md)."""
    kinds = {"organizations": " / ".join(f"{k} when `Type` is `{t}`" for t, k in ORGANIZATIONS_KINDS.items()),
             "sam": "identity (inline statements; managed policy names and ARNs are checked by IAM403)"}
    lines = ["| resource type | property | policy kind | inline | attached to |", "|---|---|---|---|---|"]
    for resource_type, places in POLICY_PROPERTIES.items():
        for where in places:
            path = ".".join("[]" if step == "*" else step for step in where.path).replace(".[]", "[]")
            kind = kinds.get(where.kind, where.kind) + (" (statements only)" if where.statement_only else "")
            if where.build is not None:
                path = "`, `".join(where.properties.split(", "))
                kind += " (the one statement the resource adds)"
            attached = where.attached or ("`Roles`/`Users`/`Groups`" if where.kind == "identity" else "")
            lines.append(f"| `{resource_type}` | `{path}` | {kind} | {'yes' if where.inline else ''} | {attached} |")
    return "\n".join(lines) + "\n"
