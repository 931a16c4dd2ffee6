"""Terraform plan JSON (``terraform show -json plan > plan.json``): the policies of a plan, with
the values Terraform worked out (variables, modules, ``for_each``), found by content.

Policies come from ``planned_values`` (each resource instance, in every module), where the
provider has rendered them as JSON strings, and from ``prior_state`` for data sources read at
plan time. A value that depends on something created in the same plan is unknown
(``after_unknown``): it is opaque, as in source mode; a ``data "aws_iam_policy_document"``
whose ``json`` is unknown is read from its planned ``statement`` values instead.

Each finding names the resource address it comes from. When the ``.tf`` files are beside the
plan (and the module's, for local modules), each policy is placed in the source: its statements
matched by ``Sid``, then by their actions, its values by equal literals, and anything the source
does not spell (an evaluated variable) at the source expression that makes it. Otherwise the
findings sit on the plan's own JSON strings, at the exact character.
"""

from __future__ import annotations

import json
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

from iamlint.nodes import Node
from iamlint.readers.base import NOT_JSON, TOO_DEEP, Document, Reader, Resource, Source

FORMAT = "terraform-plan"
_INSTANCE = re.compile(r"\[[^\]]*\]")  # `[0]`, `["key"]`: an instance of a resource or module


def is_plan(data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and "terraform_version" in data and any(
        key in data for key in ("planned_values", "resource_changes", "prior_state"))


class TerraformPlanReader(Reader):
    """The JSON form of a Terraform plan."""

    name = FORMAT
    title = "Terraform plan JSON"
    extensions = ()  # .json files are walked for the policy JSON reader already; plans are found by content
    languages = ()

    def claims(self, source: Source) -> bool:
        if source.is_yaml or '"format_version"' not in source.text[:4096] and '"terraform_version"' not in source.text:
            return False
        data = source.decoded
        return data is not NOT_JSON and data is not TOO_DEEP and is_plan(data)

    def read(self, source: Source, memory: dict | None = None) -> Document:
        from iamlint.parsers.json_parser import ParseError, parse_json
        from iamlint.readers.terraform_table import SETTINGS

        document = Document(source.path, source.text, source.lines)
        document.format = FORMAT
        document.settings_table = SETTINGS
        try:
            parsed = parse_json(source.text, lines=source.lines)
        except ParseError as error:
            document.errors.append(error)
            return document
        document.trees.append(parsed)
        _Plan(document, parsed.root, source).read()
        return document


class _Plan:
    def __init__(self, document: Document, root: Node, source: Source) -> None:
        self.document = document
        self.root = root
        self.source = source
        data = source.decoded
        self.unknown = {change["address"]: _dict(_dict(change.get("change")).get("after_unknown"))
                        for change in _list(data.get("resource_changes"))
                        if isinstance(change, dict) and isinstance(change.get("address"), str)}
        self.configuration = _dict(data.get("configuration"))
        self.linted: set[str] = set()  # the JSON of every resource policy read, to read a data source's once
        self._sources: dict[str, Any] = {}
        self._kinds = _configured_kinds(_dict(self.configuration.get("root_module")), "")
        self._configured = _configured_arguments(_dict(self.configuration.get("root_module")), "")

    def read(self) -> None:
        planned = list(_resources(self.root.at(("planned_values", "root_module"))))
        addresses = {_text(r.get("address")) for r in planned}
        prior = [r for r in _resources(self.root.at(("prior_state", "values", "root_module")))
                 if _text(r.get("mode")) == "data" and _text(r.get("address")) not in addresses]
        data_sources = []
        for resource in planned + prior:
            mode, kind = _text(resource.get("mode")), _text(resource.get("type"))
            if mode == "data":
                if kind == "aws_iam_policy_document":
                    data_sources.append(resource)
                continue
            self._resource(resource, kind)
        for resource in data_sources:  # after the resources: a document a resource already holds is read there
            self._document(resource)

    # --- values ---

    def _values(self, resource: Node) -> Node | None:
        """A resource's planned values without nulls and empty collections (what the provider
        leaves unset), each unknown one (``after_unknown``) an opaque value."""
        values = resource.get("values")
        address = _text(resource.get("address"))
        unknown = self.unknown.get(address) or {}
        # an unknown argument the configuration sets is unknown; one it does not is computed: unset
        configured = self._configured.get(_without_instances(address))
        if configured is not None:
            unknown = {name: flag for name, flag in unknown.items() if name in configured}
        if values is None or not values.is_mapping:
            values = resource.with_value({}, key=None)
        return _cleaned(values, unknown, resource)

    def _resource(self, resource: Node, kind: str) -> None:
        from iamlint.readers.terraform_table import ORGANIZATIONS_DEFAULT, ORGANIZATIONS_KINDS, POLICY_ATTRIBUTES

        address = _text(resource.get("address"))
        values = self._values(resource)
        type_node = resource.get("type") or resource
        self.document.resources.append(Resource(address, kind, resource, type_node, values, address))
        for where in POLICY_ATTRIBUTES.get(kind, ()):
            policy_kind = where.kind
            if policy_kind == "organizations":
                type_value = values.get("type")
                policy_kind = ORGANIZATIONS_KINDS.get(type_value.value if type_value is not None and
                                                      type(type_value.value) is str else ORGANIZATIONS_DEFAULT)
                if policy_kind is None:
                    continue
            for origin, node in _at(values, where.path, address):
                self._policy_string(node, policy_kind, origin, address, where)
        self._statement_resource(resource, kind, values, address)

    def _policy_string(self, node: Node, kind: str, origin: str, address: str, where: Any) -> None:
        from iamlint.parsers.hcl_json import _parse_masked
        from iamlint.parsers.json_parser import ParseError

        if type(node.value) is not str or not node.value.strip():
            return  # unknown until applied, or not set
        text = self.document.text
        try:
            parsed = _parse_masked(text, node.start + 1, node.end - 1, [], True, self.document.lines)
        except ParseError as error:
            self.document.errors.append(error)
            return
        if parsed is None:
            return
        self.linted.add(_normalised(node.value))
        self.document.trees.append(_Duplicates(parsed.duplicates))
        from iamlint.readers.terraform_document import cleaned

        self._add(cleaned(parsed.root), kind, origin, address, node.value,
                  frozenset([where.attached]) if where.attached else frozenset(), where.inline, where.holder)

    def _statement_resource(self, resource: Node, kind: str, values: Node, address: str) -> None:
        from iamlint.readers.terraform_table import STATEMENT_RESOURCES

        elements = STATEMENT_RESOURCES.get(kind)
        if elements is None:
            return
        from iamlint.readers.terraform_document import statement_resource

        root = statement_resource(self._block(resource, values), elements, resource.get("type") or resource, None)
        if root is not None:
            self._add(root, "resource", address, address, "", holder=elements["holder"])

    def _document(self, resource: Node) -> None:
        """A data source's document: its rendered ``json`` when known (unless a resource holds
        it already), else its planned blocks."""
        from iamlint.parsers.hcl_json import _parse_masked
        from iamlint.parsers.json_parser import ParseError
        from iamlint.readers.terraform_document import cleaned, document_node, inferred_kind

        address = _text(resource.get("address"))
        values = self._values(resource)
        rendered = values.get("json")
        uses = self._kinds.get(_without_instances(address), [])
        if rendered is not None and type(rendered.value) is str:
            if _normalised(rendered.value) in self.linted:
                return
            try:
                parsed = _parse_masked(self.document.text, rendered.start + 1, rendered.end - 1, [], True,
                                       self.document.lines)
            except ParseError as error:
                self.document.errors.append(error)
                return
            if parsed is None:
                return
            root, text = cleaned(parsed.root), rendered.value
        else:
            root = document_node(self._block(resource, values), None)
            text = ""
            if root is None:
                return
        from iamlint.readers.terraform import choose_kind

        kind = self.source.kind or choose_kind([kind for kind, _, _ in uses]) or inferred_kind(root)
        same = [use for use in uses if use[0] == kind]
        attachments = frozenset(attached for _, attached, _ in same if attached)
        self._add(root, kind, address, address, text, attachments, any(inline for _, _, inline in same))

    def _block(self, resource: Node, values: Node):
        from iamlint.readers.terraform_json import TFJSONFile

        file = TFJSONFile(self.document.text, self.document.lines, root=values)
        name = resource.get("name") or resource
        return file.block(resource.get("type") or resource, [name.with_value(_text(name) or "", key=None)], values)

    def _add(self, root: Node, kind: str, origin: str, address: str, text: str,
             attachments: frozenset = frozenset(), inline: bool = False, holder: str | None = None) -> None:
        from iamlint.readers.terraform import _policy

        path = self.source.path
        placed = self._place(root, origin, address)
        if placed is not None:
            path = placed
        policy = _policy(root, kind, path, origin, text, attachments, inline, address, holder)
        policy.format = FORMAT
        policy.remarks = ((None, f"in the plan for `{address}`"),)
        self.document.policies.append(policy)

    # --- placing a policy in its source ---

    def _place(self, root: Node, origin: str, address: str) -> str | None:
        """Move the nodes of a plan's policy to the source that writes it, when it is beside
        the plan; the source file's path, or None when there is none."""
        module, local = _split(address)
        folder = self._folder(module)
        if folder is None:
            return None
        sources = self._sources.get(folder)
        if sources is None:
            sources = self._sources[folder] = _source_policies(folder, self.boundary)
        attribute = origin[len(address):]  # `/policy`, `/inline_policy/0/policy`, "" for a data source
        found = sources.get(_without_instances(local) + attribute) or sources.get(_without_instances(local))
        if found is None:
            return None
        path, source_root, fallback = found
        _align(root, source_root, fallback)
        return path

    @property
    def boundary(self) -> str:
        """What the sources read must be inside (real paths): the run's root, else the plan's folder."""
        from iamlint.readers.terraform_module import boundary

        return boundary(os.path.dirname(self.source.path), self.source.root)

    def _folder(self, module: str) -> str | None:
        """The folder of a module's source, for the root module and local module calls (never
        one outside the run's root: a plan may name any folder)."""
        folder = os.path.dirname(self.source.path)
        if not module:
            return folder if _has_sources(folder, self.boundary) else None
        calls = _dict(self.configuration.get("root_module"))
        for name in re.findall(r"module\.([\w-]+)", _INSTANCE.sub("", module)):
            call = _dict(_dict(calls.get("module_calls")).get(name))
            where = call.get("source")
            if not isinstance(where, str) or not where.startswith(("./", "../")):
                return None  # a registry or remote module: its files are not here
            folder = os.path.normpath(os.path.join(folder, where))
            calls = _dict(call.get("module"))
        return folder if _has_sources(folder, self.boundary) else None


class _Duplicates:
    __slots__ = ("root", "lines", "duplicates", "text", "path")

    def __init__(self, duplicates: list) -> None:
        self.root = Node({})
        self.lines = None
        self.duplicates = duplicates
        self.text = ""
        self.path = None


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(node: Node | None) -> str:
    return node.value if node is not None and type(node.value) is str else ""


def _normalised(text: str) -> str:
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except ValueError:
        return text


def _resources(module: Node | None) -> Iterator[Node]:
    """The resource entries of a module of ``planned_values`` / ``prior_state``, and of its child modules."""
    pending = [module] if module is not None else []
    while pending:
        current = pending.pop()
        resources = current.get("resources")
        for resource in (resources.value if resources is not None and resources.is_sequence else ()):
            if resource.is_mapping:
                yield resource
        children = current.get("child_modules")
        pending.extend(reversed([c for c in (children.value if children is not None and children.is_sequence
                                             else ()) if c.is_mapping]))


def _cleaned(values: Node, unknown: Any, place: Node) -> Node:
    """``values`` without nulls, empty lists and objects and empty strings (unset, for the
    provider), each unknown member an opaque value at the place of the resource."""
    from iamlint.values import Opaque

    entries = {}
    for name, child in values.items():
        value = child.value
        if value is None or value == "" or (type(value) in (list, dict) and not value):
            continue
        below = unknown.get(name) if isinstance(unknown, dict) else None
        if type(value) is dict:
            child = _cleaned(child, below or {}, place)
        elif type(value) is list:
            items = []
            for index, item in enumerate(value):
                item_unknown = below[index] if isinstance(below, list) and index < len(below) else {}
                if type(item.value) is dict:
                    item = _cleaned(item, item_unknown, place)
                elif item_unknown is True:
                    item = item.with_value(Opaque("(known after apply)"))
                elif item.value is None or item.value == "":
                    continue
                items.append(item)
            child = child.with_value(items)
        entries[name] = child
    if isinstance(unknown, dict):
        for name, flag in unknown.items():
            if flag is True and name not in entries:
                node = place.with_value(Opaque("(known after apply)"), key=None)
                node.key = place.with_value(name, key=None)
                entries[name] = node
    return values.with_value(entries)


def _at(values: Node, path: tuple[str, ...], prefix: str) -> Iterator[tuple[str, Node]]:
    """(origin, node) for each value at a table path in a resource's values."""
    if len(path) == 1:
        node = values.get(path[0])
        if node is not None:
            yield f"{prefix}/{path[0]}", node
        return
    node = values.get(path[0])
    if node is None:
        return
    if path[1] == "*":
        for index, item in enumerate(node.elements()):
            if item.is_mapping:
                yield from _at(item, path[2:], f"{prefix}/{path[0]}/{index}")
        return
    yield from _at(node, path[1:], f"{prefix}/{path[0]}")


def _configured_kinds(module: dict, prefix: str) -> dict[str, list[tuple[str, str, bool]]]:
    """data source address (without instance keys) -> (kind, attached to, inline) of each policy
    attribute of the configuration that refers to it."""
    from iamlint.readers.terraform_table import POLICY_ATTRIBUTES

    found: dict[str, list] = {}
    for resource in _list(module.get("resources")):
        if not isinstance(resource, dict) or not isinstance(resource.get("type"), str):
            continue
        for where in POLICY_ATTRIBUTES.get(resource["type"], ()):
            if where.kind == "organizations" or len(where.path) != 1:
                continue
            expression = _dict(_dict(resource.get("expressions")).get(where.attribute))
            for reference in _list(expression.get("references")):
                match = re.match(r"^(data\.aws_iam_policy_document\.[\w-]+)", _INSTANCE.sub("", str(reference)))
                if match is not None:
                    entry = (where.kind, where.attached, where.inline)
                    uses = found.setdefault(prefix + match.group(1), [])
                    if entry not in uses:
                        uses.append(entry)
    for name, call in _dict(module.get("module_calls")).items():
        if isinstance(call, dict):
            for address, uses in _configured_kinds(_dict(call.get("module")), f"{prefix}module.{name}.").items():
                found.setdefault(address, []).extend(uses)
    return found


def _configured_arguments(module: dict, prefix: str) -> dict[str, set[str]]:
    """resource address (without instance keys) -> the arguments its configuration sets."""
    found: dict[str, set[str]] = {}
    for resource in _list(module.get("resources")):
        if isinstance(resource, dict) and isinstance(resource.get("address"), str):
            found[prefix + resource["address"]] = set(_dict(resource.get("expressions")))
    for name, call in _dict(module.get("module_calls")).items():
        if isinstance(call, dict):
            found.update(_configured_arguments(_dict(call.get("module")), f"{prefix}module.{name}."))
    return found


def _split(address: str) -> tuple[str, str]:
    """(module path, address within the module): ``module.a.aws_iam_role.r`` -> (``module.a``, ``aws_iam_role.r``)."""
    parts = re.match(r"^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)(.*)$", address)
    return parts.group(1).rstrip("."), parts.group(2)


def _without_instances(address: str) -> str:
    return _INSTANCE.sub("", address)


def _has_sources(folder: str, root: str) -> bool:
    from iamlint.readers.terraform_module import module_files

    return bool(module_files(folder, root))


def _source_policies(folder: str, root: str) -> dict[str, tuple[str, Node | None, Node | None]]:
    """origin -> (path, the policy's tree as the source writes it, or None, where to put what it
    does not spell) for every policy attribute and data source of a module folder."""
    from iamlint.readers.terraform import TerraformReader
    from iamlint.readers.terraform_module import module_files, module_folder

    reader = TerraformReader()
    found: dict[str, tuple] = {}
    files = module_files(folder, root)
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        source = Source(path, text.lstrip("\ufeff"))
        source.root = root
        document = reader.read(source)
        for policy in document.policies:
            found.setdefault(policy.origin, (policy.path, policy.root, policy.root))
    if not files:
        return found
    module = module_folder(files[0], None, root)
    for use in module.uses:  # what the source writes elsewhere (a data source), or not at all (var.policy)
        if use.origin in found:
            continue
        expr = use.attribute.expr
        where = expr.node(None)
        documents = [name for name in module.documents if any(
            ref[:3] == ("data", "aws_iam_policy_document", name) for ref in use.refs)]
        if len(documents) == 1 and f"data.aws_iam_policy_document.{documents[0]}" in found:
            found[use.origin] = found[f"data.aws_iam_policy_document.{documents[0]}"]
        else:
            found[use.origin] = (use.path, None, where)
    return found


def _move(node: Node, to: Node) -> None:
    node.start, node.end, node._lines, node._span = to.start, to.end, to._lines, to._span


def _align(plan: Node, source: Node | None, fallback: Node) -> None:
    """Give every node of a plan's policy a place in the source: the source node that writes it
    when there is one, else the nearest source node around it (``fallback``)."""
    from iamlint.values import Opaque

    stack = [(plan, source, fallback)]
    while stack:
        node, twin, around = stack.pop()
        if twin is None or type(twin.value) is Opaque:
            where = twin if twin is not None else around
            for below in _subtree(node):
                _move(below, where)
            continue
        _move(node, twin)
        value = node.value
        if type(value) is dict:
            for name, child in value.items():
                counterpart = twin.get(name) if twin.is_mapping else None
                if child.key is not None:
                    _move(child.key, counterpart.key if counterpart is not None and counterpart.key is not None
                          else twin)
                if name == "Statement" and counterpart is not None:
                    for item, match in _statements(child, counterpart):
                        stack.append((item, match, counterpart))
                    _move(child, counterpart)
                    continue
                stack.append((child, counterpart, twin))
        elif type(value) is list:
            candidates = list(twin.elements())
            for index, item in enumerate(value):
                match = None
                if type(item.value) is not dict:
                    match = next((c for c in candidates if c.value == item.value), None)
                    if match is not None:
                        candidates.remove(match)
                elif twin.is_sequence and len(twin.value) == len(value):
                    match = twin.value[index]
                stack.append((item, match, twin))
        elif twin.is_sequence:  # a string where the source writes a list of one
            match = next((c for c in twin.value if c.value == value), None)
            if match is not None:
                _move(node, match)


def _statements(plan: Node, source: Node) -> list[tuple[Node, Node | None]]:
    """Each statement of a plan's policy with the source statement that writes it: the same
    ``Sid``, else the most actions in common, else the same place in a list of the same length."""
    plans = [s for s in plan.elements() if s.is_mapping]
    sources = [s for s in source.elements() if s.is_mapping]
    unused = list(sources)
    pairs = []
    for index, statement in enumerate(plans):
        sid = statement.get("Sid")
        match = None
        if sid is not None and type(sid.value) is str and sid.value:
            match = next((s for s in unused if s.get("Sid") is not None and s.get("Sid").value == sid.value), None)
        if match is None:
            actions = _actions(statement)
            scored = [(len(actions & _actions(s)), s) for s in unused]
            scored = [(score, s) for score, s in scored if score]
            if scored:
                match = max(scored, key=lambda pair: pair[0])[1]
            elif len(plans) == len(sources) and sources[index] in unused:
                match = sources[index]
        if match is not None:
            unused.remove(match)
        pairs.append((statement, match))
    return pairs


def _actions(statement: Node) -> set[str]:
    element = statement.get("Action") or statement.get("NotAction")
    return {n.value.lower() for n in element.strings()} if element is not None else set()


def _subtree(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.key is not None and current is not node:
            yield current.key
        value = current.value
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
