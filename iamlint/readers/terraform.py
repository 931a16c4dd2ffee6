"""Terraform and OpenTofu (``.tf``, ``.tofu``, ``.tf.json``; ``.tfvars`` for credentials only):
every policy in a file, with its kind taken from where the module folder uses it, its
resources, and the suppressions written in its comments.

A policy is read from each of its spellings, always as the positioned tree the rules read:
``jsonencode({...})``, JSON in a heredoc or quoted string (interpolations masked), a
``data "aws_iam_policy_document"`` (``terraform_document``), a ``file()``/``templatefile()``
target, and a literal ``local`` inlined where it is used (same file). Where policies live is
data (``terraform_table``); what the other files of the folder say about them is
``terraform_module``. Values iamlint cannot know are opaque, never guessed.

A file read by ``file()``/``templatefile()`` is reported once per run, at its own positions and
under its own path: by itself when the run lints it (its ``${...}`` opaque, its kind from the
attribute that reads it), else by the first file of the run that reads it; on its own (an
editor, standard input), each reports it.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from iamlint.parsers.hcl import Attribute, Block
    from iamlint.readers.terraform_module import ModuleFolder, Target, Use

from iamlint.readers.base import Document, Input, Reader, Resource, Source
from iamlint.readers.terraform_table import SETTINGS

MODULE_EXTENSIONS = (".tf", ".tofu", ".tf.json")
VARIABLE_FILES = (".tfvars",)
TEMPLATE_FILES = (".tftpl", ".tpl")
FORMAT = "terraform"
# the order a document used as two kinds of policy is read as (the first that applies)
KIND_ORDER = ("trust", "scp", "rcp", "resource", "boundary", "identity")


class TerraformReader(Reader):
    """Terraform and OpenTofu configurations: HCL and JSON syntax."""

    name = FORMAT
    title = "Terraform and OpenTofu"
    extensions = MODULE_EXTENSIONS + VARIABLE_FILES + TEMPLATE_FILES
    languages = ("terraform", "hcl", "opentofu", "terraform-vars")
    comment = "#"  # what a suppression comment starts with (quick fixes)

    def claims(self, source: Source) -> bool:
        path = source.path
        if path.endswith(self.extensions):
            return True
        if source.is_yaml or not source.text.lstrip().startswith(("{", "[")):
            return False
        return bool(_reading(path, source.root))  # a JSON policy a Terraform file reads with file()/templatefile()

    def borrows(self, source: Source) -> bool:
        return not source.path.endswith(self.extensions)

    def read(self, source: Source, memory: dict | None = None) -> Document:
        path = source.path
        if path.endswith(VARIABLE_FILES):
            return _read_variables(source)
        if path.endswith(MODULE_EXTENSIONS):
            return _read_module_file(source)
        return _read_target(source)

    def tables(self):
        from iamlint.readers.terraform_table import attachments_table, terraform_table

        yield "terraform-table", terraform_table()
        yield "terraform-attachments", attachments_table()

    # --- editors: suppression comments (iamlint.quick_fixes) ---

    @property
    def suppression_pattern(self):
        from iamlint.readers.terraform_syntax import LINE_SUPPRESSION

        return LINE_SUPPRESSION

    def blocks_around(self, text: str, line: int) -> list[tuple[int, str, str]]:
        """(first line, indentation, what it is) of the ``resource``/``data`` block around a
        line, where a comment on the line above silences the whole block."""
        from iamlint.parsers.hcl import parse_hcl

        parsed = parse_hcl(text) if not self._json(text) else None
        for block in parsed.body.blocks if parsed is not None else ():
            span = block.span
            if block.type in ("resource", "data") and span.line < line <= span.end_line:
                start = text.rfind("\n", 0, block.start) + 1
                return [(span.line, text[start:block.start], f"`{block.type}` block")]
        return []

    @staticmethod
    def _json(text: str) -> bool:
        return text.lstrip().startswith("{")

    def keeps_data(self, text: str, edited: str, insertion) -> bool:
        """Whether an inserted suppression is a comment of the edited file (not text inside a
        string or heredoc), and the file parses as before."""
        from iamlint.parsers.hcl import parse_hcl

        if self._json(text):
            return False  # JSON syntax has no comments
        before, after = parse_hcl(text), parse_hcl(edited)
        new_comment = "#" in insertion.text  # else a code added to a suppression already there
        if (before.error is None) != (after.error is None) or len(after.comments) != len(before.comments) + new_comment:
            return False
        lines = edited.split("\n")
        at = sum(len(line) + 1 for line in lines[:insertion.line - 1]) + insertion.column - 1
        mark = at + max(insertion.text.find("#"), 0)
        return any(c.start <= mark < c.end for c in after.comments)


class TerraformDocument(Document):
    format = FORMAT
    noun = "the file"
    settings_table = SETTINGS

    def __init__(self, path: str, text: str, lines) -> None:
        super().__init__(path, text, lines)
        self.variables: dict[str, Block] = {}
        self.module: ModuleFolder | None = None  # the module folder of a .tf file
        self._module_resources: list[Resource] | None = None

    @property
    def module_resources(self) -> list[Resource]:
        """The resources of every file of the module folder, this file's (``resources``, the
        same objects) in their place among them: Terraform reads the folder as one module, so a
        user's group membership is often in another file. Read them, never report on them."""
        if self._module_resources is None:
            module = self.module
            if module is None:
                return self.resources
            from iamlint.readers.terraform_syntax import top_level_blocks

            found: list[Resource] = []
            own, seen = os.path.normpath(self.path), False
            arns = _ArnResolver(module)
            for facts in module.files:
                if os.path.normpath(facts.path) == own:
                    found += self.resources
                    seen = True
                    continue
                found += [_Resource(block, arns) for block in top_level_blocks(facts.parsed.body)
                          if not block.has_error and block.type == "resource" and len(block.label_values) == 2]
            self._module_resources = found if seen else found + self.resources
        return self._module_resources

    def input_of(self, node) -> Input | None:
        """The variable a value refers to (``var.db_password``): sensitive hides it."""
        from iamlint.values import Opaque

        value = node.value
        if type(value) is not Opaque or not value.text.startswith("var."):
            return None
        name = value.text[4:]
        block = self.variables.get(name)
        if block is None or not name.isidentifier():
            return None
        sensitive = block.body.attribute("sensitive")
        default = block.body.attribute("default")
        from iamlint.parsers.hcl_nodes import to_node

        return Input(name, block.node, sensitive is not None and sensitive.expr.text == "true",
                     to_node(default.expr) if default is not None else None, "variable", "`sensitive = true`")


