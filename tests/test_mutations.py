"""Broken versions of real files never produce a traceback: every truncation point and many
single-character edits of the examples and fixture templates are linted in one run."""

from __future__ import annotations

import random

from conftest import REPO, run_cli

SOURCES = sorted([*(REPO / "examples").rglob("*.json"), *(REPO / "examples").rglob("*.yaml"),
                  *(p for p in (REPO / "tests" / "fixtures" / "templates").iterdir()
                    if p.suffix in (".json", ".yaml") and ".expected" not in p.name)])
NOISE = ['"', "{", "}", "[", "]", ":", ",", "\n", "  ", "!Ref ", "*", "&a ", "*a", "\t", "\\", "#", "- ", "\x00"]


def test_mutated_files_get_diagnostics_not_tracebacks(tmp_path):
    rng = random.Random(20261130)
    count = 0
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        cuts = sorted({rng.randrange(len(text)) for _ in range(12)})
        variants = [text[:cut] for cut in cuts]
        for _ in range(12):
            at = rng.randrange(len(text))
            variants.append(text[:at] + rng.choice(NOISE) + text[at + rng.randrange(3):])
        for index, variant in enumerate(variants):
            (tmp_path / f"{source.stem}-{index}{source.suffix}").write_text(variant, encoding="utf-8")
            count += 1
    run = run_cli("--isolated", "--format", "json", "--jobs", "1", str(tmp_path))
    assert run.err == "", run.err[-3000:]
    assert run.code in (0, 1)
    assert count > 150 and len({d["path"] for d in run.json()}) > count // 2
