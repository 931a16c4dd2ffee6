"""The real language server over stdio: initialize, open, change, save, hover, as an editor does."""

from __future__ import annotations

import sys
import time

import pytest

from conftest import REPO

pytest.importorskip("pygls")
sys.path.insert(0, str(REPO / "bench"))
from lsp_client import Client  # noqa: E402  (shared with bench/lsp_relint.py)

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'

# a role with a trust policy and an inline policy allowing `action` on every resource
ROLE = ("  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument: {{Version: '2012-10-17', Statement: [{{Effect: Allow, "
        "Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}]}}\n"
        "      Policies:\n        - PolicyName: p{comment}\n"
        "          PolicyDocument: {{Version: '2012-10-17', Statement: [{{Effect: Allow, Action: '{action}', "
        "Resource: '*'}}]}}\n")


@pytest.fixture
def client(tmp_path):
    (tmp_path / ".iamlint.toml").write_text('select = ["IAM303", "IAM304", "IAM401"]\n')
    c = Client(tmp_path)
    ident = c.send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}, request=True)
    reply = c.wait_for(lambda m: m.get("id") == ident)
    assert reply["result"]["serverInfo"]["name"] == "iamlint"
    c.send("initialized", {})
    yield c, tmp_path
    c.close()


def test_diagnostics_on_open_change_and_save(client):
    c, folder = client
    uri = (folder / "policy.json").as_uri()
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": POLICY}})
    found = c.diagnostics(uri)
    assert [(d["code"], d["range"]["start"], d["severity"]) for d in found] == [
        ("IAM303", {"line": 0, "character": 70}, 2), ("IAM304", {"line": 0, "character": 90}, 2)]
    assert found[0]["source"] == "iamlint"
    assert found[0]["codeDescription"]["href"].endswith("docs/rules.md#iam303-service-wildcard")

    fixed = POLICY.replace('"s3:*"', '"s3:GetObject"')
    c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                      "contentChanges": [{"text": fixed}]})
    assert [d["code"] for d in c.diagnostics(uri)] == []  # after the debounce

    c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": POLICY}]})
    c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in c.diagnostics(uri)] == ["IAM303", "IAM304"]


def test_hover_explains_the_diagnostic(client):
    c, folder = client
    uri = (folder / "policy.json").as_uri()
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": POLICY}})
    c.diagnostics(uri)
    ident = c.send("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 72}},
                   request=True)
    reply = c.wait_for(lambda m: m.get("id") == ident)
    text = reply["result"]["contents"]["value"]
    assert text.startswith("**IAM303 service-wildcard**: statement allows every `s3` action (`s3:*`)")
    assert "iamlint rule IAM303" in text


def test_templates_positions_in_utf16_and_config_reload(client):
    c, folder = client
    uri = (folder / "template.yaml").as_uri()
    text = "Description: é🙂\nResources:\n" + ROLE.format(name="R", action="s3:*", comment="  # 🙂 policy")
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    assert sorted(d["code"] for d in c.diagnostics(uri)) == ["IAM303", "IAM304", "IAM401"]
    (folder / ".iamlint.toml").write_text('select = ["IAM401"]\n')
    time.sleep(0.05)
    c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in c.diagnostics(uri)] == ["IAM401"]  # the edited configuration applies


def test_files_that_are_not_policies_get_no_diagnostics(client):
    c, folder = client
    uri = (folder / "package.json").as_uri()
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1,
                                                     "text": '{"name": "app"}'}})
    assert c.diagnostics(uri) == []


def test_columns_are_utf16_code_units_as_lsp_requires(client):
    c, folder = client
    uri = (folder / "emoji.json").as_uri()
    text = '{"Id": "🙂", "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "x"}]}'
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}})
    found = [d for d in c.diagnostics(uri) if d["code"] == "IAM303"]
    code_points = text.index('"s3:*"')  # 0-based, in code points
    assert found[0]["range"]["start"] == {"line": 0, "character": code_points + 1}  # the emoji is two units


def test_edits_of_a_template_move_and_change_its_diagnostics(client):
    c, folder = client
    uri = (folder / "template.yaml").as_uri()
    text = "Resources:\n" + ROLE.format(name="A", action="s3:*", comment="") + \
        ROLE.format(name="B", action="sqs:*", comment="")

    def save(version: int, new_text: str) -> list[tuple[str, int]]:
        c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                          "contentChanges": [{"text": new_text}]})
        c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        return [(d["code"], d["range"]["start"]["line"]) for d in c.diagnostics(uri)]

    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    assert [(d["code"], d["range"]["start"]["line"]) for d in c.diagnostics(uri)] == [
        ("IAM401", 7), ("IAM303", 7), ("IAM304", 7), ("IAM401", 14), ("IAM303", 14), ("IAM304", 14)]
    # lines added above both roles: every diagnostic moves down
    assert save(2, "# owner: team-a\n# reviewed\n" + text) == [
        ("IAM401", 9), ("IAM303", 9), ("IAM304", 9), ("IAM401", 16), ("IAM303", 16), ("IAM304", 16)]
    # the first role fixed: its findings go, the second role's stay
    fixed = "# owner: team-a\n# reviewed\n" + text.replace("'s3:*'", "'s3:GetObject'")
    assert save(3, fixed) == [("IAM401", 9), ("IAM401", 16), ("IAM303", 16), ("IAM304", 16)]