class _Resource(Resource):
    """A resource block: its attributes and nested blocks as properties, read when a rule asks."""

    __slots__ = ("_block", "_resolve", "_properties")

    def __init__(self, block: Block, resolve: Callable | None) -> None:
        from iamlint.readers.terraform_syntax import block_address

        address = block_address(block)
        # where a finding about the whole resource goes: its type label (in JSON syntax, where
        # the type's key holds every resource of the type, its name)
        label = block.labels[0] if block.labels[0].start >= block.start else block.labels[-1]
        super().__init__(address, block.label_values[0], block.node, label, None, address)
        self._block = block
        self._resolve = resolve
        self._properties = None

    @property
    def properties(self):
        if self._properties is None:
            self._properties = self._block.to_node(self._resolve)
        return self._properties

    @properties.setter
    def properties(self, value) -> None:  # Resource.__init__ sets it (to None: worked out when asked)
        pass


# --- reading --------------------------------------------------------------------------------


def _unavailable(document: Document, error: Exception) -> Document:
    from iamlint.parsers.json_parser import ParseError

    document.errors.append(ParseError(f"Terraform files are skipped: {error}", 0, code="IAM003"))
    return document


def _read_module_file(source: Source) -> Document:
    from iamlint.parsers.hcl import HCLUnavailable
    from iamlint.readers.terraform_module import facts_of, module_folder

    document = TerraformDocument(source.path, source.text, source.lines)
    try:
        facts = facts_of(source.path, source.text)
    except HCLUnavailable as error:
        return _unavailable(document, error)
    if facts is None:
        return document
    if not_terraform(facts.parsed):
        return document
    module = module_folder(source.path, source.text, source.root)
    _Builder(document, facts, module, source).build()
    return document


def not_terraform(parsed) -> bool:
    """A text that does not parse and starts no line with a Terraform block or an argument:
    another language's file under a Terraform name (TinyFugue scripts are `.tf` too), not a
    broken Terraform file."""
    import re

    return parsed.error is not None and re.search(
        r"^[ \t]*(?:(?:resource|data|variable|locals|module|provider|output|terraform)\b|[\w-]+[ \t]*=)",
        parsed.text, re.M) is None


