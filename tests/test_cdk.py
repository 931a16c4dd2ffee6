"""AWS CDK cloud assemblies: a named `cdk.out` is linted although git ignores it, through its
manifest only; every finding names its construct and, where synth recorded it, the line of the
app that created it. The assemblies are real `cdk synth` output (tests/fixtures/cdk/README.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_main

FIXTURES = Path(__file__).parent / "fixtures" / "cdk"


def _git_repository(folder: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)


@pytest.fixture
def app(tmp_path):
    """The TypeScript app with its `cdk init` .gitignore (which lists cdk.out) in a fresh git
    repository, cdk.out untracked and ignored, as after `cdk synth` in a CI checkout."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "iam-demo"
    shutil.copytree(FIXTURES / "iam-demo-ts", folder)
    assert "cdk.out" in (folder / ".gitignore").read_text().split()
    _git_repository(folder)
    return folder


def test_a_named_cdk_out_is_linted_although_git_ignores_it_and_names_its_constructs(app):
    run = run_main("--isolated", "cdk.out", cwd=app)
    assert run.code == 1
    lines = run.lines
    assert lines[-1] == ("iamlint: 18 problems (4 errors, 14 warnings) in 2 files, 10 policies, 2 files checked; "
                         "cdk.out is ignored by git; linted because it was named")
    assert lines[2] == ("cdk.out/IamDemoStack.template.json:50:18: IAM301 statement allows every action (`*`) on every "
                        "resource (`*`): full administrator access (construct "
                        "`IamDemoStack/AdminRole/DefaultPolicy/Resource`) (full-admin)")
    assert all("(construct `" in line for line in lines[:-1])
    # the nested assembly of the `Prod` stage is followed
    assert lines[-2].startswith("cdk.out/assembly-Prod/ProdAuditStack9085D812.template.json:20:7: IAM401 ")
    assert lines[-2].endswith("(construct `Prod/AuditStack/AuditRole/Resource`) (inline-policy)")


def test_dot_keeps_honouring_gitignore(app):
    run = run_main("--isolated", ".", cwd=app)
    # cdk.json, package.json, tsconfig.json
    assert (run.code, run.out) == (0, "iamlint: no problems in 0 policies, 3 files checked\n")


def test_json_gives_the_construct_path_and_the_line_of_the_app_that_made_it(app):
    rows = run_main("--isolated", "--format", "json", "--select", "IAM301,IAM401,IAM504", "cdk.out", cwd=app).json()
    found = [(d["path"].rsplit("/", 1)[-1], d["line"], d["column"], d["code"], d["construct_path"],
              [(r["path"], r["line"], r["column"], r["message"]) for r in d.get("related", [])]) for d in rows]
    stack = "lib/iam-demo-stack.ts"
    assert found == [
        ("IamDemoStack.template.json", 47, 5, "IAM401", "IamDemoStack/AdminRole/DefaultPolicy/Resource",
         [(stack, 20, 15, "`IamDemoStack/AdminRole/DefaultPolicy/Resource` created here")]),
        ("IamDemoStack.template.json", 50, 18, "IAM301", "IamDemoStack/AdminRole/DefaultPolicy/Resource",
         [(stack, 20, 15, "`IamDemoStack/AdminRole/DefaultPolicy/Resource` created here")]),
        # `bucket.grantRead(fn)` makes this policy too deep inside the CDK for a frame of the app:
        # the role that holds it was made by `new lambda.Function` (line 59)
        ("IamDemoStack.template.json", 261, 5, "IAM401", "IamDemoStack/Handler/ServiceRole/DefaultPolicy/Resource",
         [(stack, 59, 16, "`IamDemoStack/Handler/ServiceRole` created here")]),
        ("IamDemoStack.template.json", 377, 5, "IAM401", "IamDemoStack/DeployUser/DefaultPolicy/Resource",
         [(stack, 70, 10, "`IamDemoStack/DeployUser/DefaultPolicy/Resource` created here")]),
        ("IamDemoStack.template.json", 402, 12, "IAM504", "IamDemoStack/DeployUserKey/Resource",
         [(stack, 78, 5, "`IamDemoStack/DeployUserKey/Resource` created here")]),
        ("ProdAuditStack9085D812.template.json", 20, 7, "IAM401", "Prod/AuditStack/AuditRole/Resource",
         [("lib/prod-stage.ts", 10, 5, "`Prod/AuditStack/AuditRole/Resource` created here")]),
    ]
    assert (app / stack).read_text().split("\n")[19][14:].startswith("addToPolicy(")


