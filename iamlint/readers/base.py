"""The reader interface: how the engine sees every input format.

A reader says which files are its own (by content, helped by the extension) and turns one into a
``Document``: the policies in it, each a positioned tree with its kind and origin; the resources
that the resource-level rules read; the trees that file-level rules scan; syntax errors with
their offsets; and the suppressions written in it. The engine, the command line, the hooks and
the language server know formats only through this interface and the registry
(``iamlint.readers``).
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

    from iamlint.nodes import Node, Span
    from iamlint.parsers.json_parser import ParsedJSON, ParseError
    from iamlint.policy import PolicyDocument
    from iamlint.suppressions import Suppression

from iamlint.nodes import LineIndex

# What ``Source.decoded`` holds when the text is not JSON, or is nested too deep for the standard decoder.
NOT_JSON = object()
TOO_DEEP = object()
_UNSET = object()


class Source:
    """One file to read: its path and text, and the policy kind the configuration sets for it.
    What several readers look at to decide whether a file is theirs is worked out once."""

    __slots__ = ("path", "text", "kind", "run", "root", "_decoded", "_lines")

    def __init__(self, path: str, text: str, kind: str | None = None) -> None:
        self.path = path
        self.text = text
        self.kind = kind  # None: infer each policy's kind
        # the absolute paths of every file this run lints, when the run names them (None: one
        # text on its own, as in an editor): a reader whose files share something (a Terraform
        # template read by several files) reports it once, from one of them
        self.run: frozenset[str] | None = None
        # the real path of the folder the run may read in, for a reader whose files name other
        # files (a Terraform module's siblings, its file() targets): the folder named on the
        # command line the file was found in; None when unknown (an editor): the reader keeps to
        # the file's own folder
        self.root: str | None = None
        self._decoded: Any = _UNSET
        self._lines: LineIndex | None = None

    @property
    def decoded(self) -> Any:
        """The text as the standard library's (fast) decoder reads it, or NOT_JSON / TOO_DEEP."""
        if self._decoded is _UNSET:
            try:
                self._decoded = json.loads(self.text)
            except RecursionError:
                self._decoded = TOO_DEEP
            except ValueError as error:
                self._decoded = NOT_JSON
                if "digits" in str(error):  # an integer too long for int(): JSON all the same
                    try:
                        self._decoded = json.loads(self.text, parse_int=_integer)
                    except RecursionError:
                        self._decoded = TOO_DEEP
                    except ValueError:
                        pass
        return self._decoded

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def is_yaml(self) -> bool:
        """Named as YAML, or a ``.template`` that is not JSON."""
        path = self.path
        return path.endswith((".yaml", ".yml")) or (path.endswith(".template")
                                                     and not self.text.lstrip().startswith("{"))


def _integer(literal: str) -> int | float:
    """A JSON integer; one of more digits than Python converts is beyond every float: infinity."""
    from iamlint.parsers.json_parser import MAX_INT_DIGITS

    return int(literal) if len(literal) <= MAX_INT_DIGITS else float(literal)


class Resource:
    """The common view of one resource that resource-level rules read, whatever the format: its
    type (``AWS::IAM::User``, ``aws_iam_user``), name (logical id, address), node, and properties."""

    __slots__ = ("name", "type", "node", "type_node", "properties", "origin", "construct", "trace")

    def __init__(self, name: str, type_: str, node: Node, type_node: Node | None, properties: Node | None,
                 origin: str) -> None:
        self.name = name
        self.type = type_
        self.node = node  # the whole resource: findings inside it belong to it
        self.type_node = type_node  # where a finding about the resource as a whole is reported
        self.properties = properties if properties is not None and properties.is_mapping else None
        self.origin = origin  # the resource's place in logical terms, for fingerprints
        # in a generated file, what made the resource: the AWS CDK construct path, and the
        # places in the app's source that created it (``Related``): given to every finding in it
        self.construct = ""
        self.trace: tuple = ()

    def property(self, name: str) -> Node | None:
        return self.properties.get(name) if self.properties is not None else None