def _read_variables(source: Source) -> Document:
    """A ``.tfvars`` file: only hard-coded credentials are looked for in it (and its suppressions)."""
    from iamlint.parsers.hcl import HCLUnavailable, parse_hcl
    from iamlint.readers.terraform_syntax import comment_suppressions

    document = TerraformDocument(source.path, source.text, source.lines)
    try:
        parsed = parse_hcl(source.text, source.lines)
    except HCLUnavailable as error:
        return _unavailable(document, error)
    if parsed.error is not None:
        if not_terraform(parsed):
            return document
        document.errors.append(parsed.error)
    document.trees.append(_FileTree(parsed, []))
    document.suppressions = comment_suppressions(parsed.comments, parsed.body, source.text, source.path,
                                                 document.suppression_problems)
    return document


def _reading(path: str, root: str | None) -> list:
    """The uses (``Target``) that read a file with ``file()``/``templatefile()`` from the module
    folders at or above it."""
    from iamlint.readers.terraform_module import modules_reading

    try:
        modules = modules_reading(path, root)
    except Exception:  # noqa: BLE001 - HCLUnavailable, or a folder that cannot be listed: not a target then
        return []
    wanted = os.path.normpath(os.path.abspath(path))
    return [target for module in modules for target_path, targets in module.targets().items()
            if os.path.normpath(os.path.abspath(target_path)) == wanted for target in targets]


def _read_target(source: Source) -> Document:
    """A file read by ``file()``/``templatefile()`` (or a ``.tftpl``/``.tpl`` template nobody
    reads): its policy, as the Terraform file that reads it sees it."""
    document = TerraformDocument(source.path, source.text, source.lines)
    document.unplaced_origin = ""
    targets = _reading(source.path, source.root)
    if targets:
        policy = _target_policy(document, source.path, source.text, targets, own=True)
        if policy is not None:
            document.policies.append(policy)
        document.suppressions = _borrowed_suppressions(targets)
        return document
    text = source.text
    if '"Statement"' not in text:
        return document  # a template, but not of a policy
    from iamlint.parsers.hcl import HCLUnavailable
    from iamlint.parsers.hcl_json import parse_template_json
    from iamlint.parsers.json_parser import ParseError
    from iamlint.readers.terraform_document import cleaned, inferred_kind

    try:
        parsed = parse_template_json(text, template=True)
    except ParseError as error:
        document.errors.append(error)
        return document
    except HCLUnavailable as error:
        return _unavailable(document, error)
    root = parsed.root
    if not root.is_mapping:
        return document
    root = cleaned(root)
    document.trees.append(_Duplicates(parsed.duplicates, source.path, parsed.lines))
    document.policies.append(_policy(root, source.kind or inferred_kind(root), source.path, "", text))
    return document


def _borrowed_suppressions(targets: list) -> list:
    """The suppressions written above the resources that read a template file, for the
    template file's own document (they cover what is reported for those resources there)."""
    from iamlint.readers.terraform_module import facts_of
    from iamlint.readers.terraform_syntax import comment_suppressions

    found = []
    for path in sorted({t.use.path for t in targets}):
        facts = facts_of(path)
        if facts is None:
            continue
        parsed = facts.parsed
        origins = [t.use.origin for t in targets if t.use.path == path]
        for suppression in comment_suppressions(parsed.comments, parsed.body, parsed.text, path, [],
                                                _Builder._origins_of):
            if suppression.origins and any(origin.startswith(suppression.origins) for origin in origins):
                suppression.elsewhere = True
                found.append(suppression)
    return found


def _policy(root, kind: str, path: str, origin: str, text: str = "", attachments: frozenset = frozenset(),
            inline: bool = False, resource: str | None = None, holder: str | None = None):
    from iamlint.policy import PolicyDocument
    from iamlint.worlds import Choices

    policy = PolicyDocument(root, kind, path, origin, text, attachments=attachments, inline=inline,
                            resource=resource, in_template=True, holder=holder)
    policy.format = FORMAT
    names = _conditions(root)
    if names:
        policy.choices = Choices(tuple(names))
    return policy