def test_inline_policy_speaks_cdk(app):
    row = run_main("--isolated", "--format", "json", "--select", "IAM401", "cdk.out", cwd=app).json()[0]
    assert row["message"].startswith("inline policy in `AdminRoleDefaultPolicy1C2AB961`; for a customer managed policy "
                                     "that can be reused, versioned and reviewed on its own, put these statements in a "
                                     "`new iam.ManagedPolicy(...)`")


def test_sarif_has_a_logical_location_and_the_related_frame(app):
    from jsonschema import Draft7Validator

    log = json.loads(run_main("--isolated", "--format", "sarif", "--select", "IAM504", "cdk.out", cwd=app).out)
    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
    assert not list(Draft7Validator(schema).iter_errors(log))
    result, = log["runs"][0]["results"]
    assert result["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "IamDemoStack/DeployUserKey/Resource", "kind": "resource"}]
    related, = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "lib/iam-demo-stack.ts"
    assert related["physicalLocation"]["region"]["startLine"] == 78


def test_an_assembly_is_read_through_its_manifest_only(app):
    # a policy file among the assets (a Lambda's code) and tree.json are not linted; the templates are
    asset = next((app / "cdk.out").glob("asset.*"))
    (asset / "policy.json").write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", '
                                       '"Resource": "*"}]}')
    run = run_main("--isolated", "--format", "json", "--select", "IAM301", "cdk.out", cwd=app)
    assert {d["path"] for d in run.json()} == {"cdk.out/IamDemoStack.template.json"}
    # tracked (not ignored) and met while walking a folder: read the same way
    subprocess.run(["git", "add", "-f", "cdk.out"], cwd=app, check=True)
    run = run_main("--isolated", "--format", "json", "--select", "IAM301", ".", cwd=app)
    assert {d["path"] for d in run.json()} == {"cdk.out/IamDemoStack.template.json"}
    assert "ignored by git" not in run_main("--isolated", ".", cwd=app).out


@pytest.mark.parametrize(("assembly", "expected"), [
    # Python, `cdk synth --debug`: jsii appends the Python frames (no column) after the JS ones
    ("iam-demo-py/cdk.out-debug", [("IamDemoStack/AdminRole/DefaultPolicy/Resource", "iam-demo-py/iam_demo/iam_demo_stack.py", 26, 1),
                                   ("IamDemoStack/Handler/ServiceRole/DefaultPolicy/Resource", "iam-demo-py/iam_demo/iam_demo_stack.py", 74, 1),
                                   ("IamDemoStack/DeployUser/DefaultPolicy/Resource", "iam-demo-py/iam_demo/iam_demo_stack.py", 80, 1)]),
    # aws-cdk-lib 2.100.0 `--debug`: metadata in manifest.json, raw V8 `trace` (node_modules, node: frames first)
    ("legacy-v2100-ts/cdk.out-debug", [("LegacyV2100Stack/AdminRole/DefaultPolicy/Resource",
                                        "legacy-v2100-ts/lib/legacy-v2100-stack.ts", 13, 15)]),
    # aws-cdk-lib 2.100.0 without `--debug`: construct paths, no trace
    ("legacy-v2100-ts/cdk.out", [("LegacyV2100Stack/AdminRole/DefaultPolicy/Resource", None, None, None)]),
])
def test_every_assembly_format(assembly, expected):
    rows = run_main("--isolated", "--format", "json", "--select", "IAM401", assembly, cwd=FIXTURES).json()
    assert [(d["construct_path"], *((r["path"], r["line"], r["column"]) if (r := (d.get("related") or [None])[0]) else
                                    (None, None, None))) for d in rows] == expected


def test_a_template_named_outright_is_mapped_too(tmp_path):
    shutil.copytree(FIXTURES / "legacy-v2100-ts", tmp_path / "app")
    run = run_main("--isolated", "--format", "json", "--select", "IAM301",
                   "app/cdk.out-debug/LegacyV2100Stack.template.json", cwd=tmp_path)
    row, = run.json()
    assert row["construct_path"] == "LegacyV2100Stack/AdminRole/DefaultPolicy/Resource"
    assert row["related"][0]["path"] == "app/lib/legacy-v2100-stack.ts"


