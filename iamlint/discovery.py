"""Paths to the files worth reading: folders are walked honouring .gitignore (git is asked), except
a folder named outright that git ignores (`iamlint cdk.out`), which is walked all the same. An AWS
CDK cloud assembly (a folder whose `manifest.json` lists `artifacts`) is read through its manifest:
its stack templates only."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

SKIPPED_DIRS = frozenset({".git", "node_modules", ".terraform", ".venv", "venv", ".tox", ".nox",
                          "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hg", ".svn"})


def _skipped(parts: Iterable[str]) -> bool:
    return any(part in SKIPPED_DIRS for part in parts)


def _git_files(folder: str) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files below ``folder``, or None outside a work tree."""
    import subprocess  # only folders need it; pre-commit passes files

    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=folder, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [name for name in names if name]


def _ignored_by_git(folder: str) -> bool:
    """Whether git ignores ``folder`` itself (False outside a work tree)."""
    import subprocess

    try:
        result = subprocess.run(["git", "check-ignore", "-q", "."], cwd=folder, capture_output=True, timeout=60,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _assemblies(folder: str, names: list[str]) -> list[str]:
    """The cloud assemblies among the folders of ``names`` (relative to ``folder``), outermost first."""
    from iamlint.readers.cdk import MANIFEST, manifest

    found: list[str] = []
    manifests = [n for n in (name.replace("\\", "/") for name in names) if n.rsplit("/", 1)[-1] == MANIFEST]
    for name in sorted(manifests, key=lambda n: (n.count("/"), n)):
        where = name[:-len(MANIFEST)]  # "cdk.out/", or "" for the folder itself
        if any(where.startswith(outer) for outer in found) or _skipped(where.split("/")[:-1]):
            continue
        if manifest(os.path.join(folder, where)) is not None:
            found.append(where)
    return found


def _walk(folder: str) -> list[str]:
    found = []
    for current, dirs, files in os.walk(folder):
        assembly = "manifest.json" in files  # a CDK cloud assembly's `asset.*` folders hold the app's code
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not (assembly and d.startswith("asset."))
                         and not os.path.exists(os.path.join(current, d, "pyvenv.cfg")))
        found.extend(os.path.relpath(os.path.join(current, f), folder) for f in files)
    return found


def _display(path: str) -> str:
    path = os.path.normpath(path)
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _inside(path: str, root: str) -> bool:
    """Whether a file found in a folder really is in it: a symlink that leads out of the folder
    named on the command line is not followed. (Neither git nor the walk lists files inside a
    symlinked folder, so only the file itself can be a link.)"""
    if not os.path.islink(path):
        return True
    return os.path.realpath(path).startswith(root.rstrip(os.sep) + os.sep)


def collect(paths: Iterable[str], is_excluded=lambda path: False, notes: list[str] | None = None,
            roots: dict[str, str] | None = None) -> list[str]:
    """Files to lint, sorted and without duplicates. Folders keep only the extensions some reader
    reads; a file named explicitly is always offered to the readers. What a user may not expect
    (a folder git ignores, linted because it was named) is added to ``notes``; each file's root
    (``root_of``) to ``roots``."""
    from iamlint.readers import extensions

    wanted = extensions()
    found: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            root = os.path.realpath(path)
            ignored = _ignored_by_git(path)
            if ignored and notes is not None:
                notes.append(f"{_display(path)} is ignored by git; linted because it was named")
            if os.path.isfile(os.path.join(path, "manifest.json")) and _assemblies(path, ["manifest.json"]):
                names = ["manifest.json"]  # an assembly named outright: nothing but what its manifest lists
            else:
                names = None if ignored else _git_files(path)
                if names is None:
                    names = _walk(path)
            assemblies = _assemblies(path, names)
            if assemblies:  # read through their manifests: stack templates, never assets or tree.json
                from iamlint.readers.cdk import assembly_templates

                names = [n for n in names if not any(n.replace("\\", "/").startswith(a) for a in assemblies)]
                for assembly in assemblies:
                    for template in assembly_templates(os.path.join(path, assembly) or "."):
                        # a manifest naming a file outside the named folder is not followed
                        real = os.path.realpath(template)
                        if not is_excluded(_display(template)) and real.startswith(root.rstrip(os.sep) + os.sep):
                            found.add(_display(template))
                            if roots is not None:
                                roots.setdefault(_display(template), root)
            for name in names:
                relative = name.replace("\\", "/")
                if not relative.endswith(wanted) or _skipped(relative.split("/")[:-1]):
                    continue
                full = _display(os.path.join(path, name))
                if os.path.isfile(full) and not is_excluded(full) and _inside(full, root):
                    found.add(full)
                    if roots is not None:
                        roots.setdefault(full, root)
        else:
            # named outright (pre-commit passes every file it matches): read it, whatever its name
            found.add(_display(path))
            if roots is not None:
                roots.setdefault(_display(path), root_of(path))
    return sorted(found)


def root_of(path: str) -> str:
    """The root of a file named outright (what the files it names must be inside, symlinks
    followed): the working folder, when the file is in it (pre-commit names files from the
    repository's top), else the file's own folder."""
    here = os.path.realpath(os.getcwd())
    folder = os.path.realpath(os.path.dirname(path) or ".")
    inside = folder == here or folder.startswith(here.rstrip(os.sep) + os.sep)
    return here if inside else folder