def _conditions(root) -> list[str]:
    """The conditions of the alternatives (``c ? a : b``) in a tree, in document order."""
    from iamlint.values import Alternatives

    found: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        value = node.value
        if type(value) is Alternatives:
            if value.condition not in found:
                found.append(value.condition)
            stack.extend(reversed([b for b in (value.if_true, value.if_false) if b is not None]))
        elif type(value) is dict:
            stack.extend(reversed(list(value.values())))
        elif type(value) is list:
            stack.extend(reversed(value))
    return found


def choose_kind(kinds: list[str]) -> str | None:
    """One kind for a document used as several: the most used, ties in ``KIND_ORDER``."""
    if not kinds:
        return None
    return max(dict.fromkeys(kinds), key=lambda k: (kinds.count(k), -KIND_ORDER.index(k)))


def _target_policy(document: Document, path: str, text: str | None, targets: list[Target], own: bool):
    """The policy of a file read by ``file()``/``templatefile()``, as the first of its uses
    reads it (its kind chosen among all of them); errors and duplicate keys go to ``document``
    under the file's own path."""
    from iamlint.parsers.hcl import HCLUnavailable
    from iamlint.parsers.hcl_json import parse_template_json
    from iamlint.parsers.json_parser import ParseError
    from iamlint.readers.terraform_document import cleaned

    uses = [t for t in targets if t.use.kind is not None]
    if not uses:
        return None
    uses.sort(key=lambda t: (t.use.path, t.use.attribute.start))
    kind = choose_kind([t.use.kind for t in uses])
    first = next(t for t in uses if t.use.kind == kind)
    template = any(t.template for t in uses)
    if text is None:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            return None
        text = text[1:] if text.startswith("\ufeff") else text
    try:
        parsed = parse_template_json(text, template=template)
    except ParseError as error:
        if not own:
            from iamlint.nodes import LineIndex

            error.path, error.lines = path, LineIndex(text)
        document.errors.append(error)
        return None
    except HCLUnavailable:
        return None
    root = parsed.root
    from iamlint.values import Opaque

    if type(root.value) is Opaque:
        return None
    document.trees.append(_Duplicates(parsed.duplicates, None if own else path, parsed.lines))
    use = first.use
    attachments = frozenset(t.use.attached for t in uses if t.use.kind == kind and t.use.attached)
    return _policy(cleaned(root), kind, path, use.origin, text, attachments,
                   any(t.use.inline for t in uses if t.use.kind == kind), use.resource, use.holder)


class _Duplicates:
    """The duplicate keys of JSON read from a string or a template file, for IAM002 (and its
    path, when that is another file than the document's)."""

    __slots__ = ("root", "lines", "duplicates", "text", "path")

    def __init__(self, duplicates: list, path: str | None, lines) -> None:
        from iamlint.nodes import Node

        self.root = Node({})
        self.lines = lines
        self.duplicates = duplicates
        self.text = ""
        self.path = path


class _FileTree:
    """The whole file as one tree for the file rules (hard-coded credentials): every block and
    attribute, a variable's ``default`` under the variable's name, and each value iamlint
    cannot know as the text it is written with (a key in an interpolated script is still a key)."""

    __slots__ = ("_parsed", "_root", "lines", "duplicates", "text", "path")

    def __init__(self, parsed, duplicates: list) -> None:
        self._parsed = parsed
        self._root = None
        self.lines = parsed.lines
        self.duplicates = duplicates
        self.text = parsed.text
        self.path = None

    @property
    def root(self):
        if self._root is None:
            self._root = _as_text(_file_node(self._parsed))
        return self._root


def _file_node(parsed):
    from iamlint.nodes import Node
    from iamlint.parsers.hcl_nodes import to_node

    entries = {}
    body = parsed.body
    for attribute in body.attributes.values():
        node = to_node(attribute.expr)
        if node is not None:
            node.key = attribute.name_node
            entries[f"{len(entries)}"] = node
    for block in body.blocks:
        if block.type == "variable" and block.labels:
            default = block.body.attribute("default")
            node = to_node(default.expr) if default is not None else None
            if node is not None:
                node.key = block.labels[0]  # the variable's name says what the value is
                entries[f"{len(entries)}"] = node
            continue
        entries[f"{len(entries)}"] = block.to_node()
    return Node(entries, start=0, end=len(parsed.text), lines=parsed.lines)


def _as_text(node):
    from iamlint.values import Alternatives, Opaque

    value = node.value
    if type(value) is Opaque:
        return node.with_value(value.text)
    if type(value) is Alternatives:
        branches = [b for b in (value.if_true, value.if_false) if b is not None]
        return node.with_value([_as_text(b) for b in branches])
    if type(value) is dict:
        for name, child in value.items():
            value[name] = _as_text(child)
    elif type(value) is list:
        for index, child in enumerate(value):
            value[index] = _as_text(child)
    return node


