"""iamlint's positions against cfn-lint's, the yardstick for positions in templates.

cfn-lint's decoder keeps a start mark on every key and string it reads. Walking both trees side by
side, every key and every string value must start at the same line and column in both. This runs
over the fixture templates always, and over the corpus's cloudformation/ when the corpus is given (conftest.CORPUS).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus
from iamlint.parsers.json_parser import parse_json
from iamlint.parsers.yaml_parser import parse_yaml

decode = pytest.importorskip("cfnlint.decode").decode

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


def _start(value):
    mark = getattr(value, "start_mark", None)
    return None if mark is None else (mark.line + 1, mark.column + 1)


def _compare(ours, theirs, path, mismatches, counter):
    """Walk both trees; record (path, what, cfn-lint's position, ours) where they differ."""
    if isinstance(theirs, dict) and ours.is_mapping:
        items = [(str(k), k, v) for k, v in theirs.items()]
        for name, key, value in items:
            child = ours.value.get(name)
            if child is None:
                continue
            for what, their_node, our_node in (("key", key, child.key), ("value", value, child)):
                if isinstance(their_node, str) and _start(their_node) and our_node is not None \
                        and (what == "key" or our_node.is_string):
                    counter[0] += 1
                    if _start(their_node) != (our_node.span.line, our_node.span.column):
                        mismatches.append((path + (name,), what, _start(their_node), our_node.span[:2]))
            _compare(child, value, path + (name,), mismatches, counter)
    elif isinstance(theirs, list) and ours.is_sequence:
        for index, (our_item, their_item) in enumerate(zip(ours.value, theirs, strict=False)):
            if isinstance(their_item, str) and _start(their_item) and our_item.is_string:
                counter[0] += 1
                if _start(their_item) != (our_item.span.line, our_item.span.column):
                    mismatches.append((path + (index,), "item", _start(their_item), our_item.span[:2]))
            _compare(our_item, their_item, path + (index,), mismatches, counter)


def _check(paths):
    compared, checked, counter = 0, 0, [0]
    for path in paths:
        theirs, matches = decode(str(path))
        if theirs is None:  # cfn-lint could not read it either
            continue
        text = path.read_text(encoding="utf-8")
        ours = (parse_json(text) if text.lstrip().startswith("{") else parse_yaml(text)).root
        mismatches: list = []
        _compare(ours, theirs, (), mismatches, counter)
        assert not mismatches, f"{path.name}: {mismatches[:5]}"
        checked += 1
    compared = counter[0]
    return checked, compared


def test_positions_match_cfn_lint_on_the_fixture_templates():
    checked, compared = _check(sorted(p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")
                                      and ".expected" not in p.name))
    assert checked == 5 and compared > 500


@needs_corpus
def test_positions_match_cfn_lint_on_the_corpus():
    paths = sorted(p for p in (CORPUS / "cloudformation").rglob("*") if p.is_file())
    checked, compared = _check(paths)
    assert checked > 500 and compared > 50_000
