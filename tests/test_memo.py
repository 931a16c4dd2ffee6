"""The server's memo (re-lint only what an edit changed) must give exactly what a fresh lint gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus
from iamlint.config import Config
from iamlint.engine import Linter
from iamlint.incremental import IncrementalLinter
from iamlint.rules import BUILTIN_RULES

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


@pytest.mark.parametrize("name", ["cfn-lint-bad-iam-policy.yaml", "cfn-lint-quickstart-iam.json",
                                  "serverless-patterns-s3-object-lambda.yaml"])
def test_memo_replays_exactly_what_a_fresh_lint_finds(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    remembering = IncrementalLinter(BUILTIN_RULES, Config())
    first = remembering.lint_text(name, text)
    assert remembering.memo  # policies were remembered
    # an edit that moves every line down: the remembered findings must move with their nodes
    if name.endswith(".json"):
        edited = text.replace("{", '{\n"Description": "moved",\n', 1)
    else:
        edited = "# a comment that moves every line\n\n" + text
    remembering.forget(name)  # read the file afresh (a document closed and opened again): only the memo is left
    hits = []
    lookup = remembering._memo_lookup
    remembering._memo_lookup = lambda policy: hits.append(lookup(policy)) or hits[-1]
    replayed = remembering.lint_text(name, edited)
    assert hits and all(h is not None for h in hits)  # every policy came from the memo
    fresh = Linter(BUILTIN_RULES, Config()).lint_text(name, edited)
    assert replayed == fresh
    assert [d.line for d in replayed] != [d.line for d in first]


def check_server_relints(path: Path, versions: list[str]) -> None:
    """A linter set up as the server sets it up, fed one version after another, must find in each
    exactly what a fresh linter finds."""
    server = IncrementalLinter(BUILTIN_RULES, Config())
    for number, version in enumerate(versions):
        assert server.lint_text(str(path), version) == Linter(BUILTIN_RULES, Config()).lint_text(str(path), version), \
            f"{path.name}, version {number}"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")))
def test_a_server_finds_after_each_edit_what_a_fresh_lint_finds(name):
    from test_yaml_incremental import edits

    path = FIXTURES / name
    check_server_relints(path, edits(path.read_text(encoding="utf-8")))


@needs_corpus
def test_a_server_finds_after_each_edit_what_a_fresh_lint_finds_on_the_corpus():
    from test_yaml_incremental import edits

    paths = sorted(p for p in (CORPUS / "cloudformation").rglob("*") if p.is_file())[::4]
    for path in paths:
        check_server_relints(path, edits(path.read_text(encoding="utf-8", errors="replace"), places=(0.3, 0.6)))


def test_a_message_that_names_a_line_follows_the_line():
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: [s3:GetObject, s3:GetObject], Resource: "*"}
"""
    server = IncrementalLinter(BUILTIN_RULES, Config())
    messages = [[d.message for d in server.lint_text("t.yaml", version) if d.code == "IAM206"]
                for version in (text, "# one line more\n" + text, text.replace("Role:", "Role:\n    # and one more"))]
    assert messages == [["`s3:GetObject` is already listed (line 10)"], ["`s3:GetObject` is already listed (line 11)"],
                        ["`s3:GetObject` is already listed (line 11)"]]
