"""What docs/limits-and-security.md promises, checked by watching the real command line through an
audit hook (tests/audited.py): iamlint never executes input (YAML tags are data), writes nowhere
but --output-file and baseline files, never opens the network, and reads only the files it is
given (and configuration files found walking up), never through a symlink that leaves the named
folder; files that other files name (a CDK manifest's templates, a Terraform module's sibling
files, its `file()`/`templatefile()` targets, a plan's module sources) only inside the named root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'
HOSTILE_YAML = """AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  a: !!python/object/apply:os.system ["touch {marker}"]
  b: !!python/object/apply:subprocess.check_call [["touch", "{marker}"]]
  c: !!python/name:os.system
  d: !!python/object/new:builtins.exec ["open('{marker}', 'w')"]
  e: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}'
      Policies:
        - PolicyName: p
          PolicyDocument: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "s3:*", Resource: "*"}}]}}
"""


def audited(*argv: str, cwd: Path, home: Path) -> tuple[subprocess.CompletedProcess, list]:
    log = home / "audit.json"
    env = {**os.environ, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, str(REPO / "tests" / "audited.py"), str(log), "--", *argv], cwd=cwd,
                            capture_output=True, timeout=120, env=env)
    return result, json.loads(log.read_text())


def _python_files() -> list[str]:
    """Where the interpreter, the standard library and installed packages (iamlint too) live."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(REPO / "iamlint"), str(REPO / "schemas"),
             *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))}
    return [os.path.realpath(root) for root in roots]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "p.json").write_text(POLICY)
    (root / "template.yaml").write_text(HOSTILE_YAML.format(marker=tmp_path / "pwned"))
    (root / ".iamlint.toml").write_text('ignore = ["IAM501"]\n')
    home = tmp_path / "home"
    home.mkdir()
    return tmp_path, root, home


def test_input_is_never_executed(project):
    tmp_path, root, home = project
    result, events = audited("--format", "json", str(root), cwd=root, home=home)
    assert result.returncode == 1, result.stderr.decode()
    assert not (tmp_path / "pwned").exists()
    runs = [(event, args) for event, args in events if event not in ("read", "write")]
    # folders are listed by asking git (`git ls-files`, `git check-ignore`); nothing else is ever run
    assert runs and all(event == "subprocess.Popen" and ("'git', 'ls-files'" in args or "'git', 'check-ignore'" in args)
                        for event, args in runs), runs
    codes = {d["code"] for d in json.loads(result.stdout)}
    assert {"IAM303", "IAM401"} <= codes  # the template was read, its tags as data


