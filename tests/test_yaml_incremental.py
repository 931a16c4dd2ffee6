"""Re-reading an edited template piece by piece must give exactly the tree a whole parse gives:
the same values, the same positions of every value and key, the same duplicate keys, the same
errors. Checked on the fixture templates and on hand-written edge cases always, on every
template of the corpus when it is next to this clone, each before and after a series of edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus
from iamlint.parsers.json_parser import ParseError
from iamlint.parsers.yaml_incremental import IncrementalYAML
from iamlint.parsers.yaml_parser import parse_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


def shape(parsed) -> tuple:
    """Everything a parse gives, positions included, as plain data."""
    def node(n) -> tuple:
        value = n.value
        if type(value) is dict:
            value = tuple((name, node(child)) for name, child in value.items())
        elif type(value) is list:
            value = tuple(node(child) for child in value)
        key = None if n.key is None else (n.key.value, tuple(n.key.span))
        return (type(n.value).__name__, value, tuple(n.span), key)

    duplicates = sorted((tuple(a.span), tuple(b.span)) for a, b in parsed.duplicates)
    return node(parsed.root), duplicates


def outcome(parse, text: str):
    try:
        return shape(parse(text))
    except ParseError as error:
        return ("error", error.code, error.offset, error.message)


def edits(text: str, places: tuple[float, ...] = (0.25, 0.5, 0.75)) -> list[str]:
    """A version, then edits of it: lines added, removed, changed, duplicated, and back again."""
    lines = text.split("\n")
    versions = [text]
    for at in sorted({int(len(lines) * place) for place in places}):
        versions += ["\n".join(lines[:at] + ["# a note"] + lines[at:]),
                     "\n".join(lines[:at] + lines[at + 1:]),
                     "\n".join(lines[:at] + [lines[at] + "x"] + lines[at + 1:]),
                     "\n".join(lines[:at] + [lines[at], lines[at]] + lines[at + 1:])]
    return versions + [text]


def check_versions(versions: list[str]) -> None:
    reader = IncrementalYAML()
    for number, version in enumerate(versions):
        assert outcome(reader.parse, version) == outcome(parse_yaml, version), f"version {number}:\n{version}"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.yaml")))
def test_pieces_give_what_a_whole_parse_gives_on_the_fixtures(name):
    check_versions(edits((FIXTURES / name).read_text(encoding="utf-8")))


CUT = {
    "no final newline": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::S3::Bucket",
    "comments between and after": "# head\nResources:\n  # about A\n  A:\n    Type: X\n# left margin\n\n  B:\n"
                                  "    Type: Y\n    # trailing\n\nOutputs:\n  O:\n    Value: 1\n# end\n",
    "empty resources": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\nOutputs: {}\n",
    "duplicate logical ids": "Resources:\n  A:\n    Type: X\n  B:\n    Type: Y\n  A:\n    Type: Z\n",
    "duplicate top-level keys": "Resources:\n  A:\n    Type: X\nResources:\n  B:\n    Type: Y\n",
    "duplicate keys inside a resource": "Resources:\n  A:\n    Type: X\n    Type: Y\n  B:\n    Type: Z\n",
    "document start": "---\nResources:\n  A:\n    Type: X\n",
    "windows line ends": "Resources:\r\n  A:\r\n    Type: X\r\n  B:\r\n    Type: Y\r\n",
    "block scalar at the end of a piece": "Resources:\n  A:\n    Properties:\n      Code: |\n        x = 1\n\n"
                                          "  B:\n    Type: Y\n",
    "empty value at the end of a piece": "Resources:\n  A:\n    Properties:\n  B:\n    Properties:\nOutputs:\n",
    "sequence at the end of a piece": "Resources:\n  A:\n    Statement:\n    - Effect: Allow\n    - Effect: Deny\n"
                                      "  B:\n    Type: Y\n",
    "four-space indentation": "Resources:\n    A:\n        Type: X\n    B:\n        Type: !Ref Y\n",
    "short-form tags": "Resources:\n  A:\n    Properties:\n      P: !Sub |\n        {\"a\": 1}\n"
                       "      Q: !GetAtt A.Arn\n  B:\n    Properties: !If [c, {x: 1}, !Ref AWS::NoValue]\n",
    "flow resources": "Resources: {A: {Type: X}, B: {Type: Y}}\nOutputs: {}\n",
    "quoted keys": "\"Resources\":\n  'A':\n    Type: X\n",
    "merge keys in a resource": "Resources:\n  A:\n    <<: {Type: X}\n    Type: Y\n",
}
WHOLE = {  # what the cut cannot be sure of: parsed whole
    "anchors": "Resources:\n  A: &a\n    Type: X\n  B: *a\n",
    "a flow mapping at the top": "{Resources: {A: {Type: X}}}\n",
    "a string across pieces": "Resources:\n  A:\n    Description: \"one\n  B: two\"\n",
}
UNREADABLE = {  # parsed whole too, and reported as the whole parse reports them
    "two documents": "Resources:\n  A:\n    Type: X\n---\nResources: {}\n",
    "a less indented line": "Resources:\n    A:\n        Type: X\n  B:\n    Type: Y\n",
    "tabs": "Resources:\n  A:\n\tType: X\n",
    "a syntax error in one piece": "Resources:\n  A:\n    Type: [X\n  B:\n    Type: Y\n",
    "empty": "",
    "only comments": "# nothing\n",
}


@pytest.mark.parametrize("text", [*CUT.values(), *WHOLE.values(), *UNREADABLE.values()],
                         ids=[*CUT, *WHOLE, *UNREADABLE])
def test_pieces_give_what_a_whole_parse_gives_on_edge_cases(text):
    check_versions(edits(text))


def first_value(reader: IncrementalYAML, text: str):
    """The first resource (else the first top-level value) of the text as the reader reads it."""
    try:
        first = next(iter(reader.parse(text).root.value.values()))
    except (ParseError, AttributeError, StopIteration):
        return None
    if first.key.value == "Resources" and type(first.value) is dict and first.value:
        return next(iter(first.value.values()))
    return first


@pytest.mark.parametrize("text", CUT.values(), ids=CUT)
def test_pieces_are_read_once(text):
    reader = IncrementalYAML()
    assert first_value(reader, text) is first_value(reader, text) is not None


@pytest.mark.parametrize("text", WHOLE.values(), ids=WHOLE)
def test_what_the_cut_cannot_be_sure_of_is_read_whole_every_time(text):
    reader = IncrementalYAML()
    first = first_value(reader, text)
    assert first is not None and first_value(reader, text) is not first


def test_an_unchanged_resource_is_not_read_again_and_moves_with_the_lines_above():
    text = "Resources:\n" + "".join(f"  R{n}:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: q{n}}}\n"
                                    for n in range(5))
    reader = IncrementalYAML()
    before = reader.parse(text).root.value["Resources"].value
    edited = reader.parse(text.replace("q2", "queue2")).root.value["Resources"].value
    assert [edited[f"R{n}"] is before[f"R{n}"] for n in range(5)] == [True, True, False, True, True]
    moved = reader.parse("# a new first line\n" + text.replace("q2", "queue2")).root.value["Resources"].value
    assert all(moved[f"R{n}"] is edited[f"R{n}"] for n in range(5))  # the same nodes, one line further down
    assert [moved[f"R{n}"].key.span.line for n in range(5)] == [3, 6, 9, 12, 15]


@needs_corpus
def test_pieces_give_what_a_whole_parse_gives_on_the_corpus():
    paths = sorted(p for p in (CORPUS / "cloudformation").rglob("*") if p.suffix in (".yaml", ".yml", ".template"))
    assert len(paths) > 400
    for path in paths:
        check_versions(edits(path.read_text(encoding="utf-8", errors="replace"), places=(0.5,)))
