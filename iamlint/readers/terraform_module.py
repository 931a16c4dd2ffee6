"""A Terraform module folder: what its files say about each other's policies.

Terraform reads every ``.tf`` (and ``.tofu``, ``.tf.json``) file of a folder as one module, so a
policy written in one file is often used in another: a ``data "aws_iam_policy_document"`` is a
trust policy because an ``aws_iam_role`` in ``main.tf`` uses it as ``assume_role_policy``; a
managed policy is attached to users by an attachment resource elsewhere; a template file is read
by ``templatefile()``. Each file is parsed once per process and summed up (``FileFacts``); a
``ModuleFolder`` puts the facts of a folder together. Files are read from disk, except the one
being linted, whose text the reader is given (an editor's unsaved text).

Nothing crosses a ``module`` call and no variable is ever given a value: the scope is the folder.

Nothing is read outside the run's root (``Source.root``: the folder named on the command line;
without one, an editor's, the module folder itself), symlinks followed: a sibling file or a
``file()`` target that is a symlink leading out of it is not read, and the search for the module
folders that read a template file does not climb above it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

    from iamlint.parsers.hcl import Attribute, Block

from iamlint.readers.terraform_syntax import block_address, read_path, references, string_of, top_level_blocks
from iamlint.readers.terraform_table import (
    ATTACHMENT_TARGETS,
    MANAGED_ATTACHMENTS,
    MERGED_DOCUMENTS,
    ORGANIZATIONS_DEFAULT,
    ORGANIZATIONS_KINDS,
    POLICY_ATTRIBUTES,
)

MODULE_EXTENSIONS = (".tf", ".tofu", ".tf.json")
TEMPLATE_CALLS = {"templatefile": True, "file": False}  # name -> whether `${...}` in the file are template syntax
DOCUMENT = "aws_iam_policy_document"
MAX_FILE_BYTES = 10 * 1024 * 1024


class Use:
    """An attribute that takes a policy (``aws_iam_role.ci``'s ``assume_role_policy``): what
    kind of policy, whether it is inline and what it is attached to, and its expression."""

    __slots__ = ("path", "resource", "origin", "kind", "inline", "attached", "attribute", "block", "refs", "holder")

    def __init__(self, path: str, resource: str, origin: str, kind: str | None, inline: bool, attached: str,
                 attribute: Attribute, block: Block, holder: str | None = None) -> None:
        self.path = path  # the file it is written in
        self.resource = resource  # its address: aws_iam_role.ci
        self.origin = origin  # its place: aws_iam_role.ci/assume_role_policy
        self.kind = kind  # None: not an IAM policy after all (a tag policy), or unknown (`type = var.t`)
        self.inline = inline
        self.attached = attached
        self.attribute = attribute
        self.block = block  # the resource block
        self.refs = references(attribute.expr)
        self.holder = holder  # what the policy protects, as a CloudFormation type

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Use({self.origin!r}, {self.kind!r})"


class Target:
    """A file read by ``file()`` or ``templatefile()`` as a policy: the use, and whether the
    file is a template (its ``${...}`` are Terraform's)."""

    __slots__ = ("path", "use", "template")

    def __init__(self, path: str, use: Use, template: bool) -> None:
        self.path = path
        self.use = use
        self.template = template


class FileFacts:
    """What one file of a module declares and uses."""

    def __init__(self, path: str, parsed: Any) -> None:
        self.path = path
        self.parsed = parsed
        self.documents: dict[str, Block] = {}  # data "aws_iam_policy_document" NAME
        self.policy_data: dict[str, Block] = {}  # data "aws_iam_policy" NAME
        self.template_data: dict[str, Block] = {}  # data "template_file" NAME (Terraform < 0.12)
        self.locals: dict[str, Attribute] = {}
        self.uses: list[Use] = []
        self.merges: dict[str, list[tuple]] = {}  # document -> the references of its merged documents
        self.attachments: list[tuple[list[tuple], frozenset[str]]] = []  # (references of the ARNs, attached to)
        folder = os.path.dirname(path)
        for block in top_level_blocks(parsed.body):
            if block.has_error:
                continue
            labels = block.label_values
            if block.type == "locals":
                for name, attribute in block.body.attributes.items():
                    self.locals.setdefault(name, attribute)
            elif block.type == "data" and len(labels) == 2:
                kind, name = labels
                if kind == DOCUMENT:
                    self.documents.setdefault(name, block)
                    merged = [ref for attribute in MERGED_DOCUMENTS if block.body.attribute(attribute) is not None
                              for ref in references(block.body.attribute(attribute).expr)]
                    if merged:
                        self.merges[name] = merged
                elif kind == "aws_iam_policy":
                    self.policy_data.setdefault(name, block)
                elif kind == "template_file":
                    self.template_data.setdefault(name, block)
            elif block.type == "resource" and len(labels) == 2:
                self._resource(block, labels[0], folder)

    def _resource(self, block: Block, resource_type: str, folder: str) -> None:
        address = block_address(block)
        for where in POLICY_ATTRIBUTES.get(resource_type, ()):
            kind = where.kind
            if kind == "organizations":
                kind = organizations_kind(block)
            for origin, attribute in attributes_at(block, where.path, address):
                self.uses.append(Use(self.path, address, origin, kind, where.inline, where.attached, attribute, block,
                                     where.holder))
        attaching = MANAGED_ATTACHMENTS.get(resource_type)
        if attaching is not None:
            arns = block.body.attribute(attaching[0])
            if arns is not None:
                targets = frozenset([attaching[1]]) if attaching[1] else frozenset(
                    kind for name, kind in ATTACHMENT_TARGETS.items() if _non_empty(block.body.attribute(name)))
                self.attachments.append((references(arns.expr), targets))


def _non_empty(attribute: Attribute | None) -> bool:
    if attribute is None:
        return False
    expr = attribute.expr.unwrapped()
    return not (expr.kind == "tuple" and not expr.elements()) and expr.kind != "null"


def organizations_kind(block: Block) -> str | None:
    """scp or rcp by an ``aws_organizations_policy``'s ``type`` (the provider's default is an
    SCP); None for the other policy types (not IAM) and for a ``type`` iamlint cannot know."""
    attribute = block.body.attribute("type")
    if attribute is None:
        return ORGANIZATIONS_KINDS[ORGANIZATIONS_DEFAULT]
    return ORGANIZATIONS_KINDS.get(string_of(attribute.expr) or "")


def attributes_at(block: Block, path: tuple[str, ...], prefix: str) -> Iterable[tuple[str, Attribute]]:
    """(origin, attribute) for each attribute at ``path`` in a block (``*``: every nested block
    of the type named before it, numbered)."""
    if len(path) == 1:
        attribute = block.body.attribute(path[0])
        if attribute is not None:
            yield f"{prefix}/{path[0]}", attribute
        return
    if len(path) >= 2 and path[1] == "*":
        for index, child in enumerate(block.body.blocks_of(path[0])):
            yield from attributes_at(child, path[2:], f"{prefix}/{path[0]}/{index}")
        return
    for child in block.body.blocks_of(path[0]):
        yield from attributes_at(child, path[1:], f"{prefix}/{path[0]}")


class ModuleFolder:
    """The facts of every file of a module folder, put together."""

    def __init__(self, folder: str, files: list[FileFacts], root: str | None = None) -> None:
        self.folder = folder
        self.files = files
        self.boundary = boundary(folder, root)  # what a file() target must be inside, symlinks followed
        self.documents: dict[str, tuple[FileFacts, Block]] = {}
        self.locals: dict[str, tuple[FileFacts, Attribute]] = {}
        self.policy_data: dict[str, Block] = {}
        self.template_data: dict[str, Block] = {}
        self.uses: list[Use] = []
        merges: dict[str, list[tuple]] = {}
        for facts in files:
            for name, block in facts.documents.items():
                self.documents.setdefault(name, (facts, block))
            for name, attribute in facts.locals.items():
                self.locals.setdefault(name, (facts, attribute))
            for name, block in facts.policy_data.items():
                self.policy_data.setdefault(name, block)
            for name, block in facts.template_data.items():
                self.template_data.setdefault(name, block)
            self.uses += facts.uses
            for name, refs in facts.merges.items():
                merges.setdefault(name, refs)
        self._merges = merges
        self._by_document: dict[str, list[Use]] | None = None
        self._by_local: dict[str, list[Use]] = {}
        self._targets: dict[str, list[Target]] | None = None

    # --- who uses what ---

    def _closure(self, refs: list[tuple]) -> tuple[set[str], set[str]]:
        """The documents and locals a use reaches through its references: through locals, and
        into the documents merged into a reached document."""
        documents: set[str] = set()
        locals_: set[str] = set()
        pending = list(refs)
        while pending:
            ref = pending.pop()
            if len(ref) >= 3 and ref[0] == "data" and ref[1] == DOCUMENT:
                if ref[2] not in documents:
                    documents.add(ref[2])
                    pending += self._merges.get(ref[2], ())
            elif len(ref) >= 2 and ref[0] == "local" and ref[1] not in locals_:
                locals_.add(ref[1])
                found = self.locals.get(ref[1])
                if found is not None:
                    pending += references(found[1].expr)
        return documents, locals_

    def _index(self) -> None:
        self._by_document = {}
        for use in self.uses:
            documents, locals_ = self._closure(use.refs)
            for name in documents:
                self._by_document.setdefault(name, []).append(use)
            for name in locals_:
                self._by_local.setdefault(name, []).append(use)

    def document_uses(self, name: str) -> list[Use]:
        """The policy attributes that use a ``data "aws_iam_policy_document"``, directly, through
        locals, or through another document that merges it (``source_policy_documents``)."""
        if self._by_document is None:
            self._index()
        return self._by_document.get(name, [])

    def local_uses(self, name: str) -> list[Use]:
        if self._by_document is None:
            self._index()
        return self._by_local.get(name, [])

    def attachments(self, address: str) -> frozenset[str]:
        """What the managed policy at ``address`` (``aws_iam_policy.x``) is attached to by the
        attachment resources of the folder."""
        found: set[str] = set()
        resource_type, _, name = address.partition(".")
        for facts in self.files:
            for refs, targets in facts.attachments:
                if any(len(ref) >= 2 and ref[0] == resource_type and ref[1] == name for ref in refs):
                    found |= targets
        return frozenset(found)

    # --- files read by file() and templatefile() ---

    def targets(self) -> dict[str, list[Target]]:
        """Files read as policies, by their normalised path: each with the uses that read it."""
        if self._targets is None:
            self._targets = {}
            for use in self.uses:
                found = self.read_by(use.attribute.expr, set())
                if found is not None:
                    path, template = found
                    self._targets.setdefault(path, []).append(Target(path, use, template))
        return self._targets

    def read_by(self, expr: Any, seen: set[str]) -> tuple[str, bool] | None:
        """(the file, whether a template) an expression reads with ``file()``/``templatefile()``,
        also through a local or a ``data "template_file"``; None for anything else."""
        expr = expr.unwrapped()
        call = expr.call()
        if call is not None:
            if call.name in TEMPLATE_CALLS and call.args and not call.expand:
                path = read_path(call.args[0], self.folder, self.boundary)
                return (path, TEMPLATE_CALLS[call.name]) if path is not None else None
            return None
        path = expr.traversal()
        if path is None:
            return None
        if len(path) == 2 and path[0] == "local" and path[1] not in seen:
            found = self.locals.get(path[1])
            return self.read_by(found[1].expr, seen | {path[1]}) if found is not None else None
        if len(path) == 4 and path[:2] == ("data", "template_file") and path[3] == "rendered":
            block = self.template_data.get(path[2])
            template = block.body.attribute("template") if block is not None else None
            if template is not None:
                inner = template.expr.unwrapped().call()
                if inner is not None and inner.name == "file" and inner.args:
                    file_path = read_path(inner.args[0], self.folder, self.boundary)
                    return (file_path, True) if file_path is not None else None
        return None


# --- reading files, once per process ------------------------------------------------------

_FILES: dict[str, tuple] = {}  # path -> (stat key, text, FileFacts)
_LISTINGS: dict[str, tuple] = {}  # folder -> (stat key, module files)


def _stat_key(path: str) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def boundary(folder: str, root: str | None) -> str:
    """The real path nothing is read outside of: the run's root, else the module folder."""
    return root if root is not None else os.path.realpath(folder or ".")


def within(path: str, outer: str) -> bool:
    """Whether ``path``, symlinks followed, is ``outer`` (a real path) or inside it."""
    real = os.path.realpath(path or ".")
    return real == outer or real.startswith(outer.rstrip(os.sep) + os.sep)


def module_files(folder: str, root: str | None = None) -> list[str]:
    """The module's files in a folder, sorted (what Terraform reads as one module): none when
    the folder is outside the run's root, and no symlink that leads out of it."""
    if root is not None and not within(folder, root):
        return []
    return _inside(folder, _listing(folder), root)


def _listing(folder: str) -> list[tuple[str, bool]]:
    """The module's files in a folder, each with whether it is a symlink; listed again when the
    folder changes."""
    key = _stat_key(folder or ".")
    cached = _LISTINGS.get(folder)
    if cached is None or cached[0] != key:
        try:
            with os.scandir(folder or ".") as entries:
                found = sorted((entry.name, entry.is_symlink()) for entry in entries
                               if entry.name.endswith(MODULE_EXTENSIONS) and entry.is_file())
        except OSError:
            found = []
        cached = _LISTINGS[folder] = (key, [(os.path.join(folder, name), link) for name, link in found])
    return cached[1]


def _inside(folder: str, listing: list[tuple[str, bool]], root: str | None) -> list[str]:
    """The files of a listing, without the symlinks that lead outside the boundary."""
    if not any(link for _, link in listing):
        return [path for path, _ in listing]
    outer = boundary(folder, root)
    return [path for path, link in listing if not link or within(path, outer)]


def facts_of(path: str, text: str | None = None) -> FileFacts | None:
    """The facts of a file: of ``text`` when given (the file being linted), else of the file on
    disk; None when it cannot be read or parsed (a broken sibling says nothing)."""
    from iamlint.readers.terraform_parse import parse_module_file

    cached = _FILES.get(path)
    if text is None:
        key = _stat_key(path)
        if cached is not None and cached[0] == key and key is not None:
            return cached[2]
        if key is None or key[1] > MAX_FILE_BYTES:
            return None
        text = _disk_text(path)
        if text is None:
            return None
    else:
        key = None
        if cached is not None and cached[1] == text:
            return cached[2]
    parsed = parse_module_file(path, text)
    if parsed is None:
        return None
    facts = FileFacts(path, parsed)
    if key is None and _disk_text(path) == text:  # the text is the file's: good for it as a sibling too
        key = _stat_key(path)
    _FILES[path] = (key, text, facts)
    return facts


def _disk_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def module_folder(path: str, text: str | None = None, root: str | None = None) -> ModuleFolder:
    """The module a file belongs to, with ``text`` standing for the file itself; only what is
    inside ``root`` (the run's root: see the module's docstring) is read."""
    folder = os.path.dirname(path)
    files = []
    own = os.path.normpath(path)
    seen = False
    for sibling in module_files(folder, root):
        if os.path.normpath(sibling) == own:
            seen = True
            facts = _facts_or_none(path, text)
        else:
            facts = _facts_or_none(sibling)
        if facts is not None:
            files.append(facts)
    if not seen and path.endswith(MODULE_EXTENSIONS) and text is not None:  # standard input, a new buffer
        facts = _facts_or_none(path, text)
        if facts is not None:
            files.append(facts)
    return ModuleFolder(folder, files, root)


def _facts_or_none(path: str, text: str | None = None) -> FileFacts | None:
    from iamlint.parsers.hcl import HCLUnavailable

    try:
        return facts_of(path, text)
    except HCLUnavailable:
        return None


def modules_reading(path: str, root: str | None = None, levels: int = 3) -> list[ModuleFolder]:
    """The module folders at or above ``path``'s folder whose files read ``path`` with
    ``file()``/``templatefile()`` (a module keeps its templates in a subfolder), never above
    the run's root."""
    found = []
    target = os.path.normpath(os.path.abspath(path))
    name = os.path.basename(path)
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(levels + 1):
        listing = _listing(folder)  # cheap, and most folders hold no Terraform: only then is the root checked
        if listing and root is not None and not within(folder, root):
            break
        files = _inside(folder, listing, root)
        if files and any(_mentions(file, name) for file in files):
            module = module_folder(files[0], None, root)
            if any(os.path.normpath(os.path.abspath(p)) == target for p in module.targets()):
                found.append(module)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return found


def _mentions(path: str, name: str) -> bool:
    """Whether a file's text holds ``name`` (a cheap look before parsing it)."""
    cached = _FILES.get(path)
    if cached is not None and cached[0] == _stat_key(path):
        return name in cached[1]
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return name in handle.read()
    except OSError:
        return False