def test_writes_nowhere_but_the_output_file_and_the_baseline(project):
    tmp_path, root, home = project
    before = sorted(p for p in tmp_path.rglob("*"))
    output, baseline = tmp_path / "report.sarif", tmp_path / "baseline.json"
    result, events = audited("--format", "sarif", "--output-file", str(output), str(root), cwd=root, home=home)
    assert result.returncode == 1, result.stderr.decode()
    assert [path for event, path in events if event == "write"] == [str(output)]
    result, events = audited("--write-baseline", str(baseline), str(root), cwd=root, home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert [path for event, path in events if event == "write"] == [str(baseline)]
    after = sorted(p for p in tmp_path.rglob("*"))
    assert sorted(set(after) - set(before)) == sorted([home / "audit.json", baseline, output])


def test_never_opens_the_network(project):
    tmp_path, root, home = project
    result, events = audited("--format", "json", "--plugin", "cfn-lint", str(root), cwd=root, home=home)
    assert result.returncode in (0, 1), result.stderr.decode()
    assert [event for event, _ in events if event.startswith(("socket.", "http", "urllib", "ftplib"))] == []


def test_reads_only_what_it_is_given_and_configuration_found_walking_up(project):
    tmp_path, root, home = project
    (tmp_path / "elsewhere.json").write_text(POLICY)
    result, events = audited("--format", "json", "policies/p.json", cwd=root, home=home)
    assert result.returncode == 1, result.stderr.decode()
    python = _python_files()
    reads = {path for event, path in events if event == "read"}
    others = sorted(path for path in reads if not any(os.path.realpath(path).startswith(p + os.sep) for p in python)
                    and not path.startswith(("/dev/", "/proc/", "/sys/", "/etc/")))
    ancestors_configs = {str(folder / name) for folder in [root, *root.parents]
                         for name in (".iamlint.toml", "pyproject.toml")}
    assert all(path == str(root / "policies" / "p.json") or path in ancestors_configs for path in others), others


def test_a_symlink_that_leaves_the_named_folder_is_not_followed(project):
    tmp_path, root, home = project
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text(POLICY)
    try:
        (root / "link.json").symlink_to(outside / "secret.json")
        (root / "policies" / "folder-link").symlink_to(outside, target_is_directory=True)
        (root / "inside-link.json").symlink_to(root / "policies" / "p.json")
    except OSError:
        pytest.skip("cannot make symlinks here")
    for git in (False, True):
        if git:
            subprocess.run(["git", "init", "-q"], cwd=root, check=True)
            subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        result, events = audited("--format", "json", str(root), cwd=tmp_path, home=home)
        assert result.returncode == 1, result.stderr.decode()
        paths = {Path(d["path"]).relative_to(root).as_posix() for d in json.loads(result.stdout)}
        assert paths == {"policies/p.json", "inside-link.json", "template.yaml"}
        assert not [path for event, path in events if event == "read" and path.startswith(str(outside))]


def test_a_cdk_manifest_naming_a_template_outside_the_named_folder_is_not_followed(project):
    tmp_path, root, home = project
    outside = tmp_path / "outside"
    outside.mkdir()
    template = '{"Resources": {"R": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": ' + \
        POLICY.strip() + "}}}}"
    (outside / "Secret.template.json").write_text(template)
    assembly = root / "cdk.out"
    assembly.mkdir()
    (assembly / "Inside.template.json").write_text(template)
    try:
        (assembly / "Linked.template.json").symlink_to(outside / "Secret.template.json")
    except OSError:
        pytest.skip("cannot make symlinks here")
    stacks = {name: {"type": "aws:cloudformation:stack", "properties": {"templateFile": file}}
              for name, file in (("Inside", "Inside.template.json"), ("Up", "../../outside/Secret.template.json"),
                                 ("Linked", "Linked.template.json"))}
    (assembly / "manifest.json").write_text(json.dumps({"version": "40.0.0", "artifacts": stacks}))
    result, events = audited("--format", "json", str(root), cwd=tmp_path, home=home)
    assert result.returncode == 1, result.stderr.decode()
    paths = {Path(d["path"]).relative_to(root).as_posix() for d in json.loads(result.stdout)}
    assert "cdk.out/Inside.template.json" in paths
    assert not {p for p in paths if "Secret" in p or "Linked" in p}
    assert not [path for event, path in events if event == "read" and path.startswith(str(outside))]


TERRAFORM_MAIN = """\
resource "aws_iam_policy" "inside" {{
  policy = file("${{path.module}}/policies/ok.json")
}}

resource "aws_iam_policy" "linked" {{
  policy = file("${{path.module}}/policies/linked.json")
}}

resource "aws_iam_policy" "up" {{
  policy = file("${{path.module}}/../../outside/secret.json")
}}

resource "aws_iam_policy" "absolute" {{
  policy = file("{outside}/secret.json")
}}

resource "aws_iam_policy" "system" {{
  policy = file("/etc/passwd")
}}
"""


@pytest.fixture
def terraform_project(project):
    """A module folder whose file() calls name a file inside it, one through a symlink that leads
    out of the root, one up and out, one by absolute path; a sibling .tf that is a symlink out of
    the root, and a symlinked module folder outside it."""
    tmp_path, root, home = project
    outside = tmp_path / "outside"
    (outside / "module").mkdir(parents=True)
    (outside / "secret.json").write_text(POLICY)
    (outside / "sibling.tf").write_text('resource "aws_iam_user_group_membership" "m" {\n  user = "x"\n}\n')
    (outside / "module" / "main.tf").write_text('resource "aws_iam_policy" "p" {\n  policy = file("p.json")\n}\n')
    (outside / "module" / "p.json").write_text(POLICY)
    infra = root / "infra"
    (infra / "policies").mkdir(parents=True)
    (infra / "main.tf").write_text(TERRAFORM_MAIN.format(outside=outside))
    (infra / "policies" / "ok.json").write_text(POLICY)
    try:
        (infra / "policies" / "linked.json").symlink_to(outside / "secret.json")
        (infra / "linked.tf").symlink_to(outside / "sibling.tf")
        (root / "shared-module").symlink_to(outside / "module", target_is_directory=True)
    except OSError:
        pytest.skip("cannot make symlinks here")
    return tmp_path, root, home, outside


def _terraform_reads(events, root, outside) -> list[str]:
    """The files read that are not Python's, the configuration files, or /proc and friends."""
    python = _python_files()
    configs = {str(folder / name) for folder in [root, *root.parents] for name in (".iamlint.toml", "pyproject.toml")}
    return sorted({path for event, path in events if event == "read"
                   and not any(os.path.realpath(path).startswith(p + os.sep) for p in python)
                   and not path.startswith(("/dev/", "/proc/", "/sys/")) and path not in configs
                   and not (path.startswith("/etc/") and path != "/etc/passwd")})


@pytest.mark.parametrize("named", ["root", "folder", "file"])
def test_terraform_reads_its_module_folder_and_file_targets_only_inside_the_root(terraform_project, named):
    tmp_path, root, home, outside = terraform_project
    infra = root / "infra"
    argv = {"root": [str(root)], "folder": [str(infra)], "file": ["infra/main.tf"]}[named]
    result, events = audited("--format", "json", "--select", "IAM303,IAM406", *argv, cwd=root, home=home)
    assert result.returncode == 1, result.stderr.decode()
    found = {(Path(d["path"]).as_posix().rsplit("project/", 1)[-1], d["line"], d["code"])
             for d in json.loads(result.stdout)}
    # the policy inside is read (through the .tf, or on its own when the run names it); nothing outside
    assert ("infra/policies/ok.json", 1, "IAM303") in found, found
    assert not [f for f in found if "linked" in f[0] or "secret" in f[0] or "shared-module" in f[0]]
    reads = _terraform_reads(events, root, outside)
    assert not [path for path in reads if os.path.realpath(path).startswith(str(outside))], reads
    assert "/etc/passwd" not in reads
    assert {Path(path).relative_to(root).as_posix() for path in reads} <= {
        "infra/main.tf", "infra/policies/ok.json", "policies/p.json", "template.yaml"}, reads


def test_a_template_file_named_in_a_subfolder_does_not_read_the_module_above_the_named_root(terraform_project):
    """`iamlint infra/policies` lints the policy as policy JSON: the module folder that reads it
    is outside the named folder; named outright from the repository (pre-commit), it is found."""
    tmp_path, root, home, outside = terraform_project
    result, events = audited("--format", "json", str(root / "infra" / "policies"), cwd=tmp_path, home=home)
    assert result.returncode == 1, result.stderr.decode()
    reads = _terraform_reads(events, root, outside)
    assert str(root / "infra" / "main.tf") not in reads
    assert not [path for path in reads if os.path.realpath(path).startswith(str(outside))], reads
    result, events = audited("--format", "json", "infra/policies/ok.json", cwd=root, home=home)
    assert result.returncode == 1, result.stderr.decode()
    assert str(root / "infra" / "main.tf") in _terraform_reads(events, root, outside)


def test_a_plan_naming_a_module_source_outside_the_root_is_not_followed(terraform_project):
    tmp_path, root, home, outside = terraform_project
    plans = root / "plans"
    plans.mkdir()
    plan = {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [
                {"address": "module.m.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
                 "values": {"policy": POLICY.strip()}}]}]}},
            "configuration": {"root_module": {"module_calls": {"m": {"source": "../../outside/module", "module": {}}}}}}
    (plans / "plan.json").write_text(json.dumps(plan))
    result, events = audited("--format", "json", str(plans), cwd=tmp_path, home=home)
    assert result.returncode == 1, result.stderr.decode()
    assert {Path(d["path"]).name for d in json.loads(result.stdout)} == {"plan.json"}  # placed in the plan
    reads = _terraform_reads(events, root, outside)
    assert not [path for path in reads if os.path.realpath(path).startswith(str(outside))], reads
