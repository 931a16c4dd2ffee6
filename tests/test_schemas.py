"""The schemas in schemas/: valid draft 2020-12, usable on their own, and iamlint's fast
structural check agrees with jsonschema on every document it is shown."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import CORPUS, REPO, needs_corpus
from iamlint.schema import SCHEMA_FILES, quickly_valid

SCHEMAS = REPO / "schemas"


def _registry():
    return Registry().with_resources(
        (path.name, Resource(contents=json.loads(path.read_text()), specification=DRAFT202012))
        for path in SCHEMAS.glob("*.json"))


def _validator(kind):
    schema = json.loads((SCHEMAS / SCHEMA_FILES[kind]).read_text())
    return Draft202012Validator(schema, registry=_registry())


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema.get("title") and schema.get("description")


def _documents():
    for path in sorted((REPO / "tests" / "rules" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text())["cases"]:
            if isinstance(case["source"], str):
                try:
                    yield f"{path.stem}:{case['name']}", json.loads(case["source"])
                except (ValueError, RecursionError):
                    pass  # the cases of unreadable files
    for path in sorted((REPO / "examples" / "policies").glob("*.json")):
        yield path.name, json.loads(path.read_text())


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_fast_check_agrees_with_jsonschema_on_the_case_files(kind):
    validator = _validator(kind)
    documents = list(_documents())
    assert len(documents) > 50
    for name, document in documents:
        if quickly_valid(kind, document):
            assert validator.is_valid(document), f"{name}: the fast check accepts what the {kind} schema rejects"


@needs_corpus
def test_fast_check_agrees_with_jsonschema_on_the_corpus():
    validator = _validator("identity")
    accepted = 0
    for path in sorted((CORPUS / "managed-policies").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        document = document.get("PolicyVersion", {}).get("Document", document)
        fast = quickly_valid("identity", document)
        assert fast == validator.is_valid(document), path.name
        accepted += fast
    assert accepted > 1000  # AWS's own policies are valid by construction: nearly all pass


def test_a_typo_is_rejected_by_the_schema_on_its_own():
    """What an editor's JSON language server or check-jsonschema would say."""
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]}
    errors = list(_validator("identity").iter_errors(document))
    assert errors and not quickly_valid("identity", document)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                      "Principal": {"Service": "ec2.amazonaws.com"}}]}
    assert _validator("trust").is_valid(trust)
    assert not _validator("identity").is_valid(trust)  # Principal is not allowed in an identity policy
