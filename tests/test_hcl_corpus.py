"""The HCL layer over every real-world Terraform file of the corpus: nothing crashes, only the
deliberately invalid scanner fixtures have syntax errors, every node lies inside its file."""

from __future__ import annotations

import json

from conftest import CORPUS, needs_corpus
from iamlint.parsers.hcl import parse_hcl
from iamlint.parsers.hcl_json import parse_string_json, parse_template_json
from iamlint.parsers.hcl_nodes import to_node
from iamlint.parsers.json_parser import ParseError
from iamlint.values import Alternatives, Opaque

ROOTS = [CORPUS / "terraform", CORPUS / "terraform-plan"]
pytestmark = needs_corpus

# Terraform 0.11-era blocks inside an object literal: invalid HCL2 on purpose (checkov fixtures)
CHECKS = "terraform/scanner-fixtures__bridgecrewio__checkov/tests/terraform/checks/data/aws"
INVALID = {
    f"{CHECKS}/example_AdminPolicyDocument/main.tf": (28, 5),
    f"{CHECKS}/example_StarActionPolicyDocument/main.tf": (34, 5),
}


def _attributes(body):
    yield from body.attributes.values()
    for block in body.blocks:
        yield from _attributes(block.body)


def _nodes(node):
    """Every value node (keys included), opaque values as one node, the branches of a conditional
    (``null``, None, has none)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if type(current.value) is Alternatives:
            stack.extend(b for b in (current.value.if_true, current.value.if_false) if b is not None)
            continue
        yield current
        if current.key is not None:
            yield current.key
        value = current.value
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)


def _check_spans(text, root, json_strings):
    """Each node's span holds what the node says: an opaque value its source text, a string
    written without escapes its own text between quotes (a JSON string: what it decodes to)."""
    for node in _nodes(root):
        source = text[node.start:node.end]
        if type(node.value) is Opaque:
            assert node.value.text == source
        elif type(node.value) is str and source.startswith('"'):
            if json_strings and "$${" not in source:
                assert json.loads(source) == node.value
            elif not any(escape in source for escape in ("\\", "$${", "%%{")):
                assert source[1:-1] == node.value


def test_every_corpus_file_parses_and_converts():
    files = sorted(p for root in ROOTS for p in root.rglob("*.tf"))
    assert len(files) >= 600
    errors = {}
    heredocs = non_ascii = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        non_ascii += not text.isascii()
        parsed = parse_hcl(text)
        if parsed.error is not None:
            errors[path.relative_to(CORPUS).as_posix()] = parsed.lines.position(parsed.error.offset)
        for attribute in _attributes(parsed.body):
            assert text[attribute.name_node.start:attribute.name_node.end] == attribute.name
            _check_spans(text, to_node(attribute.expr), json_strings=False)
            if attribute.expr.kind == "heredoc":
                heredocs += 1
                try:
                    result = parse_string_json(attribute.expr)
                except ParseError as error:  # most heredocs are not JSON (scripts, VTL, YAML)
                    assert 0 <= error.offset <= len(text)
                    continue
                _check_spans(text, result.root, json_strings=True)
        for comment in parsed.comments:
            assert text[comment.start:comment.end] == comment.text
            assert comment.text.startswith(("#", "//", "/*"))
    assert errors == INVALID
    assert heredocs >= 150
    assert non_ascii >= 10


def test_every_template_file_reads():
    templates = sorted(p for root in ROOTS for p in root.rglob("*.tpl"))
    assert len(templates) >= 50
    parsed = 0
    for path in templates:
        text = path.read_text(encoding="utf-8")
        try:
            result = parse_template_json(text)
        except ParseError as error:  # a few .tpl files are shell or INI templates
            assert 0 <= error.offset <= len(text)
            continue
        parsed += 1
        _check_spans(text, result.root, json_strings=True)
    assert parsed >= 50
