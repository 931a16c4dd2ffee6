"""One bad file never costs the run: an internal error is one IAM000 for that file, the others are
reported as usual, and the exit status is 2 (not 1, which means findings), whatever --exit-zero,
fail-on, --ignore, per-file-ignores, suppressions or a baseline say. Only regular files are read."""

from __future__ import annotations

import json
import os
import sys

import pytest

from conftest import run_cli, run_main

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


@pytest.fixture
def crashing(monkeypatch):
    """The policy reader fails on files whose name holds `boom` (iamlint failing on purpose)."""
    from iamlint.readers.policy_json import PolicyJSONReader

    read = PolicyJSONReader.read

    def failing(self, source, memory=None):
        if "boom" in source.path:
            raise ZeroDivisionError("a deliberate failure")
        return read(self, source, memory)

    monkeypatch.setattr(PolicyJSONReader, "read", failing)


def _found(run) -> list[tuple[str, int, int, str]]:
    return [(d["path"], d["line"], d["column"], d["code"]) for d in run.json()]


@pytest.mark.parametrize("options", [[], ["--exit-zero"], ["--fail-on", "error"], ["--ignore", "IAM000"],
                                     ["--select", "IAM303"]])
def test_a_crash_is_one_diagnostic_the_other_files_are_reported_and_the_exit_is_2(write, tmp_path, crashing, options):
    write("a-boom.json", POLICY)
    write("b.json", POLICY)
    run = run_main("--isolated", "--format", "json", *options, ".", cwd=tmp_path)
    assert run.code == 2
    found = _found(run)
    assert found[0] == ("a-boom.json", 1, 1, "IAM000")
    assert run.json()[0]["message"].startswith("iamlint failed on this file: ZeroDivisionError (a deliberate failure) "
                                               "at iamlint/")
    assert "Please report it: https://github.com/iamlint/iamlint/issues" in run.json()[0]["message"]
    assert ("b.json", 1, 71, "IAM303") in found  # the other file, as usual


def test_a_crash_is_never_ignored_suppressed_or_baselined(write, tmp_path, crashing):
    write("boom.yaml.json", POLICY)
    write("pyproject.toml", '[tool.iamlint]\nper-file-ignores = { "*.json" = ["IAM0", "IAM3"] }\n')
    run = run_main("--format", "json", ".", cwd=tmp_path)
    assert (run.code, [code for *_, code in _found(run)]) == (2, ["IAM000"])
    # a baseline records no crash, says so, and a later run still reports it
    written = run_main("--write-baseline", "b.json", ".", cwd=tmp_path)
    assert written.code == 2 and "IAM000" in written.err
    assert json.loads((tmp_path / "b.json").read_text())["findings"] == []
    run = run_main("--format", "json", "--baseline", "b.json", ".", cwd=tmp_path)
    assert (run.code, [code for *_, code in _found(run)]) == (2, ["IAM000"])


def test_a_crash_outside_any_file_exits_2_not_1(write, tmp_path, monkeypatch):
    import iamlint.reporters.text

    def failing(*args, **kwargs):
        raise ZeroDivisionError("a deliberate failure")

    monkeypatch.setattr(iamlint.reporters.text, "write", failing)
    write("p.json", POLICY)
    run = run_main("--isolated", "p.json", cwd=tmp_path)
    assert run.code == 2 and "ZeroDivisionError" in run.err and "please report it" in run.err


def test_a_huge_number_gives_findings_not_a_traceback(write, tmp_path):
    write("a.json", POLICY.replace('"*"}', '"*", "Condition": {"NumericLessThan": {"s3:max-keys": '
                                   + "9" * 5000 + "}}}"))
    write("b.json", POLICY)
    run = run_cli("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert (run.code, run.err) == (1, "")
    found = _found(run)
    assert ("a.json", 1, 145, "IAM006") in found and ("b.json", 1, 71, "IAM303") in found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_not_read(write, tmp_path):
    os.mkfifo(tmp_path / "pipe.json")  # opening it to read would wait for a writer forever
    write("b.json", POLICY)
    run = run_cli("--isolated", "--format", "json", "pipe.json", "b.json", cwd=tmp_path, timeout=30)
    assert run.code == 1, run.err
    assert [(d["line"], d["column"], d["code"], d["message"]) for d in run.json() if d["path"] == "pipe.json"] == [
        (1, 1, "IAM003", "not a regular file (a named pipe); iamlint reads only regular files")]
    assert ("b.json", 1, 71, "IAM303") in _found(run)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_not_read_whatever_stat_says(tmp_path):
    run = run_cli("--isolated", "--format", "json", "/dev/zero", cwd=tmp_path, timeout=30)
    assert [(d["code"], d["message"]) for d in run.json()] == [
        ("IAM003", "not a regular file (a character device); iamlint reads only regular files")]


def test_never_more_than_the_limit_plus_one_byte_is_read(write, tmp_path, monkeypatch):
    """A file whose size `stat` does not tell (0 for /proc files) is read up to the limit only."""
    import iamlint.engine

    monkeypatch.setattr(iamlint.engine, "MAX_FILE_BYTES", 100)
    write("p.json", POLICY + " " * 200)
    real_fstat = os.fstat

    def zero_size(descriptor):
        status = real_fstat(descriptor)
        return os.stat_result((*status[:6], 0, *status[7:]))  # st_size = 0

    monkeypatch.setattr(iamlint.engine.os, "fstat", zero_size)
    run = run_main("--isolated", "--format", "json", "p.json", cwd=tmp_path)
    assert [(d["code"], d["message"]) for d in run.json()] == [
        ("IAM003", "the file is larger than the 0 MB iamlint reads")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX sockets")
def test_a_socket_named_outright_is_not_read(tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    previous = os.getcwd()
    try:
        os.chdir(tmp_path)  # a short relative name: socket paths are limited to ~100 bytes
        server.bind("sock.json")
    except OSError:
        pytest.skip("cannot bind a UNIX socket here")
    finally:
        os.chdir(previous)
    try:
        run = run_main("--isolated", "--format", "json", "sock.json", cwd=tmp_path)
        assert run.code == 1 and [d["code"] for d in run.json()] == ["IAM003"]
        assert "not a regular file" in run.json()[0]["message"]
    finally:
        server.close()