def test_quick_fixes_silence_a_finding_with_a_comment(client):
    c, folder = client
    uri = (folder / "template.yaml").as_uri()
    text = "Resources:\n" + ROLE.format(name="A", action="s3:*", comment="")
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    published = [d for d in c.diagnostics(uri) if d["code"] == "IAM303"]
    ident = c.send("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": published[0]["range"],
                                               "context": {"diagnostics": published}}, request=True)
    actions = c.wait_for(lambda m: m.get("id") == ident)["result"]
    assert [(a["title"], a["kind"]) for a in actions] == [
        ("Ignore IAM303 (service-wildcard) on this line", "quickfix"),
        ("Ignore IAM303 (service-wildcard) in this file", "quickfix")]
    (edit,) = actions[0]["edit"]["changes"][uri]
    line = text.splitlines()[7]
    assert edit == {"range": {"start": {"line": 7, "character": len(line)}, "end": {"line": 7, "character": len(line)}},
                    "newText": "  # iamlint: ignore[IAM303]"}
    lines = text.splitlines(keepends=True)
    lines[7] = line + edit["newText"] + "\n"
    c.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                      "contentChanges": [{"text": "".join(lines)}]})
    c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in c.diagnostics(uri)] == ["IAM401", "IAM304"]  # IAM303 silenced, nothing new


def test_a_changed_configuration_re_lints_the_open_documents(client):
    c, folder = client
    uri = (folder / "template.yaml").as_uri()
    text = "Resources:\n" + ROLE.format(name="A", action="s3:*", comment="")
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    assert [d["code"] for d in c.diagnostics(uri)] == ["IAM401", "IAM303", "IAM304"]
    config = folder / ".iamlint.toml"
    config.write_text('select = ["IAM303"]\n')
    # the editor reports the change on disk; the open template is linted again without being saved
    c.send("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert [d["code"] for d in c.diagnostics(uri)] == ["IAM303"]


def test_the_server_asks_to_watch_configuration_files_when_the_editor_can(tmp_path):
    c = Client(tmp_path)
    ident = c.send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}}, request=True)
    c.wait_for(lambda m: m.get("id") == ident)
    c.send("initialized", {})
    request = c.wait_for(lambda m: m.get("method") == "client/registerCapability")
    (registration,) = request["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    # configuration files, and the files of Terraform module folders (an open .tf reads its siblings)
    assert [w["globPattern"] for w in registration["registerOptions"]["watchers"]] == [
        "**/.iamlint.toml", "**/pyproject.toml", "**/*.tf", "**/*.tofu", "**/*.tf.json", "**/*.tftpl", "**/*.tpl"]
    c.close()


DOCUMENT = """data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
"""


def test_terraform_documents_read_their_module_folder_and_follow_its_changes(tmp_path):
    (tmp_path / ".iamlint.toml").write_text('select = ["IAM303", "IAM108", "IAM109"]\n')
    (tmp_path / "documents.tf").write_text(DOCUMENT)
    c = Client(tmp_path)
    ident = c.send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}, request=True)
    c.wait_for(lambda m: m.get("id") == ident)
    c.send("initialized", {})
    try:
        uri = (tmp_path / "documents.tf").as_uri()
        c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1,
                                                         "text": DOCUMENT}})
        # used by nothing yet: an identity policy, by its content
        assert [(d["code"], d["range"]["start"]) for d in c.diagnostics(uri)] == [
            ("IAM303", {"line": 2, "character": 17})]
        # another file of the folder makes it a role's trust policy: the open document is linted again
        roles = tmp_path / "roles.tf"
        roles.write_text('resource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.p.json\n}\n')
        c.send("workspace/didChangeWatchedFiles", {"changes": [{"uri": roles.as_uri(), "type": 1}]})
        assert [(d["code"], d["range"]["start"]) for d in c.diagnostics(uri)] == [
            ("IAM108", {"line": 1, "character": 2}), ("IAM303", {"line": 2, "character": 17}),
            ("IAM109", {"line": 3, "character": 4})]
    finally:
        c.close()


def test_a_terraform_document_publishes_its_own_findings_and_its_template_its_own(tmp_path):
    (tmp_path / ".iamlint.toml").write_text('select = ["IAM303"]\n')
    main = 'resource "aws_iam_policy" "p" {\n  policy = templatefile("${path.module}/p.json.tpl", {})\n}\n'
    template = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]}\n'
    (tmp_path / "main.tf").write_text(main)
    (tmp_path / "p.json.tpl").write_text(template)
    c = Client(tmp_path)
    ident = c.send("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}, request=True)
    c.wait_for(lambda m: m.get("id") == ident)
    c.send("initialized", {})
    try:
        main_uri, template_uri = (tmp_path / "main.tf").as_uri(), (tmp_path / "p.json.tpl").as_uri()
        c.send("textDocument/didOpen", {"textDocument": {"uri": main_uri, "languageId": "terraform", "version": 1,
                                                         "text": main}})
        assert c.diagnostics(main_uri) == []  # the template's finding is not the .tf's to show
        c.send("textDocument/didOpen", {"textDocument": {"uri": template_uri, "languageId": "plaintext",
                                                         "version": 1, "text": template}})
        found = c.diagnostics(template_uri)
        assert [(d["code"], d["range"]["start"]) for d in found] == [
            ("IAM303", {"line": 0, "character": template.index('"s3:*"')})]
    finally:
        c.close()
