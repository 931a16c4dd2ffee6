"""One entry point for the two syntaxes of a Terraform file: HCL (``.tf``, ``.tofu``) and JSON
(``.tf.json``, as cdktf writes it). Both give the same file model (``iamlint.parsers.hcl``:
body, blocks, attributes, expressions), so the reader never asks which syntax it has."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.nodes import LineIndex

JSON_SYNTAX = ".tf.json"


def parse_module_file(path: str, text: str, lines: LineIndex | None = None) -> Any:
    """The parsed file (``HCLFile`` or its JSON-syntax twin). Raises HCLUnavailable when
    tree-sitter-hcl cannot be loaded; never a syntax error (see the file's ``error``)."""
    if path.endswith(JSON_SYNTAX):
        from iamlint.readers.terraform_json import parse_tf_json

        return parse_tf_json(text, lines)
    from iamlint.parsers.hcl import parse_hcl

    return parse_hcl(text, lines)