# --- one module file ------------------------------------------------------------------------


class _Locals:
    """The ``resolve`` hook that inlines a literal ``local`` written in the same file: its value's
    nodes keep their places in ``locals``, and findings there name the use (``remarks``)."""

    def __init__(self, module: ModuleFolder, path: str, user: str) -> None:
        self.module = module
        self.path = path
        self.user = user  # what uses it: aws_iam_policy.x/policy
        self.remarks: list = []
        self.active: set[str] = set()

    def __call__(self, expr) -> Any:
        from iamlint.parsers.hcl_nodes import ABSENT, to_node
        from iamlint.values import Opaque

        path = expr.traversal()
        if path is None or len(path) != 2 or path[0] != "local" or path[1] in self.active:
            return None
        found = self.module.locals.get(path[1])
        if found is None or found[0].path != self.path:
            return None  # defined in another file: its finding would belong to a file pre-commit may not pass
        self.active.add(path[1])
        try:
            node = to_node(found[1].expr, self)
        finally:
            self.active.discard(path[1])
        if node is None:
            return ABSENT
        if type(node.value) is Opaque:
            return None  # unknown all the same: opaque at the use, with the use's text
        self.remarks.append((node.span, f"in `local.{path[1]}`, used by `{self.user}`"))
        return node


class _ArnResolver:
    """The ``resolve`` hook of a resource's properties: a managed policy's ARN read through a
    ``data "aws_iam_policy"`` of the module folder by its literal name or ARN is an ARN whose
    partition is unknown, and a ``local`` of any file of the folder whose value is a policy's
    ARN (``"arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"``) that
    ARN; both at the place that uses them, as a value only known when planned with known pieces."""

    __slots__ = ("module",)

    def __init__(self, module: ModuleFolder) -> None:
        self.module = module

    def __call__(self, expr) -> Any:
        from iamlint.readers.terraform_syntax import string_of
        from iamlint.values import Opaque, Unknown

        path = expr.traversal()
        if path is not None and len(path) == 2 and path[0] == "local":
            return self._local(expr, path[1])
        if path is None or len(path) != 4 or path[:2] != ("data", "aws_iam_policy") or path[3] != "arn":
            return None
        block = self.module.policy_data.get(path[2])
        if block is None:
            return None
        arn = string_of(block.body.attribute("arn").expr) if block.body.attribute("arn") is not None else None
        name = string_of(block.body.attribute("name").expr) if block.body.attribute("name") is not None else None
        if arn is not None:
            return expr.node(Opaque(expr.text, (arn,)))
        if name is not None:
            return expr.node(Opaque(expr.text, ("arn:", Unknown("partition"), f":iam::aws:policy/{name}")))
        return None

    def _local(self, expr, name: str) -> Any:
        from iamlint.parsers.hcl_nodes import to_node
        from iamlint.values import Opaque

        found = self.module.locals.get(name)
        if found is None:
            return None
        value = to_node(found[1].expr)  # no resolving: a literal, or known pieces around references
        parts = (value.value,) if value is not None and type(value.value) is str else \
            value.value.parts if value is not None and type(value.value) is Opaque else None
        if not parts or type(parts[0]) is not str or not _POLICY_ARN.match("".join(
                p if type(p) is str else "x" for p in parts)):
            return None
        return expr.node(Opaque(expr.text, parts))


# the start of a managed policy's ARN (the partition may be unknown: any text)
_POLICY_ARN = re.compile(r"arn:[^:]*:iam::[^:]*:policy/")


