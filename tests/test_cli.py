"""The command line as a user meets it: exit status, selection, formats, config, ordering."""

from __future__ import annotations

import json

from conftest import REPO, positions, run_cli, run_main

ADMIN = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n'
CLEAN = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",\n'
         '  "Resource": "arn:aws:s3:::reports/*"}]}\n')
TYPO = '{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}\n'


def test_clean_policy_exits_zero_and_says_so(write):
    path = write("clean.json", CLEAN)
    run = run_main("--isolated", str(path))
    assert run.code == 0
    assert run.out == "iamlint: no problems in 1 policy, 1 file checked\n"


def test_text_format_is_path_line_col_code_message_name(write, tmp_path):
    write("admin.json", ADMIN)
    run = run_main("--isolated", "admin.json", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[0] == ("admin.json:1:71: IAM301 statement allows every action (`*`) on every resource (`*`): "
                            "full administrator access (full-admin)")
    assert run.lines[-1] == "iamlint: 3 problems (2 errors, 1 warning) in 1 file, 1 policy, 1 file checked"


def test_quiet_drops_the_summary(write, tmp_path):
    write("admin.json", ADMIN)
    run = run_main("--isolated", "-q", "admin.json", cwd=tmp_path)
    assert run.out and all(line.startswith("admin.json:") for line in run.lines)


def test_json_format_fields(write, tmp_path):
    write("typo.json", TYPO)
    run = run_main("--isolated", "--format", "json", "typo.json", cwd=tmp_path)
    first = run.json()[0]
    fingerprint = first.pop("fingerprint")
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert first == {"path": "typo.json", "line": 1, "column": 52, "end_line": 1, "end_column": 60,
                     "code": "IAM104", "rule": "invalid-effect", "severity": "error",
                     "message": "`Effect` must be `\"Allow\"` or `\"Deny\"`, got `\"Permit\"`"}


def test_select_and_ignore_take_codes_prefixes_and_names(write, tmp_path):
    write("admin.json", ADMIN)
    codes = lambda *argv: sorted({p.split()[1] for p in positions(run_main(  # noqa: E731
        "--isolated", "--format", "json", *argv, "admin.json", cwd=tmp_path))})
    assert codes() == ["IAM301", "IAM307", "IAM501"]
    assert codes("--select", "IAM3") == ["IAM301", "IAM307"]
    assert codes("--select", "full-admin,missing-mfa") == ["IAM301", "IAM501"]
    assert codes("--ignore", "IAM30") == ["IAM501"]
    assert codes("--select", "IAM3", "--ignore", "passrole-wildcard") == ["IAM301"]


def test_unknown_selector_is_a_usage_error(write):
    run = run_main("--isolated", "--select", "IAM9", str(write("a.json", ADMIN)))
    assert run.code == 2
    assert "IAM9" in run.err and run.out == ""


def test_output_is_sorted_and_deterministic(write, tmp_path):
    write("b.json", ADMIN)
    write("a/z.json", TYPO)
    write("a/b.json", ADMIN)
    first = run_main("--isolated", ".", cwd=tmp_path)
    again = run_main("--isolated", "b.json", "a", cwd=tmp_path)
    assert first.out == again.out
    paths = [line.split(":")[0] for line in first.lines[:-1]]
    assert paths == sorted(paths) and paths[0] == "a/b.json" and paths[-1] == "b.json"
    places = [tuple(int(n) for n in line.split(":")[1:3]) for line in first.lines if line.startswith("a/z.json")]
    assert places == sorted(places)


def test_missing_path_is_reported_and_the_run_goes_on(write, tmp_path):
    write("admin.json", ADMIN)
    run = run_main("--isolated", "--select", "IAM301,IAM003", "nope.json", "admin.json", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[0] == "admin.json:1:71: IAM301 statement allows every action (`*`) on every resource (`*`): full administrator access (full-admin)"
    assert run.lines[1].startswith("nope.json:1:1: IAM003 ")


def test_config_kinds_glob_picks_the_kind(write, tmp_path):
    write("pyproject.toml", '[tool.iamlint]\nkinds = { "org/scps/*.json" = "scp" }\n')
    scp = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}\n'
    write("org/scps/deny.json", scp)
    run = run_main("--format", "json", "--select", "IAM109", "org/scps/deny.json", cwd=tmp_path)
    assert positions(run) == ["1:60 IAM109"]
    assert "service control policy" in run.json()[0]["message"]
    assert positions(run_main("--isolated", "--format", "json", "--select", "IAM109", "org/scps/deny.json",
                              cwd=tmp_path)) == []


def test_config_ignore_and_rule_severity(write, tmp_path):
    write(".iamlint.toml", 'ignore = ["IAM501"]\n[rules.full-admin]\nseverity = "warning"\n')
    write("admin.json", ADMIN)
    run = run_main("--format", "json", "admin.json", cwd=tmp_path)
    assert [(d["code"], d["severity"]) for d in run.json()] == [("IAM301", "warning"), ("IAM307", "error")]


def test_bad_config_is_exit_2_naming_the_key(write, tmp_path):
    write(".iamlint.toml", 'selct = ["IAM3"]\n')
    write("admin.json", ADMIN)
    run = run_main("admin.json", cwd=tmp_path)
    assert run.code == 2
    assert "unknown key `selct`" in run.err and run.out == ""
    write(".iamlint.toml", 'kinds = { "*.json" = "scpp" }\n')
    assert "`kinds.*.json` = 'scpp' is not one of identity, resource" in run_main("admin.json", cwd=tmp_path).err
    write(".iamlint.toml", 'select = [\n')
    assert run_main("admin.json", cwd=tmp_path).code == 2


def test_isolated_ignores_the_config(write, tmp_path):
    write(".iamlint.toml", 'select = ["IAM104"]\n')
    write("admin.json", ADMIN)
    assert run_main("admin.json", cwd=tmp_path).code == 0
    assert run_main("--isolated", "admin.json", cwd=tmp_path).code == 1


def test_version():
    run = run_main("--version")
    assert run.code == 0 and run.out.startswith("iamlint ")


def test_python_dash_m_runs_the_real_program_on_the_examples():
    run = run_cli("examples", cwd=REPO)
    assert run.code == 1, run.err
    assert run.err == ""
    assert "examples/policies/typos.json:6:17: IAM104 " in run.out
    assert "reports-read-only.json" not in run.out and "package.json" not in run.out
    json_run = run_cli("--format", "json", "examples", cwd=REPO)
    assert json.loads(json_run.out)[0]["path"] == "examples/aws-cli/get-role-auditor.json"


def test_worker_processes_give_the_same_bytes(write, tmp_path):
    for i in range(6):
        write(f"p{i}/admin.json", ADMIN)
        write(f"p{i}/typo.json", TYPO)
    one = run_cli("--isolated", "--jobs", "1", ".", cwd=tmp_path)
    two = run_cli("--isolated", "--jobs", "2", ".", cwd=tmp_path)
    assert one.code == two.code == 1
    assert one.out == two.out and one.out.count("\n") > 12
