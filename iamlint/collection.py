"""Python's cyclic garbage collector, tuned for a batch run.

A run keeps hundreds of thousands of objects for its whole length (the AWS service data of the
services it meets, the rules' caches), and CPython's full collections scan all of them again and
again: a fifth of the CPU of a folder run, for almost nothing (the documents iamlint builds are
freed by reference counting as soon as a file is done; a whole corpus run leaves some 16,000
objects in cycles). During a batch run the collector does not run on its own; the young
generations are collected every few files instead, so what a file leaves in cycles is still
freed, and what survives them is not scanned again during the batch.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator

FILES_BETWEEN_COLLECTIONS = 128


class _Batch:
    __slots__ = ("files",)

    def __init__(self) -> None:
        self.files = 0

    def file_done(self) -> None:
        self.files += 1
        if self.files % FILES_BETWEEN_COLLECTIONS == 0:
            gc.collect(1)


@contextmanager
def batch() -> Iterator[_Batch]:
    """The collector paused for a batch of files (``file_done`` after each), as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield _Batch()
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """For a process that ends soon after its batch (the `iamlint` command, a forked worker):
    what is alive now is kept out of the full collection that re-enabling the collector would
    soon start, a scan of everything the run kept (a tenth of a run). Never for a process that
    goes on (a test run, an editor's server): unreachable cycles frozen here are never freed."""
    gc.freeze()
