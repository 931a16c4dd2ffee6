"""Shared test helpers: run the real CLI entry point and read what a user would see."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The real-world corpus: $IAMLINT_CORPUS, else ../shared/corpus beside the clone. Tests that read it
# skip when neither is there; once it is given they run, and test_corpus.py fails on a corpus that
# lacks a part they read, so a broken corpus cannot pass as an absent one.
CORPUS = Path(os.environ.get("IAMLINT_CORPUS") or REPO.parent / "shared" / "corpus")
CORPUS_GIVEN = bool(os.environ.get("IAMLINT_CORPUS")) or CORPUS.exists()
needs_corpus = pytest.mark.skipif(not CORPUS_GIVEN, reason="no corpus: set IAMLINT_CORPUS or put it at ../shared/corpus")


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self):
        return json.loads(self.out)


def run_main(*argv: str, cwd: Path | None = None) -> Run:
    """Call ``iamlint.cli.main(argv)`` in this process, as the console script does."""
    from iamlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse's --version / usage errors
                code = exc.code
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


def run_cli(*argv: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: float = 120) -> Run:
    """Run ``python -m iamlint`` in a subprocess: the real program, start-up included."""
    result = subprocess.run([sys.executable, "-m", "iamlint", *argv], cwd=cwd, input=stdin,
                            capture_output=True, timeout=timeout)
    return Run(result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))


def positions(run: Run) -> list[str]:
    """``line:col CODE`` of every diagnostic in a --format json run."""
    return [f"{d['line']}:{d['column']} {d['code']}" for d in run.json()]


@pytest.fixture
def write(tmp_path):
    """Write a file under a temporary folder and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
