"""The language server stays responsive and alive: a long lint runs off the message loop and never
holds up requests or other documents, a newer version cancels the stale lint, a document past
its time budget shows what was found and says so, and one document's failure is one diagnostic
(and a log message) while the server goes on. The real server, over stdio."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from conftest import REPO

pytest.importorskip("pygls")
sys.path.insert(0, str(REPO / "bench"))
from lsp_client import Client  # noqa: E402

SMALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\n'


def _large(policies: int = 500) -> str:
    """A template of 500 policies: with the rule made slow (SLOW), 10 s of linting."""
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        f"P{i}": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}
        for i in range(policies)}}, indent=1)


# iamlint's server with one rule made to take 20 ms a policy: long lints, whatever the machine
SLOW = ("import sys, time\n"
        "from iamlint.rules.privilege.service_wildcard import ServiceWildcard\n"
        "check = ServiceWildcard.check\n"
        "def slow(self, policy, ctx):\n"
        "    time.sleep(0.02)\n"
        "    return check(self, policy, ctx)\n"
        "ServiceWildcard.check = slow\n"
        "from iamlint.cli import main\n"
        "sys.exit(main(['server']))\n")


def _start(folder, command=None, **env) -> Client:
    client = Client(folder, command=command, env={**os.environ, **env})
    ident = client.send("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}},
                        request=True)
    client.wait_for(lambda m: m.get("id") == ident)
    client.send("initialized", {})
    return client


def _open(client: Client, uri: str, text: str, version: int = 1) -> None:
    client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": version,
                                                          "text": text}})


def _published(client: Client, timeout: float = 60) -> dict:
    return client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=timeout)["params"]


def test_a_long_lint_holds_up_neither_requests_nor_other_documents(tmp_path):
    client = _start(tmp_path, command=[sys.executable, "-c", SLOW], IAMLINT_SERVER_BUDGET="3")
    try:
        large, small = (tmp_path / "large.json").as_uri(), (tmp_path / "small.json").as_uri()
        _open(client, large, _large())
        time.sleep(0.3)  # the large one is being linted
        _open(client, small, SMALL)
        started = time.monotonic()
        ident = client.send("textDocument/hover", {"textDocument": {"uri": small},
                                                   "position": {"line": 0, "character": 72}}, request=True)
        seen = []  # what arrives, in order: the hover's reply and each document's diagnostics
        while len(seen) < 3:
            message = client.wait_for(lambda m: m.get("id") == ident
                                      or m.get("method") == "textDocument/publishDiagnostics", timeout=60)
            seen.append(("hover", time.monotonic() - started) if message.get("id") == ident else
                        (message["params"]["uri"], time.monotonic() - started))
        assert [what for what, _ in seen[2:]] == [large]  # the large document's diagnostics came last
        assert all(seconds < 5 for _, seconds in seen[:2]), seen  # the hover and the small document did not wait
    finally:
        client.close()


def test_a_newer_version_cancels_the_stale_lint(tmp_path):
    client = _start(tmp_path, command=[sys.executable, "-c", SLOW])
    try:
        uri = (tmp_path / "policy.json").as_uri()
        _open(client, uri, _large())
        time.sleep(0.3)
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                               "contentChanges": [{"text": SMALL}]})
        client.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        published = _published(client)
        assert published["version"] == 2  # version 1's diagnostics were never sent
        assert {d["code"] for d in published["diagnostics"]} >= {"IAM303"}
    finally:
        client.close()


def test_past_its_time_budget_a_document_shows_what_was_found_and_says_so(tmp_path):
    # 500 policies take 10 s, far past a budget of 2 s
    client = _start(tmp_path, command=[sys.executable, "-c", SLOW], IAMLINT_SERVER_BUDGET="2")
    try:
        text = _large()
        uri = (tmp_path / "template.json").as_uri()
        _open(client, uri, text)
        found = _published(client)["diagnostics"]
        stopped = [d for d in found if d["code"] == "IAM007"]
        assert len(stopped) == 1 and "after 2 s (the language server's time budget)" in stopped[0]["message"]
        checked = [d["range"]["start"]["line"] for d in found if d["code"] == "IAM303"]
        line = stopped[0]["range"]["start"]["line"]  # the policy it stopped in (one policy is 20 lines)
        assert checked and max(checked) < line + 20 and line < text.count("\n") - 100
    finally:
        client.close()


CRASHING = ("import sys\n"
            "from iamlint.readers.policy_json import PolicyJSONReader\n"
            "read = PolicyJSONReader.read\n"
            "def failing(self, source, memory=None):\n"
            "    if 'boom' in source.path:\n"
            "        raise RuntimeError('a deliberate failure')\n"
            "    return read(self, source, memory)\n"
            "PolicyJSONReader.read = failing\n"
            "import iamlint.server\n"
            "to_lsp = iamlint.server.to_lsp\n"
            "def failing_to_lsp(found, text, *rest):\n"
            "    if 'kaput' in text:\n"
            "        raise ValueError('a deliberate failure')\n"
            "    return to_lsp(found, text, *rest)\n"
            "iamlint.server.to_lsp = failing_to_lsp\n"
            "from iamlint.cli import main\n"
            "sys.exit(main(['server']))\n")


def test_one_documents_failure_is_one_diagnostic_and_the_server_goes_on(tmp_path):
    client = _start(tmp_path, command=[sys.executable, "-c", CRASHING])
    try:
        boom = (tmp_path / "boom.json").as_uri()
        _open(client, boom, SMALL)
        (failure,) = _published(client)["diagnostics"]  # inside the engine: IAM000, as on the command line
        assert failure["code"] == "IAM000" and "RuntimeError (a deliberate failure)" in failure["message"]
        kaput = (tmp_path / "kaput.json").as_uri()
        _open(client, kaput, SMALL.replace('"Version"', '"Id": "kaput", "Version"'))
        log = client.wait_for(lambda m: m.get("method") == "window/logMessage" and m["params"]["type"] == 1)
        assert "ValueError: a deliberate failure" in log["params"]["message"]  # the traceback, in the log
        (failure,) = _published(client)["diagnostics"]
        assert failure["code"] == "IAM000" and "ValueError" in failure["message"]
        fine = (tmp_path / "fine.json").as_uri()
        _open(client, fine, SMALL)
        assert "IAM303" in {d["code"] for d in _published(client)["diagnostics"]}  # still serving
    finally:
        client.close()


def test_a_surrogate_sent_by_the_editor_is_a_diagnostic(tmp_path):
    client = _start(tmp_path)
    try:
        uri = (tmp_path / "template.yaml").as_uri()
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": "Resources: \ud800\n"}})
        (found,) = _published(client)["diagnostics"]
        assert found["code"] == "IAM003" and "lone surrogate" in found["message"]
    finally:
        client.close()