class _Builder:
    """Reads one module file into a document."""

    def __init__(self, document: TerraformDocument, facts, module: ModuleFolder, source: Source) -> None:
        self.document = document
        self.facts = facts
        self.parsed = facts.parsed
        self.module = module
        self.source = source
        self.path = source.path
        self.duplicates: list = []
        self.arns = _ArnResolver(module)

    def build(self) -> None:
        document, parsed = self.document, self.parsed
        document.module = self.module
        if parsed.error is not None:
            document.errors.append(parsed.error)
        if parsed.error is None:  # after an error, recovery may read one block as repeated attributes
            self._duplicate_attributes(parsed.body)
        from iamlint.readers.terraform_syntax import top_level_blocks

        for block in top_level_blocks(parsed.body):
            if block.has_error:
                continue  # the parser recovered around it: what it holds is not what was meant
            labels = block.label_values
            if block.type == "resource" and len(labels) == 2:
                self._resource(block)
            elif block.type == "data" and len(labels) == 2 and labels[0] == "aws_iam_policy_document":
                self._document(block, labels[1])
            elif block.type == "locals":
                self._locals(block)
            elif block.type == "variable" and len(labels) == 1:
                document.variables[labels[0]] = block
        reported = self._targets()
        aliases = _deployment_aliases(self.module)
        for policy in document.policies if aliases else ():
            _see_through(policy.root, aliases)
        document.trees.append(_FileTree(parsed, self.duplicates))
        from iamlint.readers.terraform_syntax import comment_suppressions

        document.suppressions = comment_suppressions(parsed.comments, parsed.body, parsed.text, self.path,
                                                     document.suppression_problems, self._origins_of)
        # a suppression above a resource whose template file another document reports may be used there
        elsewhere = [t.use.origin for path, targets in self.module.targets().items() if path not in reported
                     for t in targets if t.use.path == self.path]
        for suppression in document.suppressions:
            if suppression.origins and any(origin.startswith(suppression.origins) for origin in elsewhere):
                suppression.elsewhere = True

    @staticmethod
    def _origins_of(block: Block) -> tuple[str, ...]:
        from iamlint.readers.terraform_syntax import block_address

        address = block_address(block)
        if address is None or block.type == "module":
            return ()
        return (f"{address}|", f"{address}/")

    def _duplicate_attributes(self, body) -> None:
        """An attribute set twice in one body: Terraform refuses the file."""
        from iamlint.parsers.json_parser import ParseError
        from iamlint.readers.terraform_syntax import walk_blocks

        bodies = [body] + [block.body for block in walk_blocks(body)]
        for current in bodies:
            for attribute in current.duplicates:
                first = current.attributes[attribute.name]
                self.document.errors.append(ParseError(
                    f"`{attribute.name}` is set twice (first at line {first.span.line}); Terraform refuses "
                    "an argument set twice", attribute.start))

    # --- resources ---

    def _resource(self, block: Block) -> None:
        from iamlint.readers.terraform_table import STATEMENT_RESOURCES

        resource = _Resource(block, self.arns)
        self.document.resources.append(resource)
        for use in self.facts.uses:
            if use.block is block:
                self._use(use)
        elements = STATEMENT_RESOURCES.get(block.label_values[0])
        if elements is not None:
            from iamlint.readers.terraform_document import statement_resource

            resolve = _Locals(self.module, self.path, resource.name)
            root = statement_resource(block, elements, resource.type_node, resolve)
            if root is not None:
                policy = _policy(root, "resource", self.path, resource.name, resource=resource.name,
                                 holder=elements["holder"])
                policy.remarks = tuple(resolve.remarks)
                self.document.policies.append(policy)

    def _use(self, use: Use) -> None:
        """The policy an attribute holds itself (not one it names: a data document, a local, a
        template file are read where they are written)."""
        if use.kind is None:
            return  # not an IAM policy (a tag policy), or a type iamlint cannot know
        attachments = frozenset([use.attached]) if use.attached else self.module.attachments(use.resource)
        resolve = _Locals(self.module, self.path, use.origin)
        found = self._document_value(use.attribute, resolve)
        if found is None:
            return
        root, text = found
        policy = _policy(root, use.kind, self.path, use.origin, text, attachments, use.inline, use.resource,
                         use.holder)
        policy.remarks = tuple(resolve.remarks)
        self.document.policies.append(policy)

    def _document_value(self, attribute: Attribute, resolve: Callable) -> tuple[Any, str] | None:
        """(root, text) of a policy spelled in place: ``jsonencode({...})``, an object, JSON in a
        string or heredoc, or a conditional between them; None for anything else."""
        root, text = self._spelled(attribute.expr, resolve)
        if root is None:
            return None
        from iamlint.readers.terraform_document import cleaned

        root = cleaned(root.with_value(root.value, key=attribute.name_node))
        return root, text

    def _spelled(self, expr, resolve: Callable) -> tuple[Any, str]:
        from iamlint.parsers.hcl_nodes import to_node
        from iamlint.values import Alternatives, Opaque

        expr = expr.unwrapped()
        kind = expr.kind
        if kind in ("string", "template", "heredoc"):
            return self._json_string(expr)
        if kind == "conditional":
            condition, if_true, if_false = expr.conditional()
            first, _ = self._spelled(if_true, resolve)
            second, _ = self._spelled(if_false, resolve)
            if first is None and second is None:
                return None, ""
            return expr.node(Alternatives(condition.text, first, second)), ""
        call = expr.call()
        if kind == "object" or (call is not None and call.name == "jsonencode"):
            node = to_node(expr, resolve, self.duplicates)
            if node is None or type(node.value) is Opaque:
                return None, ""
            return node, ""
        return None, ""

    def _json_string(self, expr) -> tuple[Any, str]:
        """JSON written in a string or heredoc, parsed in place; an empty string is no policy."""
        from iamlint.parsers.hcl_json import parse_string_json
        from iamlint.parsers.json_parser import ParseError
        from iamlint.values import Opaque

        if expr.kind == "string" and not (expr.string() or "").strip():
            return None, ""
        in_place = getattr(expr, "json_document", None)  # a .tf.json literal string
        try:
            parsed = in_place() if in_place is not None else parse_string_json(expr)
        except ParseError as error:
            self.document.errors.append(error)
            return None, ""
        if parsed is None or type(parsed.root.value) is Opaque:
            return None, ""
        self.duplicates += parsed.duplicates
        root = parsed.root
        text = self.parsed.text[root.start:root.end]
        return root, text

    # --- data "aws_iam_policy_document" ---

    def _document(self, block: Block, name: str) -> None:
        from iamlint.readers.terraform_document import document_node, inferred_kind
        from iamlint.readers.terraform_merge import merged_root, merges

        origin = f"data.aws_iam_policy_document.{name}"
        resolve = _Locals(self.module, self.path, origin)
        root = document_node(block, resolve)
        merged = merged_root(block, root, self.module, lambda path, user: _Locals(self.module, path, user)) \
            if merges(block) else None
        if root is None and merged is None:
            return
        uses = [u for u in self.module.document_uses(name) if u.kind is not None]
        # where it is used says what it is; else the configuration (`kinds`, --kind); else its content
        kind = choose_kind([u.kind for u in uses]) or self.source.kind or inferred_kind(
            root if root is not None else merged[0])
        same = [u for u in uses if u.kind == kind]
        attachments = set()
        for use in same:
            attachments |= {use.attached} if use.attached else self.module.attachments(use.resource)
        inline = [u for u in same if u.inline]
        resource = (inline or same or [None])[0]
        holder = next((u.holder for u in same if u.holder), None)
        where = (frozenset(attachments), bool(inline), resource.resource if resource is not None else None, holder)
        if root is not None:
            policy = _policy(root, kind, self.path, origin, "", *where)
            policy.remarks = tuple(resolve.remarks)
            policy.partial = merged is not None
            self.document.policies.append(policy)
        if merged is not None:  # the policy the provider renders, for the rules about a whole policy
            whole = _policy(merged[0], kind, self.path, f"{origin}/merged", "", *where)
            whole.remarks = merged[1]
            whole.merged = True
            self.document.policies.append(whole)

    # --- locals holding a whole policy ---

    def _locals(self, block: Block) -> None:
        for name, attribute in block.body.attributes.items():
            if self.module.locals.get(name, (None,))[0] is not self.facts:
                continue  # defined twice in the folder: Terraform refuses it; read the first
            uses = [u for u in self.module.local_uses(name) if u.kind is not None and _names_local(u, name)]
            if not uses and not _looks_like_policy(attribute):
                continue
            origin = f"local.{name}"
            resolve = _Locals(self.module, self.path, origin)
            resolve.active.add(name)
            found = self._document_value(attribute, resolve)
            if found is None:
                continue
            root, text = found
            if not root.is_mapping and type(root.value).__name__ != "Alternatives":
                continue
            from iamlint.readers.terraform_document import inferred_kind

            kind = choose_kind([u.kind for u in uses]) or self.source.kind or inferred_kind(root)
            same = [u for u in uses if u.kind == kind]
            inline = [u for u in same if u.inline]
            attachments = set()
            for use in same:
                attachments |= {use.attached} if use.attached else self.module.attachments(use.resource)
            resource = (inline or same or [None])[0]
            holder = next((u.holder for u in same if u.holder), None)
            policy = _policy(root, kind, self.path, origin, text, frozenset(attachments), bool(inline),
                             resource.resource if resource is not None else None, holder)
            policy.remarks = tuple(resolve.remarks)
            self.document.policies.append(policy)

    # --- files read by file() / templatefile() ---

    def _targets(self) -> set[str]:
        """The policies of the files this file reads, when this file reports them (see the
        module's docstring); the paths of those it reports."""
        run = self.source.run
        own = os.path.normpath(os.path.abspath(self.path))
        reported = set()
        for target_path, targets in sorted(self.module.targets().items()):
            readers = sorted({os.path.normpath(os.path.abspath(t.use.path)) for t in targets})
            if own not in readers:
                continue
            if run is not None:
                if os.path.normpath(os.path.abspath(target_path)) in run:
                    continue  # it reports itself
                if next((r for r in readers if r in run), own) != own:
                    continue  # an earlier file of the run reports it
            if not os.path.isfile(target_path):
                continue
            reported.add(target_path)
            policy = _target_policy(self.document, target_path, None, targets, own=False)
            if policy is not None:
                self.document.policies.append(policy)
        return reported


