"""The real pre-commit, installing this repository's hooks from .pre-commit-hooks.yaml into its own
environment (a non-editable install: schemas must ship inside the package) and running them on a
temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

BAD = '''{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]
}
'''
TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DeployKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Deployer
"""
GOOD = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"}]}\n'


def _pre_commit(folder: Path, home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    exe = Path(sys.executable).with_name("pre-commit")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "pre_commit"]
    return subprocess.run([*command, *argv], cwd=folder, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path_factory.mktemp("project")
    (folder / "policies").mkdir()
    (folder / "policies" / "bad.json").write_text(BAD)
    (folder / "policies" / "good.json").write_text(GOOD)
    (folder / "package.json").write_text('{"name": "app", "version": "1.0.0"}\n')
    (folder / "infra").mkdir()
    (folder / "infra" / "app.yaml").write_text(TEMPLATE)
    for argv in (["init", "-q"], ["config", "user.email", "t@example.com"], ["config", "user.name", "t"],
                 ["add", "."]):
        subprocess.run(["git", *argv], cwd=folder, check=True, capture_output=True)
    return folder, tmp_path_factory.mktemp("pre-commit-home")


def test_hook_reports_the_exact_element_and_fails(project):
    folder, home = project
    result = _pre_commit(folder, home, "try-repo", str(REPO), "iamlint", "--all-files", "--verbose")
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("policies/bad.json:3:28: IAM104 `Effect` must be `\"Allow\"` or `\"Deny\"`, got `\"Permit\"` "
            "(invalid-effect)") in result.stdout
    assert "policies/good.json:" not in result.stdout
    assert "package.json:" not in result.stdout
    assert "infra/app.yaml:4:11: IAM504 `DeployKey` creates a long-lived access key" in result.stdout


def test_cloudformation_hook_reads_templates_only(project):
    folder, home = project
    result = _pre_commit(folder, home, "try-repo", str(REPO), "iamlint-cloudformation", "--all-files", "--verbose")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "infra/app.yaml:4:11: IAM504 " in result.stdout
    assert "bad.json" not in result.stdout


def test_hook_passes_on_good_and_unrelated_files(project):
    folder, home = project
    result = _pre_commit(folder, home, "try-repo", str(REPO), "iamlint-policies", "--files",
                         "policies/good.json", "package.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_git_commit_of_a_bad_policy_is_refused_and_a_fixed_one_lands(tmp_path):
    """The way users meet the hook: `.pre-commit-config.yaml` pointing at this repository (its
    committed HEAD), `pre-commit install`, then `git commit`."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    folder, home = tmp_path / "repo", tmp_path / "home"
    (folder / "policies").mkdir(parents=True)
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head.stdout.strip()}\n    hooks:\n      - id: iamlint\n")
    (folder / "policies" / "bad.json").write_text(BAD)
    git = lambda *argv: subprocess.run(["git", *argv], cwd=folder, capture_output=True, text=True)  # noqa: E731
    for argv in (["init", "-q"], ["config", "user.email", "t@example.com"], ["config", "user.name", "t"]):
        git(*argv)
    installed = _pre_commit(folder, home, "install")
    assert installed.returncode == 0, installed.stderr
    git("add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    commit = subprocess.run(["git", "commit", "-qm", "add policy"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=600)
    assert commit.returncode != 0
    assert "policies/bad.json:3:28: IAM104 " in commit.stdout + commit.stderr
    assert git("rev-parse", "--verify", "HEAD").returncode != 0  # nothing was committed
    (folder / "policies" / "bad.json").write_text(BAD.replace("Permit", "Allow").replace('"*"', '"arn:aws:s3:::r/*"'))
    git("add", ".")
    commit = subprocess.run(["git", "commit", "-qm", "add policy"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=600)
    assert commit.returncode == 0, commit.stdout + commit.stderr


TERRAFORM_DOCUMENTS = '''data "aws_iam_policy_document" "trust" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
  }
}
'''
TERRAFORM_ROLES = '''resource "aws_iam_role" "ci" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
'''
TERRAFORM_CLEAN = '''resource "aws_iam_policy" "read" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
'''


@pytest.fixture(scope="module")
def terraform_project(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path_factory.mktemp("terraform")
    (folder / "infra").mkdir()
    (folder / "infra" / "documents.tf").write_text(TERRAFORM_DOCUMENTS)
    (folder / "infra" / "roles.tf").write_text(TERRAFORM_ROLES)
    (folder / "clean").mkdir()
    (folder / "clean" / "main.tf").write_text(TERRAFORM_CLEAN)
    for argv in (["init", "-q"], ["config", "user.email", "t@example.com"], ["config", "user.name", "t"],
                 ["add", "."]):
        subprocess.run(["git", *argv], cwd=folder, check=True, capture_output=True)
    return folder, tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.parametrize("hook", ["iamlint", "iamlint-terraform"])
def test_terraform_hooks_report_a_changed_file_with_its_module_folder(terraform_project, hook):
    """pre-commit passes the changed file only: the document is a trust policy because of the
    other file of its folder, which is read but not reported on."""
    folder, home = terraform_project
    result = _pre_commit(folder, home, "try-repo", str(REPO), hook, "--files", "infra/documents.tf", "--verbose")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "infra/documents.tf:4:5: IAM109 `Resource` is not allowed in a trust policy" in result.stdout
    assert "roles.tf:" not in result.stdout


@pytest.mark.parametrize("hook", ["iamlint", "iamlint-terraform"])
def test_terraform_hooks_pass_a_clean_file(terraform_project, hook):
    folder, home = terraform_project
    result = _pre_commit(folder, home, "try-repo", str(REPO), hook, "--files", "clean/main.tf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
