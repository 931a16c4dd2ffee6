"""Policy JSON files: decide by content whether a file holds policies, and find them.

A file holds a policy when it is a JSON object with ``Statement``, or one of the AWS CLI
envelopes people save to disk. Everything else (``package.json``, ``tsconfig.json``, ...) yields
nothing. Classification runs on the standard library's fast decoder; only files that hold a
policy, or that look like one but do not parse, go through the position-keeping parser.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.parsers.embedded import parse_string_policy
from iamlint.parsers.json_parser import ParseError, parse_json
from iamlint.policy import PolicyDocument, infer_kind
from iamlint.readers.base import NOT_JSON, TOO_DEEP, Document, Reader, Source

# (path to the policy inside the envelope, the kind it always is, or None to infer)
ENVELOPES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("PolicyVersion", "Document"), None),  # aws iam get-policy-version
    (("PolicyDocument",), None),  # aws iam get-role-policy / get-user-policy / get-group-policy
    (("Role", "AssumeRolePolicyDocument"), "trust"),  # aws iam get-role
)
_LOOKS_LIKE_POLICY = re.compile(r'["\x27]?(Statement|PolicyDocument|AssumeRolePolicyDocument)["\x27]?\s*:')


def _locate(data: Any) -> list[tuple[tuple[str, ...], str | None]]:
    """Where the policies are in a decoded document (paths from the root), with forced kinds."""
    if not isinstance(data, dict):
        return []
    if "Statement" in data:
        return [((), None)]
    found = []
    for path, kind in ENVELOPES:
        value: Any = data
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, (dict, str)):
            found.append((path, kind))
    return found


class PolicyJSONReader(Reader):
    """Identity, resource and trust policies, SCPs and RCPs as JSON files, and the AWS CLI's
    output that holds them."""

    name = "policies"
    title = "policy JSON"
    extensions = (".json",)
    languages = ("json",)

    def claims(self, source: Source) -> bool:
        return not source.is_yaml  # JSON, also under another name; not a policy: an empty document

    def read(self, source: Source, memory: dict | None = None) -> Document:
        """Find the policies in one JSON text. Never raises on bad input."""
        text = source.text
        document = Document(source.path, text, source.lines)
        document.format = self.name
        data = source.decoded
        if data is NOT_JSON:
            if text.strip() and not _LOOKS_LIKE_POLICY.search(text):
                return document  # not JSON and not a policy: someone else's file
            data = None
        elif data is TOO_DEEP:
            data = None  # far too deep for the standard decoder: let the parser say where
        elif not _locate(data):
            return document
        try:
            parsed = parse_json(text, lines=source.lines)
        except ParseError as error:
            document.errors.append(error)
            return document
        document.trees.append(parsed)
        for location, forced_kind in _locate(parsed.root.to_python() if data is None else data):
            node = parsed.root.at(location)
            if node is None:
                continue
            origin = "/".join(location)
            if node.is_string:
                try:
                    node = parse_string_policy(node, text, parsed.lines)
                except ParseError as error:
                    if not document.errors:
                        document.errors.append(error)
                    continue
            if not node.is_mapping:
                continue
            kind = source.kind or forced_kind or infer_kind(node)
            start = parsed.lines.offset(node.span.line, node.span.column)
            end = parsed.lines.offset(node.span.end_line, node.span.end_column)
            plain = _plain_at(data, location) if not parsed.duplicates else None
            document.policies.append(PolicyDocument(node, kind, source.path, origin, text[start:end], plain))
        return document


def _plain_at(data: Any, location: tuple[str, ...]) -> Any:
    """The standard decoder's value at ``location`` (it equals the tree's when no key repeats)."""
    for step in location:
        data = data.get(step) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None