# the account, partition and Region the configuration deploys to, as Terraform's data sources give them
_DEPLOYMENT = re.compile(r"data\.(?:aws_caller_identity\.[\w-]+(?:\[\d+\])?\.account_id"
                         r"|aws_partition\.[\w-]+(?:\[\d+\])?\.partition"
                         r"|aws_region\.[\w-]+(?:\[\d+\])?\.(?:name|region|id))")


def _deployment_aliases(module: ModuleFolder) -> dict[str, str]:
    """``local.NAME`` -> the data source it is nothing but (``local.account_id`` ->
    ``data.aws_caller_identity.current.account_id``), for the locals of the module folder that
    are (perhaps through another local) the deployment's account, partition or Region."""
    written = {f"local.{name}": attribute.expr.unwrapped().text.strip()
               for name, (_, attribute) in module.locals.items()}
    found: dict[str, str] = {}
    for name, text in written.items():
        seen = {name}
        while text in written and text not in seen:  # local.a = local.b
            seen.add(text)
            text = written[text]
        if _DEPLOYMENT.fullmatch(text):
            found[name] = text
    return found


def _see_through(root, aliases: dict[str, str]) -> None:
    """The unknown pieces of a policy that are aliases of the deployment's account, partition or
    Region, told what they stand for (``Unknown.means``): `arn:aws:iam::${local.account_id}:root`
    is the account's own root, as with the data source itself. A value that is nothing but the
    alias becomes that one piece."""
    from iamlint.values import Alternatives, Opaque, Unknown

    stack = [root]
    while stack:
        node = stack.pop()
        value = node.value
        if type(value) is Opaque:
            if value.parts is None and value.text in aliases:
                node.value = Opaque(value.text, (Unknown(value.text, aliases[value.text]),))
            elif value.parts is not None and any(type(p) is Unknown and p.name in aliases for p in value.parts):
                node.value = Opaque(value.text, tuple(Unknown(p.name, aliases[p.name])
                                                      if type(p) is Unknown and p.name in aliases else p
                                                      for p in value.parts))
        elif type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
        elif type(value) is Alternatives:
            stack.extend(b for b in (value.if_true, value.if_false) if b is not None)


def _names_local(use: Use, name: str) -> bool:
    """Whether a use's value is the local itself (``policy = local.name``, also in a conditional)."""
    expr = use.attribute.expr.unwrapped()
    if expr.kind == "conditional":
        return any(_is_local(part, name) for part in expr.conditional()[1:])
    return _is_local(expr, name)


def _is_local(expr, name: str) -> bool:
    path = expr.unwrapped().traversal()
    return path == ("local", name)


def _looks_like_policy(attribute: Attribute) -> bool:
    """A value written as a whole policy: ``jsonencode`` of an object, or a heredoc/string
    whose JSON has a ``Statement``."""
    expr = attribute.expr.unwrapped()
    if expr.kind in ("string", "template", "heredoc"):
        return '"Statement"' in expr.text or '\\"Statement\\"' in expr.text
    call = expr.call()
    if call is not None and call.name == "jsonencode" and call.args:
        inner = call.args[0].unwrapped()
        return inner.kind == "object" and any(key is not None and key.value == "Statement"
                                              for key, _, _ in inner.members())
    return False
