"""The garbage collector during a batch run (iamlint.collection): paused, yet what a file leaves
in cycles is freed every few files, and the collector is as it was afterwards."""

from __future__ import annotations

import gc
import weakref

from conftest import REPO
from iamlint import collection
from iamlint.config import load_config
from iamlint.engine import Linter
from iamlint.rules import BUILTIN_RULES


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_a_batch_leaves_are_freed_every_few_files():
    with collection.batch() as files:
        assert not gc.isenabled()
        left = weakref.ref(_Cycle())  # unreachable at once, but only the collector frees a cycle
        for _ in range(collection.FILES_BETWEEN_COLLECTIONS - 1):
            files.file_done()
        assert left() is not None
        files.file_done()
        assert left() is None


def test_a_folder_run_leaves_the_collector_as_it_found_it():
    paths = sorted(str(p) for p in (REPO / "examples").rglob("*") if p.suffix in (".json", ".yaml", ".tf"))
    linter = Linter(BUILTIN_RULES, load_config(None))
    assert gc.isenabled()
    assert linter.lint_paths(paths, jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        assert linter.lint_paths(paths, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
