"""AWS CDK cloud assemblies (``cdk synth`` output): the stack templates an assembly holds, and for
each resource of a synthesized template the construct that made it and, when the assembly
recorded how it was created, the line of the app's source that did.

A synthesized template is a CloudFormation template and is read as one; this module only adds
what maps it back to the app: the construct path (``Metadata["aws:cdk:path"]``, or the manifest's
``aws:cdk:logicalId`` entries) and the first stack frame inside the repository (``trace`` in the
manifest of older CDK, ``aws:cdk:creationStack`` in ``<stack>.metadata.json`` of newer CDK).
Trace paths are absolute paths of the machine that ran synth: they are matched to files here by
their longest tail that exists under the app folder or the repository.
"""

from __future__ import annotations

import json
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.readers.base import Document

from iamlint.diagnostics import Related

MANIFEST = "manifest.json"
_MAX_NESTING = 8  # assemblies inside assemblies (a Stage in a Stage ...)
# `fn (file:line:col)`, `fn (file:line)` (Python host frames) or a bare `file:line:col`
_FRAME = re.compile(r"^(?:(?P<fn>.*?) \()?(?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?\)?$")
_NOT_OURS = ("/node_modules/", "\\node_modules\\", "/site-packages/", "\\site-packages\\", "/dist-packages/")
_manifests: dict[str, tuple[float, Any]] = {}  # folder -> (the manifest's mtime, its data or None)


def manifest(folder: str) -> dict | None:
    """The manifest of a cloud assembly in ``folder`` (``version`` and ``artifacts``), or None."""
    path = os.path.join(folder, MANIFEST)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    known = _manifests.get(path)
    if known is not None and known[0] == mtime:
        return known[1]
    data = _read_json(path)
    if not (isinstance(data, dict) and "version" in data and isinstance(data.get("artifacts"), dict)):
        data = None
    _manifests[path] = (mtime, data)
    return data


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None


def _artifacts(data: dict, kind: str) -> list[tuple[str, dict]]:
    return [(name, a) for name, a in data["artifacts"].items() if isinstance(a, dict) and a.get("type") == kind]


def assembly_templates(folder: str, depth: int = 0) -> list[str]:
    """The stack templates of the assembly in ``folder`` and of the assemblies nested in it (a
    ``Stage``); nothing else of it is worth reading (``tree.json`` repeats every policy, ``asset.*``
    folders hold the app's code)."""
    data = manifest(folder)
    if data is None or depth > _MAX_NESTING:
        return []
    found = []
    for _, artifact in _artifacts(data, "aws:cloudformation:stack"):
        template = _inside(folder, (artifact.get("properties") or {}).get("templateFile"))
        if template is not None and os.path.isfile(template):
            found.append(template)
    for _, artifact in _artifacts(data, "cdk:cloud-assembly"):
        nested = _inside(folder, (artifact.get("properties") or {}).get("directoryName"))
        if nested is not None:
            found += assembly_templates(nested, depth + 1)
    return found


def _inside(folder: str, name: Any) -> str | None:
    """``folder/name`` when ``name`` is a relative path that stays inside ``folder``."""
    if not isinstance(name, str) or not name or os.path.isabs(name):
        return None
    path = os.path.normpath(os.path.join(folder, name))
    return path if os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep) else None


# --- construct paths and creation traces of a synthesized template ---

def annotate(template: Document, path: str) -> None:
    """Give each resource of a synthesized template its construct path and, where the assembly
    recorded one, the place in the app's source that created it; mark its policies as written
    with the CDK."""
    folder = os.path.dirname(path) or "."
    metadata = _stack_metadata(folder, os.path.basename(path))
    by_logical_id = {entry.get("data"): name.lstrip("/") for name, entries in metadata.items()
                     for entry in entries if entry.get("type") == "aws:cdk:logicalId"}
    if not by_logical_id and '"aws:cdk:path"' not in template.text:
        return  # not a synthesized template
    sources = _Sources(folder, path)
    constructs = {}
    for resource in template.resources:
        meta = resource.node.get("Metadata")
        written = meta.get("aws:cdk:path") if meta is not None else None
        construct = written.value if written is not None and written.is_string else by_logical_id.get(resource.name)
        if not construct:
            continue
        resource.construct = construct
        constructs[resource.name] = construct
        place = _created_at(construct, metadata, sources)
        if place is not None:
            resource.trace = (place,)
    for policy in template.policies:
        if policy.resource in constructs:
            policy.generator = "cdk"