def test_without_path_metadata_the_manifest_maps_logical_ids_to_constructs(tmp_path):
    # `cdk synth --no-path-metadata` leaves `aws:cdk:path` out of the template
    shutil.copytree(FIXTURES / "legacy-v2100-ts" / "cdk.out-debug", tmp_path / "cdk.out")
    template = tmp_path / "cdk.out" / "LegacyV2100Stack.template.json"
    data = json.loads(template.read_text())
    for resource in data["Resources"].values():
        resource.pop("Metadata", None)
    template.write_text(json.dumps(data, indent=1))
    row, = run_main("--isolated", "--format", "json", "--select", "IAM301", "cdk.out", cwd=tmp_path).json()
    assert row["construct_path"] == "LegacyV2100Stack/AdminRole/DefaultPolicy/Resource"
    assert "related" not in row  # the app's sources are not here


def test_a_template_that_is_not_synthesized_is_unchanged(write):
    path = write("app.template.json", json.dumps({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}}}}))
    row, = run_main("--isolated", "--format", "json", "--select", "IAM301", str(path)).json()
    assert "construct_path" not in row and "related" not in row and "construct" not in row["message"]


@pytest.mark.parametrize(("frame", "kept"), [
    ("new IamDemoStack (/synth/app/lib/iam-demo-stack.ts:20:15)", ("lib/iam-demo-stack.ts", 20, 15)),
    ("/synth/app/lib/iam-demo-stack.ts:20:15", ("lib/iam-demo-stack.ts", 20, 15)),  # no function name
    ("Object.require.extensions.<computed> [as .ts] (/synth/app/lib/iam-demo-stack.ts:3:1)", ("lib/iam-demo-stack.ts", 3, 1)),
    ("__init__ (/synth/app/lib/iam-demo-stack.ts:7)", ("lib/iam-demo-stack.ts", 7, 1)),  # Python: no column
    ("new Role (C:\\synth\\app\\lib\\iam-demo-stack.ts:20:10)", ("lib/iam-demo-stack.ts", 20, 10)),
    ("new Policy (/synth/app/node_modules/aws-cdk-lib/aws-iam/lib/policy.js:1:1565)", None),
    ("Module._compile (node:internal/modules/cjs/loader:1521:14)", None),
    ("internal/modules/cjs/loader.js:1068:30", None),
    ("...aws-cdk-lib, jsii runtime, node internals...", None),
    ("(no user code in 10 frames, use --stack-trace-limit to capture more)", None),
    ("helper (/usr/lib/python3/site-packages/lib/iam-demo-stack.ts:1:1)", None),
    ("new Other (/synth/app/lib/not-here.ts:1:1)", None),  # not a file of this checkout
    ("relative/lib/iam-demo-stack.ts:1:1", None),
])
def test_which_frames_are_the_apps_own(tmp_path, monkeypatch, frame, kept):
    from iamlint.readers.cdk import _Sources

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "iam-demo-stack.ts").write_text("")
    (tmp_path / "cdk.out").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _Sources("cdk.out", "cdk.out/S.template.json").frame(frame) == kept


def test_inline_policy_can_be_accepted_for_the_assembly_or_for_one_policy(app):
    (app / ".iamlint.toml").write_text('per-file-ignores = { "cdk.out/*" = ["IAM401"] }\n')
    assert "IAM401" not in {d["code"] for d in run_main("--format", "json", "cdk.out", cwd=app).json()}
    (app / ".iamlint.toml").unlink()
    # `addMetadata('iamlint', {ignore: ['IAM401']})` on the CfnPolicy, as synth writes it
    template = app / "cdk.out" / "IamDemoStack.template.json"
    data = json.loads(template.read_text())
    data["Resources"]["AdminRoleDefaultPolicy1C2AB961"]["Metadata"]["iamlint"] = {"ignore": ["IAM401"]}
    template.write_text(json.dumps(data, indent=1))
    rows = run_main("--isolated", "--format", "json", "--select", "IAM401", "cdk.out", cwd=app).json()
    assert [d["construct_path"] for d in rows] == [
        "IamDemoStack/Handler/ServiceRole/DefaultPolicy/Resource", "IamDemoStack/DeployUser/DefaultPolicy/Resource",
        "Prod/AuditStack/AuditRole/Resource"]