class Input:
    """A value supplied from outside the file (a CloudFormation parameter, a Terraform variable):
    whether the deployment tool hides it, and its default, if any."""

    __slots__ = ("name", "node", "hidden", "default", "what", "hiding")

    def __init__(self, name: str, node: Node, hidden: bool, default: Node | None, what: str, hiding: str) -> None:
        self.name = name
        self.node = node
        self.hidden = hidden
        self.default = default
        self.what = what  # what the format calls it: "parameter", "variable"
        self.hiding = hiding  # what hides it, in the format's words: "`NoEcho: true`"


class Document:
    """What a reader found in one file."""

    format = ""  # the reader's name
    noun = "the file"  # what messages call the document: "the template"
    # Settings of resources that rules read by a name of their own, whatever the format calls
    # them: setting -> {resource type: property path ("FunctionUrlConfig/AuthType")}. Values are
    # the format's own, spelled as AWS's API does (`NONE`, `AWS_IAM`).
    settings_table: dict[str, dict[str, str]] = {}

    def __init__(self, path: str, text: str, lines: LineIndex) -> None:
        self.path = path
        self.text = text
        self.lines = lines
        self.policies: list[PolicyDocument] = []
        self.resources: list[Resource] = []
        self.trees: list[ParsedJSON] = []  # what file-level rules scan (duplicate keys, credentials)
        self.errors: list[ParseError] = []  # offsets into ``text``
        self.suppressions: list[Suppression] = []
        self.suppression_problems: list[tuple[Span, str]] = []  # written wrong: IAM005
        self.cache: dict = {}  # what plugins compute once per document
        # the place of a finding outside every resource (fingerprints): "" for policy files
        self.unplaced_origin = ""

    @property
    def module_resources(self) -> list[Resource]:
        """The resources of the whole unit the document is deployed with, for the rules that
        must see all of them (is this user in a group?): read-only, never reported on, since
        only ``resources`` are this file's. A template, a plan: its own resources; a Terraform
        file: those of every file of its module folder."""
        return self.resources

    def input_of(self, node: Node) -> Input | None:
        """The input a value refers to, when it is nothing but a reference to one."""
        return None

    def settings(self, name: str) -> list[tuple[Resource, Node]]:
        """(resource, value) for each resource that sets ``name`` (``function-url-auth-type``: how
        a Lambda function URL authenticates), in document order (see ``settings_table``). A value
        only known when deployed is opaque; one of two is an ``Alternatives``."""
        places = self.settings_table.get(name)
        found = []
        for resource in self.resources if places else ():
            path = places.get(resource.type)
            node = resource.properties if path is not None else None
            for step in path.split("/") if node is not None else ():
                node = node.get(step)
                if node is None:
                    break
            value = self.setting_value(node) if node is not None else None
            if value is not None:
                found.append((resource, value))
        return found

    def setting_value(self, node: Node) -> Node | None:
        """A setting's value as rules read it (a format with functions resolves them); None: unset."""
        return node

    def resource_at(self, span: Span) -> Resource | None:
        """The resource whose node holds ``span``."""
        for resource in self.resources:
            if contains(resource.node.span, span):
                return resource
        return None


def contains(outer: Span, inner: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) <= (outer.end_line, outer.end_column)


class Reader:
    """One input format. Subclasses set the class attributes and implement ``claims`` and ``read``."""

    name = ""  # what ``--only`` calls it
    title = ""  # what the docs and ``--help`` call it
    extensions: tuple[str, ...] = ()  # walked in folders; a file named outright is always offered
    languages: tuple[str, ...] = ()  # the editor language ids the language server lints

    def claims(self, source: Source) -> bool:
        """Whether the file is this format's (cheap: a look at the text, not a parse)."""
        raise NotImplementedError

    def borrows(self, source: Source) -> bool:
        """Whether a claimed file is another format's that this one reads better when it runs
        (a policy JSON file read by ``file()`` from a Terraform file): when this reader is not
        selected, the next reader that claims the file reads it."""
        return False

    def read(self, source: Source, memory: dict | None = None) -> Document:
        """The document in a claimed file; never raises on bad input. ``memory`` is a dict a
        long-running server keeps per file between reads, so an edit can be read incrementally."""
        raise NotImplementedError

    def tables(self) -> Iterator[tuple[str, str]]:
        """(marker, Markdown) for each generated table of the docs about this format."""
        return iter(())
