"""Writing any string a file can hold: a lone surrogate (`"\\ud800"` in a JSON string), or a
character the output's encoding lacks, is escaped instead of failing the whole report."""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO


def write_text(out: TextIO, text: str) -> None:
    """``text``, with what the stream cannot encode written as a backslash escape (`\\ud800`)."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "utf-8"
        out.write(text.encode(encoding, "backslashreplace").decode(encoding))


def write_json(out: TextIO, data: Any, **options) -> None:
    """``data`` as JSON, non-ASCII characters as themselves; when the stream cannot encode one of
    them (a lone surrogate, an ASCII-only terminal), every one of them as a JSON escape."""
    try:
        out.write(json.dumps(data, ensure_ascii=False, **options))
    except UnicodeEncodeError:
        out.write(json.dumps(data, ensure_ascii=True, **options))
