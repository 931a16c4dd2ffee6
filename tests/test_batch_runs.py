"""Batch runs: the garbage collector during one (iamlint.collection) is paused, yet what a file
leaves in cycles is freed every few files, and the collector is as it was afterwards; the files
of a large run are shared out over the workers in runs of neighbours."""

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
    frozen = gc.get_freeze_count()
    assert linter.lint_paths(paths, jobs=1)
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # nothing kept from later collections
    gc.disable()
    try:
        assert linter.lint_paths(paths, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_large_folder_is_shared_out_in_runs_of_neighbours_and_small_folders_stay_whole():
    from iamlint.engine import _chunks

    big = [f"policies/p{i:04}.json" for i in range(1000)]
    small = [f"modules/network/{name}.tf" for name in ("main", "variables", "outputs")]
    chunks = _chunks(big + small, 2)
    assert sorted(p for chunk in chunks for p in chunk) == sorted(big + small)
    assert [len(c) for c in chunks] in ([500, 503], [503, 500])
    for chunk in chunks:
        files = [p for p in chunk if p.startswith("policies/")]
        assert files == big[big.index(files[0]):big.index(files[0]) + len(files)]  # neighbours
    assert any(set(small) <= set(chunk) for chunk in chunks)
