"""Strict JSON to positioned nodes, without recursion.

The standard library's decoder drops positions and silently keeps the last of duplicate
keys, and a recursive parser dies on deeply nested input. This one scans with compiled regular
expressions and the C-accelerated ``json.decoder.scanstring``, keeps a span on every node,
records duplicate keys, rejects ``NaN``/``Infinity`` and caps nesting depth. A number of any
size is a value: one too large for a 64-bit float reads as infinity and is recorded (IAM006).
"""

from __future__ import annotations

import re
from json.decoder import JSONDecodeError, scanstring

from iamlint.nodes import LineIndex, Node

MAX_DEPTH = 256
# Python refuses to turn longer digit strings into an int (a guard against quadratic time):
# such an integer is beyond every float as well, so it reads as infinity.
MAX_INT_DIGITS = 4300

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_BAREWORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*|-?Infinity")
_LITERALS = {"true": True, "false": False, "null": None}


class ParseError(Exception):
    """A syntax error at a character offset, with a message for people."""

    def __init__(self, message: str, offset: int, code: str = "IAM001") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.code = code


class ParsedJSON:
    """A parsed text (JSON, or YAML read into the same nodes): its root node, line index, source
    text, and the duplicate keys found."""

    __slots__ = ("root", "lines", "duplicates", "text", "huge_numbers")

    def __init__(self, root: Node, lines: LineIndex, duplicates: list[tuple[Node, Node]], text: str = "",
                 huge_numbers: list[tuple[Node, str]] | None = None) -> None:
        self.root = root
        self.lines = lines
        self.text = text
        # (first key node, second key node) for every repeated key of an object
        self.duplicates = duplicates
        # (node, its text) for every number that is not finite once read (`1e999`, YAML's `.nan`)
        self.huge_numbers = huge_numbers if huge_numbers is not None else []


def _describe(text: str, pos: int) -> str:
    if pos >= len(text):
        return "end of file"
    char = text[pos]
    word = _BAREWORD.match(text, pos)
    if word:
        return f"`{word.group()}`"
    return f"`{char}`" if char.isprintable() else f"character U+{ord(char):04X}"


