"""The GitHub Action's run step (scripts/action-run.sh) as GitHub runs it: inputs in the
environment, GITHUB_ACTIONS=true, an output file for step outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

SCRIPT = REPO / "scripts" / "action-run.sh"
BAD = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::r/*"}]}\n'

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the action's step is a bash script")


def run_step(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict]:
    outputs = tmp_path / "github-output"
    outputs.write_text("")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs),
           "IAMLINT": str(Path(sys.executable).with_name("iamlint"))}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    result = subprocess.run(["bash", str(SCRIPT)], cwd=tmp_path, env=env, capture_output=True, text=True)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return result, values


def test_findings_fail_the_step_with_annotations_and_sarif(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.json").write_text(BAD)
    result, outputs = run_step(tmp_path, paths="policies", sarif_file="iamlint.sarif", fail_on="warning")
    assert result.returncode == 1 and outputs == {"exit-code": "1"}
    assert result.stdout.splitlines()[0].startswith("::warning file=policies/p.json,line=1,col=71,")
    assert "policies/p.json:1:71: IAM303 " in result.stdout
    sarif = json.loads((tmp_path / "iamlint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["IAM303", "IAM501"]


def test_fail_on_error_lets_warnings_pass(tmp_path):
    (tmp_path / "p.json").write_text(BAD)
    result, outputs = run_step(tmp_path, paths=".", fail_on="error", format="json")
    assert result.returncode == 0 and outputs == {"exit-code": "0"}
    assert json.loads(result.stdout)[0]["code"] == "IAM303"


def test_action_yml_declares_the_inputs_the_step_reads():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert set(action["inputs"]) == {"paths", "format", "config", "version", "sarif-file", "fail-on"}
    assert action["runs"]["using"] == "composite"
    run_env = action["runs"]["steps"][1]["env"]
    assert {k for k in run_env if k.startswith("INPUT_")} == {
        "INPUT_PATHS", "INPUT_FORMAT", "INPUT_CONFIG", "INPUT_SARIF_FILE", "INPUT_FAIL_ON"}
