"""CloudFormation and SAM templates: recognise them, and find every policy in them with its kind.

Where policies live is data (``POLICY_PROPERTIES``), so the README table and the reader cannot
drift apart. Each policy keeps the nodes of the template, so diagnostics point into the template.
"""

from __future__ import annotations

import re
from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

from iamlint.intrinsics import intrinsic_name, resolve
from iamlint.nodes import Node
from iamlint.policy import PolicyDocument

# Cheap look at a YAML file before parsing it: templates name a format version or AWS:: types.
LOOKS_LIKE_TEMPLATE = re.compile(r"AWSTemplateFormatVersion|^\s*Type:\s*[\"']?(AWS|Custom)::", re.M)


class Where:
    """One place a resource type keeps a policy: a property path (``*`` = each list item)."""

    def __init__(self, path: str, kind: str, inline: bool = False, attached: str = "",
                 statement_only: bool = False) -> None:
        self.path = tuple(path.split("/"))
        self.kind = kind  # "identity", "trust", "resource", or "organizations" (SCP/RCP by Type)
        self.inline = inline
        self.attached = attached  # "role", "user", "group"; "" = read from Roles/Users/Groups
        self.statement_only = statement_only  # the property is one statement, not a document


def _resource_policy(path: str) -> list[Where]:
    return [Where(path, "resource")]


POLICY_PROPERTIES: dict[str, list[Where]] = {
    "AWS::IAM::Role": [Where("AssumeRolePolicyDocument", "trust", attached="role"),
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
    "AWS::S3::BucketPolicy": _resource_policy("PolicyDocument"),
    "AWS::S3::AccessPoint": _resource_policy("Policy"),
    "AWS::S3::MultiRegionAccessPointPolicy": _resource_policy("Policy"),
    "AWS::S3Express::BucketPolicy": _resource_policy("PolicyDocument"),
    "AWS::S3Outposts::BucketPolicy": _resource_policy("PolicyDocument"),
    "AWS::SQS::QueuePolicy": _resource_policy("PolicyDocument"),
    "AWS::SQS::QueueInlinePolicy": _resource_policy("PolicyDocument"),
    "AWS::SNS::TopicPolicy": _resource_policy("PolicyDocument"),
    "AWS::SNS::TopicInlinePolicy": _resource_policy("PolicyDocument"),
    "AWS::KMS::Key": _resource_policy("KeyPolicy"),
    "AWS::KMS::ReplicaKey": _resource_policy("KeyPolicy"),
    "AWS::SecretsManager::ResourcePolicy": _resource_policy("ResourcePolicy"),
    "AWS::ECR::Repository": _resource_policy("RepositoryPolicyText"),
    "AWS::ECR::PublicRepository": _resource_policy("RepositoryPolicyText"),
    "AWS::ECR::RegistryPolicy": _resource_policy("PolicyText"),
    "AWS::Logs::ResourcePolicy": _resource_policy("PolicyDocument"),
    "AWS::Logs::Destination": _resource_policy("DestinationPolicy"),
    "AWS::EC2::VPCEndpoint": _resource_policy("PolicyDocument"),
    "AWS::OpenSearchService::Domain": _resource_policy("AccessPolicies"),
    "AWS::Elasticsearch::Domain": _resource_policy("AccessPolicies"),
    "AWS::ApiGateway::RestApi": _resource_policy("Policy"),
    "AWS::Backup::BackupVault": _resource_policy("AccessPolicy"),
    "AWS::EFS::FileSystem": _resource_policy("FileSystemPolicy"),
    "AWS::DynamoDB::Table": _resource_policy("ResourcePolicy/PolicyDocument"),
    "AWS::DynamoDB::GlobalTable": _resource_policy("Replicas/*/ResourcePolicy/PolicyDocument"),
    "AWS::Events::EventBus": _resource_policy("Policy"),
    "AWS::Events::EventBusPolicy": [Where("Statement", "resource", statement_only=True)],
    "AWS::CodeArtifact::Domain": _resource_policy("PermissionsPolicyDocument"),
    "AWS::CodeArtifact::Repository": _resource_policy("PermissionsPolicyDocument"),
    "AWS::Kinesis::ResourcePolicy": _resource_policy("ResourcePolicy"),
    "AWS::MediaStore::Container": _resource_policy("Policy"),
    "AWS::Glue::ResourcePolicy": _resource_policy("PolicyInJson"),
    "AWS::Serverless::Function": [Where("Policies", "sam", inline=True, attached="role")],
    "AWS::Serverless::StateMachine": [Where("Policies", "sam", inline=True, attached="role")],
    "AWS::Serverless::Api": [Where("Auth/ResourcePolicy/CustomStatements", "resource", statement_only=True)],
}
ORGANIZATIONS_KINDS = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}
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


class Resource:
    """One entry of ``Resources``: its logical id, type and properties."""

    def __init__(self, logical_id: str, node: Node) -> None:
        self.logical_id = logical_id
        self.node = node
        type_node = node.get("Type")
        self.type_node = type_node
        self.type = type_node.value if type_node is not None and type(type_node.value) is str else ""
        properties = node.get("Properties")
        self.properties = properties if properties is not None and properties.is_mapping else None

    def property(self, name: str) -> Node | None:
        return self.properties.get(name) if self.properties is not None else None


class ResourcePolicies(namedtuple("ResourcePolicies", "policies errors line movable")):
    """The policies found in one resource, errors of its string policies, the line the resource
    was on, and whether they may move with it (nothing in them has a position of its own)."""

    __slots__ = ()