def parse_json(text: str, base: int = 0, lines: LineIndex | None = None, end: int | None = None) -> ParsedJSON:
    """Parse ``text[base:end]`` as one JSON value; spans are offsets into ``text``.

    ``base`` and ``lines`` let a JSON document held in a string of another file be parsed in
    place, so its nodes carry positions in that outer file.
    """
    if lines is None:
        lines = LineIndex(text)
    if end is None:
        end = len(text)
    duplicates: list[tuple[Node, Node]] = []
    huge_numbers: list[tuple[Node, str]] = []
    ws = _WHITESPACE.match

    def fail(message: str, at: int) -> ParseError:
        return ParseError(message, at)

    def string_at(pos: int) -> tuple[str, int]:
        try:
            return scanstring(text, pos + 1, True)
        except JSONDecodeError as exc:
            raise fail(_string_error(exc.msg), exc.pos) from None

    def scalar_at(pos: int) -> tuple[Node, int]:
        char = text[pos] if pos < end else ""
        if char == '"':
            value, stop = string_at(pos)
            if stop > end:
                raise fail("unterminated string", pos)
            return Node(value, None, None, pos, stop, lines), stop
        number = _NUMBER.match(text, pos, end)
        if number and number.end() > pos:
            literal = number.group()
            stop = number.end()
            if number.group(1) or number.group(2):
                value = float(literal)
            elif stop - pos <= MAX_INT_DIGITS:
                value = int(literal)
            else:
                value = float(literal)  # beyond every float: infinity
            node = Node(value, None, None, pos, stop, lines)
            if (type(value) is float and not _finite(value)) or (stop - pos > 308 and not _finite(_as_float(value))):
                huge_numbers.append((node, literal))  # (an integer of 308 digits or fewer fits a float)
            return node, stop
        word = _BAREWORD.match(text, pos, end)
        if word:
            literal = word.group()
            if literal in _LITERALS:
                stop = word.end()
                return Node(_LITERALS[literal], None, None, pos, stop, lines), stop
            if literal in ("NaN", "Infinity", "-Infinity"):
                raise fail(f"`{literal}` is not valid JSON; write a number or a string", pos)
            raise fail(f"expected a value, found `{literal}` (strings need double quotes)", pos)
        raise fail(f"expected a value, found {_describe(text, pos)}", pos)

    # Each frame: [container node, start offset, pending key node or None]
    stack: list[list] = []
    pos = ws(text, base, end).end()
    if pos >= end:
        raise fail("the file is empty; expected a JSON object", base)
    root: Node | None = None
    while True:
        # --- read one value at pos (opening a container pushes a frame) ---
        char = text[pos] if pos < end else ""
        if char == "{" or char == "[":
            if len(stack) >= MAX_DEPTH:
                raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", pos, code="IAM003")
            container = Node({} if char == "{" else [], None, None, pos, pos + 1, lines)
            stack.append([container, pos, None])
            pos = ws(text, pos + 1, end).end()
            closer = "}" if char == "{" else "]"
            if pos < end and text[pos] == closer:
                pos += 1
                stack.pop()
                value = container
                value.end = pos
            elif char == "{":
                pos = _read_key(text, pos, end, stack[-1], lines, string_at, fail, ws)
                continue
            else:
                continue
        else:
            value, pos = scalar_at(pos)
        # --- attach the finished value to its parent, closing containers as they end ---
        while True:
            if not stack:
                root = value
                rest = ws(text, pos, end).end()
                if rest < end:
                    raise fail(f"unexpected {_describe(text, rest)} after the JSON value", rest)
                return ParsedJSON(root, lines, duplicates, text, huge_numbers)
            frame = stack[-1]
            parent = frame[0]
            if type(parent.value) is dict:
                key = frame[2]
                value.key = key
                previous = parent.value.get(key.value)
                if previous is not None:
                    duplicates.append((previous.key, key))
                    del parent.value[key.value]  # keep insertion order of the last occurrence
                parent.value[key.value] = value
                frame[2] = None
            else:
                parent.value.append(value)
            pos = ws(text, pos, end).end()
            char = text[pos] if pos < end else ""
            closer = "}" if type(parent.value) is dict else "]"
            if char == ",":
                pos = ws(text, pos + 1, end).end()
                if pos < end and text[pos] == closer:
                    raise fail(f"trailing comma before `{closer}`", pos - 1 if text[pos - 1] == "," else pos)
                if closer == "}":
                    pos = _read_key(text, pos, end, frame, lines, string_at, fail, ws)
                break
            if char == closer:
                pos += 1
                stack.pop()
                parent.end = pos
                value = parent
                continue
            opener = "object" if closer == "}" else "array"
            raise fail(f"expected `,` or `{closer}` in {opener}, found {_describe(text, pos)}", pos)


def _finite(value: float) -> bool:
    return value - value == 0.0  # infinities and NaN give NaN


def _as_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return float("inf")


def _read_key(text, pos, end, frame, lines, string_at, fail, ws) -> int:
    char = text[pos] if pos < end else ""
    if char != '"':
        raise fail(f"expected a double-quoted key, found {_describe(text, pos)}", pos)
    key, stop = string_at(pos)
    frame[2] = Node(key, None, None, pos, stop, lines)
    pos = ws(text, stop, end).end()
    if pos >= end or text[pos] != ":":
        raise fail(f"expected `:` after key \"{key}\", found {_describe(text, pos)}", pos)
    return ws(text, pos + 1, end).end()


def _string_error(message: str) -> str:
    if message.startswith("Unterminated string"):
        return "unterminated string"
    if message.startswith("Invalid control character"):
        return "control character in string (escape it, e.g. \\n)"
    if message.startswith(("Invalid \\escape", "Invalid \\u")):
        return "invalid escape in string"
    return message[:1].lower() + message[1:]