def _stack_metadata(folder: str, template_file: str) -> dict[str, list[dict]]:
    """The metadata of the stack whose template is ``template_file``: the manifest's own
    (``metadata``, older CDK) and the file it names (``additionalMetadataFile``), merged."""
    data = manifest(folder)
    if data is None:
        return {}
    merged: dict[str, list[dict]] = {}
    for _, artifact in _artifacts(data, "aws:cloudformation:stack"):
        if (artifact.get("properties") or {}).get("templateFile") != template_file:
            continue
        parts = [artifact.get("metadata")]
        extra = _inside(folder, artifact.get("additionalMetadataFile"))
        if extra is not None:
            parts.append(_read_json(extra))
        for part in parts:
            if isinstance(part, dict):
                for name, entries in part.items():
                    if isinstance(entries, list):
                        merged.setdefault(name, []).extend(e for e in entries if isinstance(e, dict))
    return merged


def _created_at(construct: str, metadata: dict[str, list[dict]], sources: _Sources) -> Related | None:
    """The first frame inside the repository of the construct's creation trace; for a construct
    made deep inside the CDK (a grant's policy), that of the nearest ancestor's resource that has
    one (`Handler/ServiceRole/DefaultPolicy` -> `Handler/ServiceRole`, made by `new Function`)."""
    parts = construct.split("/")
    candidates = [construct] + ["/".join(parts[:k]) + "/Resource" for k in range(len(parts) - 1, 1, -1)]
    for candidate in dict.fromkeys(candidates):
        for entry in metadata.get("/" + candidate, ()):
            frames = entry.get("data") if entry.get("type") == "aws:cdk:creationStack" else entry.get("trace")
            if not isinstance(frames, list):
                continue
            for frame in frames:
                place = sources.frame(frame) if isinstance(frame, str) else None
                if place is not None:
                    path, line, column = place
                    # a grant's policy is made deep inside the CDK: the construct that holds it was made here
                    what = f"`{candidate if candidate == construct else candidate[:-len('/Resource')]}` created here"
                    return Related(path, line, column, line, column + 1, what)
    return None


class _Sources:
    """Maps trace frames (absolute paths of the machine that ran synth) to files of this checkout."""

    def __init__(self, folder: str, template_path: str) -> None:
        self.relative = not os.path.isabs(template_path)
        top = os.path.abspath(folder)
        while manifest(os.path.dirname(top)) is not None and os.path.dirname(top) != top:
            top = os.path.dirname(top)  # a nested assembly: up to the outermost
        self.app = os.path.dirname(top)  # where cdk.json is
        self.repository = _repository(self.app)
        self.found: dict[str, str | None] = {}

    def frame(self, frame: str) -> tuple[str, int, int] | None:
        """(path, line, column) of a frame in a file of this checkout, or None (CDK's own, the
        runtime's, a library's, or a file not here)."""
        if frame.startswith(("...", "(")):
            return None  # CDK's summary of frames it left out
        match = _FRAME.match(frame.strip())
        if match is None:
            return None
        file = match.group("file")
        if file.startswith(("node:", "internal/")) or any(part in file for part in _NOT_OURS):
            return None
        if not (file.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", file)):
            return None
        if file not in self.found:
            self.found[file] = self._here(file)
        here = self.found[file]
        if here is None:
            return None
        return here, int(match.group("line")), int(match.group("col") or 1)

    def _here(self, file: str) -> str | None:
        local = os.path.normpath(file)
        within = (self.repository or self.app) + os.sep
        if os.path.isfile(local) and local.startswith(within):  # synthesized in this very checkout
            return self._display(local)
        parts = [p for p in re.split(r"[\\/]", file) if p and not p.endswith(":")]
        for start in range(len(parts)):  # the longest tail that exists here
            tail = parts[start:]
            for base, shortest in ((self.app, 1), (self.repository, 2)):
                if base is None or len(tail) < shortest:
                    continue
                candidate = os.path.join(base, *tail)
                if os.path.isfile(candidate):
                    return self._display(candidate)
        return None

    def _display(self, path: str) -> str:
        if not self.relative:
            return path
        shown = os.path.relpath(path)
        return shown.replace(os.sep, "/") if os.sep != "/" else shown


def _repository(folder: str) -> str | None:
    """The work tree holding ``folder`` (where `.git` is), or None."""
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
