"""Paths to the files worth reading: folders are walked honouring .gitignore (git is asked)."""

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


def _walk(folder: str) -> list[str]:
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS
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


def collect(paths: Iterable[str], is_excluded=lambda path: False) -> list[str]:
    """Files to lint, sorted and without duplicates. Folders keep only the extensions some reader
    reads; a file named explicitly is always offered to the readers."""
    from iamlint.readers import extensions

    wanted = extensions()
    found: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            names = _git_files(path)
            if names is None:
                names = _walk(path)
            root = os.path.realpath(path)
            for name in names:
                relative = name.replace("\\", "/")
                if not relative.endswith(wanted) or _skipped(relative.split("/")[:-1]):
                    continue
                full = _display(os.path.join(path, name))
                if os.path.isfile(full) and not is_excluded(full) and _inside(full, root):
                    found.add(full)
        else:
            # named outright (pre-commit passes every file it matches): read it, whatever its name
            found.add(_display(path))
    return sorted(found)
