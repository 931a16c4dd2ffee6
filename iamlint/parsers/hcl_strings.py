"""The strings of an HCL file: quoted strings, quoted templates and heredocs.

Where each one's text is (between the quotes; from the line after ``<<EOF`` to the closing
line), how a literal stretch decodes (``\\n``, ``\\"``, ``\\u00e9`` in quoted strings;
``$${`` -> ``${`` and ``%%{`` -> ``%{`` in both kinds), where the ``${...}`` interpolations and
``%{...}`` directive tags are, and how much indentation a ``<<-`` heredoc loses.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iamlint.parsers.hcl_source import HCLSource

QUOTED_ESCAPE = re.compile(r'\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|\$\$\{|%%\{')
TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")
_SIMPLE = {"\\n": "\n", "\\r": "\r", "\\t": "\t", '\\"': '"', "\\\\": "\\", "$${": "${", "%%{": "%{"}


def unescape(match: re.Match) -> str:
    escape = match.group()
    simple = _SIMPLE.get(escape)
    if simple is not None:
        return simple
    code = int(escape[2:], 16)
    return chr(code) if code <= 0x10FFFF else escape


def decode(text: str, quoted: bool) -> str:
    """A literal stretch of a template as the value it spells: HCL escapes in a quoted string
    (``\\n``, ``\\"``, ``\\u00e9``, ...), and in both kinds ``$${`` -> ``${``, ``%%{`` -> ``%{``."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    return (QUOTED_ESCAPE if quoted else TEMPLATE_ESCAPE).sub(unescape, text)


def string_value(file: HCLSource, ts: Any) -> str:
    """The value of a ``string_lit`` (a quoted string without interpolation)."""
    start, end = quoted_range(file, ts)
    return decode(file.text[start:end], True)


def quoted_range(file: HCLSource, ts: Any) -> tuple[int, int]:
    """The text between the quotes of a quoted string or template."""
    first, last = ts.child(0), ts.child(ts.child_count - 1)
    start = file.end(first) if first.type == "quoted_template_start" else file.start(ts)
    end = file.start(last) if last.type == "quoted_template_end" and not last.is_missing else file.end(ts)
    return start, max(start, end)


def heredoc_range(file: HCLSource, ts: Any) -> tuple[int, int]:
    """The body of a heredoc: from the line after ``<<EOF`` to the start of the closing line."""
    text = file.text
    markers = [c for c in ts.children if c.type == "heredoc_identifier"]
    opening = file.end(markers[0]) if markers else file.start(ts)
    newline = text.find("\n", opening)
    start = file.end(ts) if newline < 0 else newline + 1
    if len(markers) < 2:
        return min(start, file.end(ts)), file.end(ts)
    end = text.rfind("\n", 0, file.start(markers[-1])) + 1
    return start, max(start, end)


def is_flush(ts: Any) -> bool:
    """Whether a heredoc is the ``<<-`` kind, whose lines lose their common indentation."""
    head = ts.child(0)
    return head is not None and head.type == "heredoc_start" and head.child_count > 0 and head.child(0).type == "<<-"


def template_holes(file: HCLSource, ts: Any) -> list[tuple[int, int, Any]]:
    """The ``${...}`` interpolations and ``%{...}`` directive tags of a template, in order, as
    (start, end, tree-sitter node); an interpolation's node is its ``template_interpolation``,
    a directive tag's is the tag (``template_if_intro``, ``template_for_end``, ...)."""
    holes: list[tuple[int, int, Any]] = []
    stack = list(reversed(ts.children))
    while stack:
        child = stack.pop()
        kind = child.type
        if kind == "template_interpolation":
            holes.append((file.start(child), file.end(child), child))
        elif kind in ("template_directive", "template_if", "template_for"):
            stack.extend(reversed(child.children))
        elif kind.startswith("template_") and kind != "template_literal" or kind == "ERROR":
            holes.append((file.start(child), file.end(child), child))
    return holes


def dedent_width(text: str, start: int, end: int) -> int:
    """The indentation ``<<-`` removes: the least leading spaces and tabs of the non-blank lines."""
    width = None
    for line in text[start:end].split("\n"):
        if line.strip(" \t\r"):
            indent = len(line) - len(line.lstrip(" \t"))
            width = indent if width is None else min(width, indent)
    return width or 0
