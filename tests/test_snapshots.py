"""Real templates from public repositories: iamlint's complete JSON output, reviewed and kept.

A change in what iamlint reports for them shows up as a diff of the `.expected.json` files;
`IAMLINT_UPDATE_SNAPSHOTS=1` rewrites them after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_main

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
TEMPLATES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json") and ".expected" not in p.name)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_template_snapshot(template):
    run = run_main("--isolated", "--format", "json", template.name, cwd=FIXTURES)
    assert run.code in (0, 1), run.err
    expected_file = template.with_name(template.name + ".expected.json")
    if os.environ.get("IAMLINT_UPDATE_SNAPSHOTS"):
        expected_file.write_text(run.out, encoding="utf-8")
    assert json.loads(run.out) == json.loads(expected_file.read_text(encoding="utf-8"))
    assert run.out == expected_file.read_text(encoding="utf-8")  # the bytes too: output is stable
