"""IAM policy variables in a string: ``${aws:username}``, ``${aws:PrincipalTag/team, 'default'}``.

IAM substitutes a variable in ``Resource``/``NotResource`` and in condition values (with
``"Version": "2012-10-17"``): the text between ``${`` and ``}`` names a condition key, optionally
followed by a comma and a quoted default. ``${*}``, ``${?}`` and ``${$}`` are escapes for the
characters themselves. Everything here is about the text; which element may hold a variable is
the rules' business (invalid-policy-variable), and a value built by a template or Terraform
(``iamlint.values.Opaque``) is never read here.
"""

from __future__ import annotations

import re
from collections import namedtuple
from functools import lru_cache

ESCAPES = ("${*}", "${?}", "${$}")  # the characters `*`, `?`, `$` themselves
_WILDCARD = re.compile(r"[*?]")


class Variable(namedtuple("Variable", "text start body closed")):
    """One ``${...}`` of a string, as written: ``text`` (`${aws:username}`; for an unclosed one,
    from `${` to the end of the string), its ``start`` offset in the string, its ``body``
    (between `${` and `}`, to the end when unclosed), and whether it is ``closed`` by a `}`.
    (A ``collections.namedtuple``: ``typing.NamedTuple`` would import typing, 11 ms of every run.)"""

    __slots__ = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def escape(self) -> bool:
        """``${*}``, ``${?}``, ``${$}``: a literal character, not a variable."""
        return self.closed and self.body in ("*", "?", "$")

    @property
    def name(self) -> str:
        """The key it names, as written (before the default's comma), spaces kept."""
        return self.body.partition(",")[0]

    @property
    def default(self) -> str | None:
        """The default as written (after the first comma), or None when it has none."""
        _, comma, default = self.body.partition(",")
        return default if comma else None


@lru_cache(maxsize=8192)
def variables(text: str) -> tuple[Variable, ...]:
    """Every ``${...}`` of ``text`` in order, escapes included (``Variable.escape``); an
    unclosed ``${`` ends the list."""
    found = []
    at = text.find("${")
    while at >= 0:
        close = text.find("}", at + 2)
        if close < 0:
            found.append(Variable(text[at:], at, text[at + 2:], False))
            break
        found.append(Variable(text[at:close + 1], at, text[at + 2:close], True))
        at = text.find("${", close + 1)
    return tuple(found)


def has_variables(text: str) -> bool:
    """Whether ``text`` holds a variable (an escape is not one)."""
    return "${" in text and any(not v.escape for v in variables(text))


def without_escapes(text: str) -> str:
    """``text`` without its escapes: what is left of ``a${*}b`` is ``ab``, so the wildcards
    left are real ones."""
    if "${" not in text:
        return text
    for escape in ESCAPES:
        text = text.replace(escape, "")
    return text


def first_wildcard(text: str) -> int | None:
    """The offset of the first ``*`` or ``?`` that IAM matches as a wildcard: not inside a
    variable, not an escape. None when there is none."""
    if "*" not in text and "?" not in text:
        return None
    at = 0
    for variable in variables(text) if "${" in text else ():
        found = _WILDCARD.search(text, at, variable.start)
        if found is not None:
            return found.start()
        at = variable.end
    found = _WILDCARD.search(text, at)
    return found.start() if found is not None else None
