"""Data files shipped with iamlint: action lists with their sources, and the service data (aws/)."""

from __future__ import annotations

import os
from functools import cache

HERE = os.path.dirname(os.path.abspath(__file__))


@cache
def read_list(name: str) -> tuple[str, ...]:
    """The entries of ``<name>.txt``: one per line, `#` starts a comment."""
    with open(os.path.join(HERE, f"{name}.txt"), encoding="utf-8") as handle:
        lines = (line.split("#", 1)[0].strip() for line in handle)
        return tuple(line for line in lines if line)
