"""Batch runs: the garbage collector during one (iamlint.collection) is paused, yet what a file
leaves in cycles is freed every few files, and the collector is as it was afterwards; the files
of a large run are shared out over the workers in runs of neighbours, and a worker that dies
costs no file and does not hang the run."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import weakref

import pytest

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


def _workers(pid: int) -> list[tuple[int, int]]:
    """The forked children of ``pid`` (its command line; not the `git` it runs to list files),
    each with the CPU time it has used, in clock ticks."""
    def read(path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            return b""

    own = read(f"/proc/{pid}/cmdline")
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = read(f"/proc/{entry}/stat").rsplit(b")", 1)[-1].split()
            if len(fields) > 12 and int(fields[1]) == pid and read(f"/proc/{entry}/cmdline") == own:
                found.append((int(entry), int(fields[11])))  # utime: the 14th field of stat
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc")
def test_a_worker_killed_mid_run_costs_no_file_and_does_not_hang_the_run(tmp_path):
    for i in range(1200):  # enough for two workers and a second or so of work each
        action = "s3:*" if i % 3 else "iam:PassRole"
        (tmp_path / f"p{i:04}.json").write_text(
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            f'"Action": "{action}", "Resource": "*"}}]}}\n')
    command = [sys.executable, "-m", "iamlint", "--isolated", "--jobs", "2", "."]
    run = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    killed = None
    while killed is None and time.monotonic() < deadline and run.poll() is None:
        for worker, ticks in _workers(run.pid):
            if ticks >= 10:  # a tenth of a second into its files: it holds results
                killed = worker
                os.kill(worker, signal.SIGKILL)
                break
        time.sleep(0.005)
    out, err = run.communicate(timeout=120)
    assert killed is not None, "no worker was seen"
    whole = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--jobs", "1", "."], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert (run.returncode, out) == (whole.returncode, whole.stdout) == (1, whole.stdout)
    assert "1200 files checked" in out
    assert "iamlint: a worker process died; the " in err and "linted again in the main process" in err
