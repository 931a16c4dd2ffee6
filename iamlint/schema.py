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
from functools import cache, lru_cache

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


@cache
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


_COMPILED: dict[tuple[int, str], Any] = {}


def _compile(schema: Any, doc: str):
    """The schema as one function ``data -> bool``, built once: several times faster than
    interpreting the schema for every document."""
    cache_key = (id(schema), doc)
    compiled = _COMPILED.get(cache_key)
    if compiled is not None:
        return compiled
    if schema is True or schema is False:
        compiled = (lambda data: True) if schema else (lambda data: False)
    elif set(schema) - _ANNOTATIONS == {"type", "pattern"} and schema["type"] == "string":
        search = _regex(schema["pattern"]).search  # the commonest leaf: action names, ARNs, Sids
        compiled = lambda data: type(data) is str and search(data) is not None  # noqa: E731
    else:
        _COMPILED[cache_key] = lambda data: compiled_now(data)  # a reference back to this schema
        try:
            checks = tuple(_keyword(keyword, value, schema, doc) for keyword, value in schema.items()
                           if keyword not in _ANNOTATIONS)
        except _Unsupported:
            del _COMPILED[cache_key]
            raise
        if len(checks) == 1:
            compiled = checks[0]
        else:
            def compiled(data, checks=checks):
                for check in checks:
                    if not check(data):
                        return False
                return True
    compiled_now = compiled
    _COMPILED[cache_key] = compiled
    return compiled


def _keyword(keyword: str, value: Any, schema: dict, doc: str):
    if keyword == "$ref":
        return _compile(*_resolve(value, doc))
    if keyword == "type":
        tests = tuple(_TYPES[t] for t in (value if type(value) is list else [value]))
        return tests[0] if len(tests) == 1 else (lambda data: any(t(data) for t in tests))
    if keyword == "enum":
        if all(type(v) is str for v in value):
            allowed = frozenset(value)
            return lambda data: type(data) is str and data in allowed
        return lambda data: any(_equal(data, v) for v in value)
    if keyword == "const":
        return lambda data: _equal(data, value)
    if keyword == "pattern":
        search = _regex(value).search
        return lambda data: type(data) is not str or search(data) is not None
    if keyword == "required":
        return lambda data: type(data) is not dict or all(k in data for k in value)
    if keyword == "properties":
        children = {k: _compile(sub, doc) for k, sub in value.items()}
        return lambda data: type(data) is not dict or all(
            children[k](v) for k, v in data.items() if k in children)
    if keyword == "additionalProperties":
        if "patternProperties" in schema:
            raise _Unsupported(keyword)
        known = frozenset(schema.get("properties", {}))
        other = _compile(value, doc)
        if value is False:
            return lambda data: type(data) is not dict or known.issuperset(data)
        return lambda data: type(data) is not dict or all(other(v) for k, v in data.items() if k not in known)
    if keyword == "propertyNames":
        name = _compile(value, doc)
        return lambda data: type(data) is not dict or all(map(name, data))
    if keyword == "items":
        item = _compile(value, doc)
        return lambda data: type(data) is not list or all(map(item, data))
    if keyword == "minimum":
        return lambda data: type(data) not in (int, float) or data >= value
    if keyword == "minLength":
        return lambda data: type(data) is not str or len(data) >= value
    if keyword == "minItems":
        return lambda data: type(data) is not list or len(data) >= value
    if keyword == "minProperties":
        return lambda data: type(data) is not dict or len(data) >= value
    if keyword == "not":
        negated = _compile(value, doc)
        return lambda data: not negated(data)
    if keyword == "anyOf":
        branches = [_compile(sub, doc) for sub in value]
        return lambda data: any(branch(data) for branch in branches)
    if keyword == "allOf":
        parts = [_compile(sub, doc) for sub in value]
        return lambda data: all(part(data) for part in parts)
    if keyword == "if":
        condition = _compile(value, doc)
        then, otherwise = _compile(schema.get("then", True), doc), _compile(schema.get("else", True), doc)
        return lambda data: then(data) if condition(data) else otherwise(data)
    raise _Unsupported(keyword)


def compiled(file_name: str):
    """The schema file ``file_name`` as one fast ``data -> bool`` check (raises _Unsupported)."""
    return _compile(load_schema(file_name), file_name)


def quickly_valid(kind: str, data: Any) -> bool:
    """True only when the document certainly satisfies its kind's schema."""
    file_name = SCHEMA_FILES[kind]
    try:
        return compiled(file_name)(data)
    except (_Unsupported, RecursionError):
        return False


# --- jsonschema, for the diagnostics ----------------------------------------------------------

@cache
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


def validate(kind: str, root: Node, data: Any = None) -> list[SchemaError]:
    """Every schema violation of the document, each located at a node of the tree. ``data`` is
    the same document as plain data, when the caller has it already."""
    if data is None:
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
