"""Policy variables in a string: where each `${...}` starts and ends, escapes, names and defaults."""

from __future__ import annotations

import pytest

from iamlint.variables import first_wildcard, has_variables, variables, without_escapes


def test_each_variable_with_its_place_name_and_default():
    text = "arn:aws:s3:::${aws:PrincipalTag/team, 'none'}/${aws:username}/${*}"
    found = variables(text)
    assert [(v.text, v.start, v.end) for v in found] == [
        ("${aws:PrincipalTag/team, 'none'}", 13, 45), ("${aws:username}", 46, 61), ("${*}", 62, 66)]
    assert [(v.name, v.default, v.escape, v.closed) for v in found] == [
        ("aws:PrincipalTag/team", " 'none'", False, True), ("aws:username", None, False, True),
        ("*", None, True, True)]
    assert text[found[0].start:found[0].end] == found[0].text


def test_an_unclosed_variable_runs_to_the_end_and_ends_the_list():
    (variable,) = variables("home/${aws:username/*${x}")
    assert (variable.text, variable.closed, variable.body) == ("${aws:username/*${x}", True, "aws:username/*${x")
    (variable,) = variables("home/${aws:username/*")
    assert (variable.text, variable.closed, variable.escape) == ("${aws:username/*", False, False)


@pytest.mark.parametrize(("text", "expected"), [
    ("no variable", False), ("${*}${?}${$}", False), ("a${aws:username}", True), ("a${", True), ("$ {x}", False)])
def test_has_variables_leaves_escapes_out(text, expected):
    assert has_variables(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("admin-*", 6), ("a?b*", 1), ("${*}x", None), ("x${*}?", 5), ("${aws:PrincipalTag/a*}", None),
    ("${aws:username}/*", 16), ("plain", None)])
def test_the_first_wildcard_iam_matches(text, expected):
    assert first_wildcard(text) == expected


def test_without_escapes_keeps_real_wildcards_and_variables():
    assert without_escapes("a${*}b${?}c${$}*${aws:username}") == "abc*${aws:username}"