class Template:
    """A parsed template: resources, parameters, and the policies found in it."""

    def __init__(self, path: str, root: Node, text: str, lines, earlier: dict | None = None) -> None:
        """``earlier``: ``by_resource`` of the template's previous version, read incrementally (a
        resource whose node is the very same object has the same policies, at the same places)."""
        self.path = path
        self.root = root
        self.text = text
        self.lines = lines
        resources = root.get("Resources")
        self.resources = [Resource(name, node) for name, node in resources.items() if node.is_mapping] \
            if resources is not None else []
        parameters = root.get("Parameters")
        self.parameters = dict(parameters.items()) if parameters is not None and parameters.is_mapping else {}
        self.is_sam = _is_sam(root)
        self.errors: list = []  # ParseErrors of policies held in strings
        self.cache: dict = {}  # what plugins compute once per template
        self.by_resource: dict[Node, ResourcePolicies] = {}
        self.policies: list[PolicyDocument] = []
        for resource in self.resources:
            line = resource.node.span.line
            found = earlier.get(resource.node) if earlier is not None else None
            if found is None or (found.line != line and not found.movable):
                errors_before = len(self.errors)
                policies = list(self._policies(resource))
                errors = self.errors[errors_before:]
                # a policy read from a string, or an error in one, has positions of its own that do not move
                found = ResourcePolicies(policies, errors, line,
                                         not errors and all(p.root.moves for p in policies))
            else:
                self.errors += found.errors
            self.by_resource[resource.node] = found
            self.policies += found.policies

    def _policies(self, resource: Resource) -> Iterator[PolicyDocument]:
        for where in POLICY_PROPERTIES.get(resource.type, ()):
            if resource.properties is None:
                continue
            if resource.type.startswith("AWS::Serverless::") and where.kind == "sam" \
                    and resource.property("Role") is not None:
                continue  # SAM ignores Policies when the function names its own Role
            for origin, node in _walk(resource.properties, where.path):
                yield from self._policy_at(resource, where, origin, node)

    def _policy_at(self, resource: Resource, where: Where, origin: str, node: Node) -> Iterator[PolicyDocument]:
        kind = where.kind
        if kind == "organizations":
            type_node = resource.property("Type")
            kind = ORGANIZATIONS_KINDS.get(type_node.value if type_node is not None else "")
            if kind is None:
                return  # tag, backup and AI opt-out policies are not IAM policies
        if kind == "sam":
            for index, item in enumerate(node.elements()):
                item = resolve(item)
                if item is not None and item.is_mapping and item.get("Statement") is not None:
                    yield from self._document(resource, where, f"{origin}/{index}" if node.is_sequence else origin,
                                              item, "identity")
            return
        if where.statement_only:
            statements = resolve(node)
            if statements is None:
                return
            # the template spells statements only; the document around them is the service's
            version = node.with_value("2012-10-17", key=None)
            wrapper = node.with_value({"Version": version, "Statement": statements})
            yield from self._document(resource, where, origin, wrapper, kind)
            return
        yield from self._document(resource, where, origin, node, kind)

    def _document(self, resource: Resource, where: Where, origin: str, node: Node, kind: str
                  ) -> Iterator[PolicyDocument]:
        from iamlint.parsers.embedded import policy_in_string

        text = ""
        if type(node.value) is str or intrinsic_name(node) == "Fn::Sub":
            found = policy_in_string(node, self.text, self.lines)
            if found is None:
                return
            if isinstance(found, Exception):
                self.errors.append(found)
                return
            node, text = found
        resolved = resolve(node)
        if resolved is None or intrinsic_name(resolved) is not None:
            return  # removed, or an opaque value (`!Ref PolicyParameter`): nothing to judge
        # anything but an object is still checked, so the schema says what is wrong with it
        attachments = frozenset([where.attached] if where.attached else
                                [kind for prop, kind in ATTACHMENT_PROPERTIES.items()
                                 if _non_empty(resource.property(prop))])
        policy = PolicyDocument(resolved, kind, self.path, f"Resources/{resource.logical_id}/Properties/{origin}",
                                text, attachments=attachments, inline=where.inline,
                                resource=resource.logical_id, in_template=True)
        if "&" not in self.text:  # no anchors: the policy's text is all there is to it
            span = node.span
            policy.source = self.text[self.lines.offset(span.line, span.column):
                                      self.lines.offset(span.end_line, span.end_column)]
        yield policy


def _non_empty(node: Node | None) -> bool:
    return node is not None and not (node.is_sequence and not node.value)


def _walk(node: Node, path: tuple[str, ...], prefix: str = "") -> Iterator[tuple[str, Node]]:
    """(origin, node) for each node at ``path`` below ``node``; ``*`` steps into every list item."""
    if not path:
        yield prefix.rstrip("/"), node
        return
    step, rest = path[0], path[1:]
    if step == "*":
        items = resolve(node)
        if items is not None and items.is_sequence:
            for index, item in enumerate(items.value):
                yield from _walk(item, rest, f"{prefix}{index}/")
        return
    child = node.get(step)
    if child is not None and not (intrinsic_name(child) == "Ref" and child.value["Ref"].value == "AWS::NoValue"):
        yield from _walk(child, rest, f"{prefix}{step}/")


def _is_sam(root: Node) -> bool:
    transform = root.get("Transform")
    if transform is None:
        return False
    return any(type(n.value) is str and n.value.startswith("AWS::Serverless") for n in transform.elements())
