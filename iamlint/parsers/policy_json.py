"""Policy JSON files: decide by content whether a file holds policies, and find them.

A file holds a policy when it is a JSON object with ``Statement``, or one of the AWS CLI
envelopes people save to disk. Everything else (``package.json``, ``tsconfig.json``, ...) yields
nothing. Classification runs on the standard library's fast decoder; only files that hold a
policy, or that look like one but do not parse, go through the position-keeping parser.
"""

from __future__ import annotations

import json
import re
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.nodes import LineIndex, Node
from iamlint.parsers.embedded import parse_string_policy
from iamlint.parsers.json_parser import ParsedJSON, ParseError, parse_json
from iamlint.cloudformation import is_template
from iamlint.policy import TRUST_ACTIONS, PolicyDocument

# (path to the policy inside the envelope, the kind it always is, or None to infer)
ENVELOPES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("PolicyVersion", "Document"), None),  # aws iam get-policy-version
    (("PolicyDocument",), None),  # aws iam get-role-policy / get-user-policy / get-group-policy
    (("Role", "AssumeRolePolicyDocument"), "trust"),  # aws iam get-role
)
_LOOKS_LIKE_POLICY = re.compile(r'["\x27]?(Statement|PolicyDocument|AssumeRolePolicyDocument)["\x27]?\s*:')


class PolicyFile:
    """What reading one JSON file found: its parse, its policies, and a parse error if any."""

    def __init__(self, parsed: ParsedJSON | None = None, error: ParseError | None = None,
                 lines: LineIndex | None = None, is_template: bool = False) -> None:
        self.parsed = parsed
        self.policies: list[PolicyDocument] = []
        self.error = error
        self.lines = lines
        self.is_template = is_template


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


def infer_kind(root: Node) -> str:
    """Trust when the Allow statements that name a principal only grant sts:AssumeRole* and
    friends; resource when a statement names a principal; identity otherwise."""
    statements = [n for n in (root.get("Statement").elements() if root.get("Statement") else []) if n.is_mapping]
    with_principal = [s for s in statements if s.get("Principal") is not None or s.get("NotPrincipal") is not None]
    if not with_principal:
        return "identity"
    allows = [s for s in with_principal if s.get("Effect") is not None and s.get("Effect").value == "Allow"]
    if not allows:
        return "resource"  # a trust policy grants; only-Deny statements with principals guard resources
    for statement in allows:
        actions = [n.value.lower() for n in (statement.get("Action").strings() if statement.get("Action") else [])]
        if not actions or not all(a in TRUST_ACTIONS for a in actions):
            return "resource"
    return "trust"


def read_policy_file(path: str, text: str, kind_override: str | None = None) -> PolicyFile:
    """Find the policies in one JSON text. Never raises on bad input."""
    try:
        data = json.loads(text)
    except RecursionError:
        data = None  # far too deep for the standard decoder: let the parser say where
    except ValueError:
        if text.strip() and not _LOOKS_LIKE_POLICY.search(text):
            return PolicyFile()  # not JSON and not a policy: someone else's file
        data = None
    else:
        if is_template(data):
            return PolicyFile(is_template=True)  # CloudFormation: read by the template reader
        if not _locate(data):
            return PolicyFile()
    try:
        parsed = parse_json(text)
    except ParseError as error:
        return PolicyFile(error=error, lines=LineIndex(text))
    result = PolicyFile(parsed=parsed, lines=parsed.lines)
    for location, forced_kind in _locate(parsed.root.to_python() if data is None else data):
        node = parsed.root.at(location)
        if node is None:
            continue
        origin = "/".join(location)
        if node.is_string:
            try:
                node = parse_string_policy(node, text, parsed.lines)
            except ParseError as error:
                result.error = result.error or error
                continue
        if not node.is_mapping:
            continue
        kind = kind_override or forced_kind or infer_kind(node)
        start = parsed.lines.offset(node.span.line, node.span.column)
        end = parsed.lines.offset(node.span.end_line, node.span.end_column)
        plain = _plain_at(data, location) if not parsed.duplicates else None
        result.policies.append(PolicyDocument(node, kind, path, origin, text[start:end], plain))
    return result


def _plain_at(data: Any, location: tuple[str, ...]) -> Any:
    """The standard decoder's value at ``location`` (it equals the tree's when no key repeats)."""
    for step in location:
        data = data.get(step) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None
