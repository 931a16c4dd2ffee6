"""Mutations of real files: what editors, merges, truncated downloads and hostile authors do to
them. Each mutation is drawn from Hypothesis data, so a failure shrinks to a small edit."""

from __future__ import annotations

from hypothesis import strategies as st

NOISE = ['"', "{", "}", "[", "]", ":", ",", "\n", "  ", "\t", "\\", "#", "- ", "\x00", "'", "&", "*", "!", "|", ">",
         "?", "%", "@", "`", "\r", "\r\n", "\ufeff", "\\u", "\\ud800", "\\udfff", "\\ud83d\\ude00", "\u2028", "\u0085",
         "\ud800", "\U0001F600", "\u0301", "\u202e", "\uffff", "e999", "1e999", "-", ".", "0" * 5, "9" * 5000,
         "NaN", "Infinity", "-Infinity", "null", "true", ".inf", ".nan", "~", "<<: *a\n", "&a ", "*a", "*b", "&a\n",
         "!Ref ", "!Sub ", "!GetAtt ", "!If ", "!!binary ", "!!python/object/apply:os.system ['true'] ", "!!str ",
         "!!int ", "!!float ", "!!map ", "!!set ", "!!omap ", "!Foo ", "!<tag:yaml.org,2002:str> ", "--- ", "...\n",
         "%YAML 1.1\n", "? ", "Fn::Sub", "Ref", "${", "${!", "}", "Statement", "Effect", "Action", "Resource",
         "Principal", "Condition", "AWS::IAM::Role", "Type: AWS::IAM::Policy\n", "Resources:\n", "# iamlint: ignore\n",
         "# iamlint: ignore[IAM303]\n", "# iamlint: ignore-file[ALL]\n"]


def _at(draw, text: str) -> int:
    return draw(st.integers(0, len(text)))


@st.composite
def mutation(draw, text: str) -> str:
    """One edit of ``text``."""
    kind = draw(st.sampled_from(["truncate", "insert", "delete", "replace", "duplicate", "nest", "number", "unicode",
                                 "tag", "alias", "crlf", "bom", "swap", "indent"]))
    if not text:
        return draw(st.sampled_from(NOISE))
    at = _at(draw, text)
    if kind == "truncate":
        return text[:at]
    if kind == "insert":
        return text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + draw(st.integers(1, 40)):]
    if kind == "replace":
        return text[:at] + draw(st.sampled_from(NOISE)) + text[at + draw(st.integers(1, 5)):]
    if kind == "duplicate":
        end = min(len(text), at + draw(st.integers(1, 400)))
        return text[:end] + text[at:end] * draw(st.integers(1, 3)) + text[end:]
    if kind == "nest":
        depth = draw(st.sampled_from([2, 50, 255, 257, 2000]))
        opener = draw(st.sampled_from(["[", "{\"a\": ", "- ", "[[", "a:\n  "]))
        closer = {"[": "]", "{\"a\": ": "}", "[[": "]]"}.get(opener, "")
        return text[:at] + opener * depth + "1" + closer * depth + text[at:]
    if kind == "number":
        number = draw(st.sampled_from(["9" * 4301, "-" + "9" * 5000, "1e999", "-1e999", "1" + "0" * 400, "1e-999",
                                       "0.1e309", "123456789012345678901234567890", ".inf", "-.inf", ".nan", "0x1F",
                                       "1_000", "0o17", "1.5e+308"]))
        return text[:at] + number + text[at:]
    if kind == "unicode":
        char = draw(st.one_of(st.characters(), st.sampled_from(["\ud800", "\udc00", "\\ud800", "\u0000", "\ufffe",
                                                                "\U0010FFFF", "\u2029", "\x85", "\x1b[31m"])))
        return text[:at] + char + text[at:]
    if kind == "tag":
        tag = draw(st.sampled_from(["!Ref ", "!Sub ", "!GetAtt ", "!Join ", "!If ", "!Base64 ", "!Foo ", "!!str ",
                                    "!!binary ", "!!python/object/apply:os.system ", "!!python/name:os.system ",
                                    "!!timestamp ", "!!null ", "!!bool ", "!Condition ", "!ForEach "]))
        line_start = text.rfind("\n", 0, at) + 1
        colon = text.find(": ", line_start)
        place = colon + 2 if 0 <= colon < text.find("\n", line_start) else at
        return text[:place] + tag + text[place:]
    if kind == "alias":
        line_start = text.rfind("\n", 0, at) + 1
        colon = text.find(": ", line_start)
        if colon < 0:
            return text
        anchor = draw(st.sampled_from(["&a ", "&b "]))
        text = text[:colon + 2] + anchor + text[colon + 2:]
        later = _at(draw, text)
        line_start = text.rfind("\n", 0, later) + 1
        colon = text.find(": ", line_start)
        if colon < 0:
            return text
        end = text.find("\n", colon)
        end = len(text) if end < 0 else end
        return text[:colon + 2] + draw(st.sampled_from(["*a", "*b", "*a\n  <<: *a", "[*a, *a, *a, *a]"])) + text[end:]
    if kind == "crlf":
        return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n"])))
    if kind == "bom":
        return "\ufeff" + text
    if kind == "swap":
        other = _at(draw, text)
        a, b = sorted((at, other))
        return text[:a] + text[b:] + text[a:b]
    # indent: shift one line left or right
    line_start = text.rfind("\n", 0, at) + 1
    return text[:line_start] + draw(st.sampled_from([" ", "  ", "\t", ""])) + text[line_start + draw(st.integers(0, 2)):]


@st.composite
def mutants(draw, text: str, most: int = 3) -> str:
    """``text`` after one to ``most`` mutations."""
    for _ in range(draw(st.integers(1, most))):
        text = draw(mutation(text))
    return text


@st.composite
def as_bytes(draw, text: str) -> bytes:
    """The text as a file holds it: UTF-8 now and then with bytes no text has (lone surrogates
    encoded, a stray continuation byte, UTF-16, a NUL)."""
    data = text.encode("utf-8", "surrogatepass")
    edit = draw(st.integers(0, 9))
    if edit == 0 and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf",
                                                 b"\x00", b"\xf4\x90\x80\x80"])) + data[at:]
    elif edit == 1:
        data = text.encode("utf-16", "surrogatepass")
    return data
