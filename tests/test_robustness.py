"""Bad input never yields a traceback: a clear diagnostic with a position, and the run goes on."""

from __future__ import annotations

import pytest

from conftest import run_cli, run_main

GOOD = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("binary.json", b'{"Statement": [\x00\x01\x02]}', "1:16 IAM003 the file is binary (it contains a NUL byte)"),
    ("latin1.json", '{"Statement": [{"Sid": "Caf\u00e9"}]}'.encode("latin-1"),
     "1:28 IAM003 the file is not UTF-8 (byte 0xE9 cannot be decoded)"),
    ("utf16.json", GOOD.encode("utf-16"), "1:1 IAM003 the file is UTF-16; save it as UTF-8"),
    ("truncated.json", b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"', "1:59 IAM001"),
    ("nan.json", b'{"Version": "2012-10-17", "Statement": [{"Effect": NaN}]}', "1:52 IAM001"),
    ("single-quotes.json", b"{'Statement': []}", "1:2 IAM001"),
    ("deep.json", b'{"Statement": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "IAM003"),
])
def test_bad_files_get_a_positioned_diagnostic_and_the_run_goes_on(write, tmp_path, name, content, expected):
    write(name, content)
    write("z-good.json", GOOD)
    run = run_main("--isolated", "--format", "json", "--select", "IAM0,IAM303", ".", cwd=tmp_path)
    found = [f"{d['line']}:{d['column']} {d['code']} {d['message']}" for d in run.json() if d["path"] == name]
    assert len(found) == 1 and (found[0].startswith(expected) or found[0].split()[1] == expected), found
    assert [d["code"] for d in run.json() if d["path"] == "z-good.json"] == ["IAM303"]
    assert run.code == 1


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_file_says_so(write, tmp_path, content):
    write("f.json", content)
    run = run_main("--isolated", "f.json", cwd=tmp_path)
    assert run.lines[0] == "f.json:1:1: IAM001 the file is empty; expected a JSON object (invalid-syntax)"


def test_bom_does_not_shift_columns(write, tmp_path):
    write("f.json", b"\xef\xbb\xbf" + GOOD.encode())
    run = run_main("--isolated", "--format", "json", "--select", "IAM303", "f.json", cwd=tmp_path)
    assert [(d["line"], d["column"]) for d in run.json()] == [(1, 71)]


def test_huge_file_is_refused_without_reading_it(write, tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    run = run_main("--isolated", "--format", "json", "huge.json", cwd=tmp_path)
    assert [(d["code"], d["line"], d["column"]) for d in run.json()] == [("IAM003", 1, 1)]
    assert "52.4 MB, larger than the 10 MB" in run.json()[0]["message"]


def test_wrong_types_everywhere_are_grammar_findings_not_crashes(write, tmp_path):
    hostile = ('{"Version": 2012, "Id": [], "Statement": [1, "x", null, {"Effect": true, "Action": {"a": 1},'
               ' "Resource": 7, "Principal": [], "Condition": {"StringEquals": 3}, "Sid": {}}]}')
    write("hostile.json", hostile)
    run = run_cli("--isolated", "--format", "json", "hostile.json", cwd=tmp_path)
    assert run.code == 1 and run.err == ""
    assert {d["code"][:4] for d in run.json()} == {"IAM1"}


def test_unreadable_file_is_reported(write, tmp_path):
    path = write("locked.json", GOOD)
    path.chmod(0)
    try:
        if path.open("rb").readable():  # root reads anything: nothing to test
            pytest.skip("running as root")
    except PermissionError:
        pass
    run = run_main("--isolated", "--format", "json", "locked.json", cwd=tmp_path)
    assert [d["code"] for d in run.json()] == ["IAM003"]
