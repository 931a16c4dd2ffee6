"""Validate a policy against the JSON Schema of its kind (the files in ``schemas/``).

Importing the ``jsonschema`` library costs about 150 ms, more than the whole budget for linting
one small file, so a valid document, the common case, is confirmed by a small evaluator of the
handful of keywords our schemas use, and ``jsonschema`` is imported only when that evaluator
says the document is invalid (or meets a keyword it does not know). The evaluator only ever
answers "valid"; every diagnostic comes from ``jsonschema``. Tests check that the two agree on
every case file and on the whole corpus.
"""

from __future__ import annotations

import json
import os
import re
from collections import namedtuple
from functools import lru_cache
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.nodes import Node

SCHEMA_FILES = {
    "identity": "identity-policy.schema.json",
    "boundary": "permissions-boundary.schema.json",
    "resource": "resource-policy.schema.json",
    "trust": "trust-policy.schema.json",
    "scp": "service-control-policy.schema.json",
    "rcp": "resource-control-policy.schema.json",
}
COMMON_FILE = "iam-policy.schema.json"


class SchemaError(namedtuple("SchemaError", "keyword path instance expected node schema")):
    """One grammar violation, located by its path in the document.

    keyword: the JSON Schema keyword that failed (type, enum, pattern, required, ...);
    path: keys and indices from the document root; instance: the offending value;
    expected: the keyword's value in the schema (e.g. the enum's members); node: where to
    report; schema: the (sub)schema holding the keyword.
    """

    __slots__ = ()


def schema_dir() -> str:
    """Where the schemas are: ``iamlint/schemas`` in an installed wheel (pyproject maps the
    checkout's ``schemas/`` there), else ``schemas/`` beside the package in a checkout."""
    package = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(package, "schemas")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), "schemas")


@lru_cache(maxsize=None)
def load_schema(file_name: str) -> dict:
    with open(os.path.join(schema_dir(), file_name), encoding="utf-8") as handle:
        return json.load(handle)


# --- the fast evaluator -----------------------------------------------------------------------

class _Unsupported(Exception):
    pass


_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "then", "else",
                          "markdownDescription", "examples", "default"})
_TYPES = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "number": lambda v: type(v) in (int, float),
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
}


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _equal(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _resolve(ref: str, current: str) -> tuple[dict, str]:
    file_name, _, pointer = ref.partition("#")
    file_name = file_name or current
    target: Any = load_schema(file_name)
    for part in filter(None, pointer.split("/")):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return target, file_name


def _valid(schema: Any, data: Any, doc: str) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "$ref":
            target, target_doc = _resolve(value, doc)
            ok = _valid(target, data, target_doc)
        elif keyword == "type":
            ok = any(_TYPES[t](data) for t in (value if type(value) is list else [value]))
        elif keyword == "enum":
            ok = any(_equal(data, v) for v in value)
        elif keyword == "const":
            ok = _equal(data, value)
        elif keyword == "pattern":
            ok = type(data) is not str or _regex(value).search(data) is not None
        elif keyword == "required":
            ok = type(data) is not dict or all(k in data for k in value)
        elif keyword == "properties":
            ok = type(data) is not dict or all(_valid(s, data[k], doc) for k, s in value.items() if k in data)
        elif keyword == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported(keyword)
            known = schema.get("properties", {})
            ok = type(data) is not dict or all(_valid(value, v, doc) for k, v in data.items() if k not in known)
        elif keyword == "propertyNames":
            ok = type(data) is not dict or all(_valid(value, k, doc) for k in data)
        elif keyword == "items":
            ok = type(data) is not list or all(_valid(value, v, doc) for v in data)
        elif keyword == "minItems":
            ok = type(data) is not list or len(data) >= value
        elif keyword == "minProperties":
            ok = type(data) is not dict or len(data) >= value
        elif keyword == "not":
            ok = not _valid(value, data, doc)
        elif keyword == "anyOf":
            ok = any(_valid(s, data, doc) for s in value)
        elif keyword == "allOf":
            ok = all(_valid(s, data, doc) for s in value)
        elif keyword == "if":
            branch = schema.get("then", True) if _valid(value, data, doc) else schema.get("else", True)
            ok = _valid(branch, data, doc)
        else:
            raise _Unsupported(keyword)
        if not ok:
            return False
    return True


def quickly_valid(kind: str, data: Any) -> bool:
    """True only when the document certainly satisfies its kind's schema."""
    file_name = SCHEMA_FILES[kind]
    try:
        return _valid(load_schema(file_name), data, file_name)
    except (_Unsupported, RecursionError):
        return False


# --- jsonschema, for the diagnostics ----------------------------------------------------------

@lru_cache(maxsize=None)
def _validator(kind: str):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [(name, Resource(contents=load_schema(name), specification=DRAFT202012))
                 for name in (COMMON_FILE, *SCHEMA_FILES.values())]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(load_schema(SCHEMA_FILES[kind]), registry=registry)


def _leaf_errors(error):
    """Descend through anyOf/oneOf to the error that says most, unless the branches are
    alternatives of ``required`` (then the anyOf itself, "one of these is missing", is the message)."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        if all(set(branch) == {"required"} for branch in error.validator_value):
            return [error]
        from jsonschema.exceptions import best_match

        return _leaf_errors(best_match(error.context))
    return [error]


def validate(kind: str, root: Node) -> list[SchemaError]:
    """Every schema violation of the document, each located at a node of the tree."""
    data = root.to_python()
    if quickly_valid(kind, data):
        return []
    errors: list[SchemaError] = []
    for raw in _validator(kind).iter_errors(data):
        for error in _leaf_errors(raw):
            path = tuple(error.absolute_path)
            node = root.at(path) or root
            if error.validator == "additionalProperties" and type(error.instance) is dict:
                known = error.schema.get("properties", {})
                for key in error.instance:
                    if key not in known:
                        value = node.get(key)
                        errors.append(SchemaError("additionalProperties", path + (key,), key, False,
                                                  value.key if value is not None and value.key else node,
                                                  error.schema))
                continue
            keyword = error.validator
            if keyword == "not" and isinstance(error.validator_value, dict) and node.is_mapping:
                # a forbidden pair (Action with NotAction): report at whichever of the two comes second
                pair = [node.get(k) for k in error.validator_value.get("required", ())]
                if all(n is not None and n.key is not None for n in pair):
                    node = max((n.key for n in pair), key=lambda k: (k.span.line, k.span.column))
            if "propertyNames" in error.relative_schema_path:
                # jsonschema reports a bad key as the instance, at the path of its object
                keyword = "propertyNames"
                value = node.get(error.instance)
                if value is not None and value.key is not None:
                    node = value.key
                    path = path + (error.instance,)
            errors.append(SchemaError(keyword, path, error.instance, error.validator_value, node, error.schema))
    if isinstance(data, dict) and isinstance(data.get("Statement"), dict):
        # a lone statement object is statement 0, so rules see one path shape for both forms
        errors = [e._replace(path=("Statement", 0) + e.path[1:]) if e.path[:1] == ("Statement",) else e
                  for e in errors]
    errors.sort(key=lambda e: (e.node.span.line, e.node.span.column, e.keyword))
    return errors
