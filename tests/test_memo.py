"""The server's memo (re-lint only what an edit changed) must give exactly what a fresh lint gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamlint.config import Config
from iamlint.engine import Linter
from iamlint.rules import BUILTIN_RULES

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


@pytest.mark.parametrize("name", ["cfn-lint-bad-iam-policy.yaml", "cfn-lint-quickstart-iam.json",
                                  "serverless-patterns-s3-object-lambda.yaml"])
def test_memo_replays_exactly_what_a_fresh_lint_finds(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    remembering = Linter(BUILTIN_RULES, Config())
    remembering.memo = {}
    first = remembering.lint_text(name, text)
    assert remembering.memo  # policies were remembered
    # an edit that moves every line down: the remembered findings must move with their nodes
    if name.endswith(".json"):
        edited = text.replace("{", '{\n"Description": "moved",\n', 1)
    else:
        edited = "# a comment that moves every line\n\n" + text
    hits = []
    lookup = remembering._memo_lookup
    remembering._memo_lookup = lambda policy: hits.append(lookup(policy)) or hits[-1]
    replayed = remembering.lint_text(name, edited)
    assert hits and all(h is not None for h in hits)  # every policy came from the memo
    fresh = Linter(BUILTIN_RULES, Config()).lint_text(name, edited)
    assert replayed == fresh
    assert [d.line for d in replayed] != [d.line for d in first]
