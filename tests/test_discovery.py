"""Which files iamlint reads: by content, not by name; folders honour .gitignore."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import run_main

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


def _paths(run):
    return sorted({d["path"] for d in run.json()})


def _git(folder, *argv):
    subprocess.run(["git", *argv], cwd=folder, check=True, capture_output=True)


@pytest.mark.parametrize(("name", "content"), [
    ("package.json", '{"name": "app", "version": "1.0.0", "scripts": {"test": "jest"}}\n'),
    ("tsconfig.json", '{\n  // comments are allowed here\n  "compilerOptions": {"strict": true,},\n}\n'),
    (".github/dependabot.yml", 'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: "/"\n'),
    ("notes.json", "[1, 2, 3]\n"),
    ("empty-object.json", "{}\n"),
    ("template.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": "AWS::IAM::Role"}}}\n'),
])
def test_files_that_are_not_policies_are_silent_even_when_named(write, tmp_path, name, content):
    write(name, content)
    run = run_main("--isolated", name, cwd=tmp_path)
    assert (run.code, run.out) == (0, "iamlint: no problems in 0 policies, 1 file checked\n")


@pytest.mark.parametrize(("envelope", "kind_word"), [
    ({"PolicyVersion": {"Document": json.loads(POLICY), "VersionId": "v1", "IsDefaultVersion": True}}, None),
    ({"RoleName": "r", "PolicyName": "p", "PolicyDocument": json.loads(POLICY)}, None),
    ({"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Resource": "*"}]}}}, "trust policy"),
], ids=["get-policy-version", "get-role-policy", "get-role"])
def test_aws_cli_envelopes_are_read_at_the_policy_inside(write, tmp_path, envelope, kind_word):
    write("saved.json", json.dumps(envelope, indent=2))
    run = run_main("--isolated", "--format", "json", "--select", "IAM1,IAM303", "saved.json", cwd=tmp_path)
    found = run.json()
    assert found, run.out
    if kind_word:  # get-role holds a trust policy, where Resource is not allowed
        assert [d["code"] for d in found] == ["IAM109"]
        assert kind_word in found[0]["message"]
    else:
        assert [d["code"] for d in found] == ["IAM303"]
        assert found[0]["line"] > 1


def test_folder_walk_honours_gitignore_inside_a_work_tree(write, tmp_path):
    write("policies/a.json", POLICY)
    write("build/generated.json", POLICY)
    write(".gitignore", "build/\n")
    write("untracked/b.json", POLICY)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "policies/a.json", ".gitignore")
    run = run_main("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert _paths(run) == ["policies/a.json", "untracked/b.json"]


def test_folder_walk_skips_dependencies_and_virtualenvs_outside_git(write, tmp_path):
    write("policy.json", POLICY)
    write("node_modules/pkg/policy.json", POLICY)
    write(".terraform/modules/policy.json", POLICY)
    write("env/pyvenv.cfg", "home = /usr\n")
    write("env/lib/policy.json", POLICY)
    write("docs/policy.md", POLICY)  # not a policy extension: only read when named
    run = run_main("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert _paths(run) == ["policy.json"]
    assert _paths(run_main("--isolated", "--format", "json", "docs/policy.md", cwd=tmp_path)) == ["docs/policy.md"]


def test_policy_detected_by_content_whatever_the_name(write, tmp_path):
    write("odd-name.template", POLICY)
    run = run_main("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert _paths(run) == ["odd-name.template"]


def test_config_exclude(write, tmp_path):
    write(".iamlint.toml", 'exclude = ["legacy"]\n')
    write("legacy/old.json", POLICY)
    write("new.json", POLICY)
    assert _paths(run_main("--format", "json", ".", cwd=tmp_path)) == ["new.json"]
