"""The parsed view of condition entries: every operator IAM knows, decoded in one place."""

from __future__ import annotations

import pytest

from iamlint.conditions import BASE_OPERATORS, Condition
from iamlint.parsers.json_parser import parse_json
from iamlint.policy import PolicyDocument


def _conditions(condition: str):
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
            f'"Resource": "*", "Condition": {condition}}}]}}')
    return PolicyDocument(parse_json(text).root, "identity", "policy.json").statements()[0].conditions()


def _one(operator: str, key: str = "aws:SourceAccount", value: str = '"111122223333"') -> Condition:
    (condition,) = _conditions(f'{{"{operator}": {{"{key}": {value}}}}}')
    return condition


@pytest.mark.parametrize(("operator", "qualifier", "base", "if_exists", "type_", "negated", "absent"), [
    ("StringEquals", None, "StringEquals", False, "String", False, False),
    ("StringNotEquals", None, "StringNotEquals", False, "String", True, True),
    ("StringLikeIfExists", None, "StringLike", True, "String", False, True),
    ("ForAllValues:StringEquals", "ForAllValues", "StringEquals", False, "String", False, True),
    ("ForAnyValue:StringEquals", "ForAnyValue", "StringEquals", False, "String", False, False),
    ("ForAnyValue:StringNotLike", "ForAnyValue", "StringNotLike", False, "String", True, False),
    ("ForAllValues:StringNotLike", "ForAllValues", "StringNotLike", False, "String", True, True),
    ("ForAnyValue:ArnLikeIfExists", "ForAnyValue", "ArnLike", True, "Arn", False, True),
    ("ArnNotLike", None, "ArnNotLike", False, "Arn", True, True),
    ("NumericLessThanEquals", None, "NumericLessThanEquals", False, "Numeric", False, False),
    ("DateNotEquals", None, "DateNotEquals", False, "Date", True, True),
    ("BoolIfExists", None, "Bool", True, "Bool", False, True),
    ("ForAnyValue:Bool", "ForAnyValue", "Bool", False, "Bool", False, False),
    ("BinaryEquals", None, "BinaryEquals", False, "Binary", False, False),
    ("NotIpAddressIfExists", None, "NotIpAddress", True, "IpAddress", True, True),
    ("IpAddress", None, "IpAddress", False, "IpAddress", False, False),
    ("StringEqual", None, "StringEqual", False, None, False, False),  # not an operator
    ("stringEquals", None, "stringEquals", False, None, False, False),  # operators are case-sensitive
    ("forallvalues:StringEquals", None, "forallvalues:StringEquals", False, None, False, False),
])
def test_an_operator_reads_as_qualifier_base_if_exists_type_and_negation(
        operator, qualifier, base, if_exists, type_, negated, absent):
    condition = _one(operator)
    assert (condition.operator, condition.qualifier, condition.base, condition.if_exists, condition.type,
            condition.negated, condition.matches_absent) == (operator, qualifier, base, if_exists, type_, negated,
                                                            absent)


def test_every_base_operator_has_a_type():
    assert set(t for t, _ in BASE_OPERATORS.values()) == {
        "String", "Numeric", "Date", "Bool", "Binary", "IpAddress", "Arn", "Null"}


@pytest.mark.parametrize(("value", "absent"), [('"true"', True), ('"false"', False), ('"maybe"', None)])
def test_null_matches_an_absent_key_when_its_value_is_true(value, absent):
    assert _one("Null", value=value).matches_absent is absent


def test_key_name_value_nodes_and_the_node_to_report():
    condition = _one("StringEquals", key="aws:SourceAccount", value='["111122223333", "444455556666"]')
    assert (condition.key, condition.name) == ("aws:SourceAccount", "aws:sourceaccount")
    assert [v.value for v in condition.values] == ["111122223333", "444455556666"]
    assert condition.key_node.value == "aws:SourceAccount"
    assert condition.key_node.span[:2] == (1, 135)


@pytest.mark.parametrize(("operator", "key", "value", "narrows"), [
    ("StringEquals", "aws:SourceAccount", '"111122223333"', True),
    ("StringEquals", "aws:SourceAccount", "111122223333", True),  # a number, as YAML reads it
    ("StringEquals", "aws:SourceAccount", '{"Ref": "AWS::AccountId"}', True),  # opaque: never read as `*`
    ("ForAnyValue:StringEquals", "aws:SourceAccount", '"111122223333"', True),
    ("ForAllValues:StringEquals", "aws:SourceAccount", '"111122223333"', False),
    ("StringEqualsIfExists", "aws:SourceAccount", '"111122223333"', False),
    ("StringNotEquals", "aws:SourceAccount", '"111122223333"', False),
    ("Null", "aws:SourceAccount", '"false"', False),
    ("StringEqual", "aws:SourceAccount", '"111122223333"', False),  # not an operator
    ("StringLike", "aws:SourceAccount", '"*"', False),
    ("StringLike", "aws:SourceAccount", "[]", False),
    ("ArnLike", "aws:SourceArn", '["arn:aws:sns:us-east-1:111122223333:a", "arn:aws:s3:::*"]', False),
    ("ArnLike", "aws:SourceArn", '"arn:aws:sns:*:111122223333:*"', True),
    ("StringLike", "aws:ResourceTag/team", '"*"', True),  # the tag must be there
    ("IpAddress", "aws:SourceIp", '["10.0.0.0/8", "172.16.0.0/12", "fd00::/8"]', False),
    ("IpAddress", "aws:SourceIp", '["10.0.0.0/8", "203.0.113.0/24"]', True),
    ("IpAddress", "aws:SourceIp", '"0.0.0.0/0"', False),
    ("Bool", "aws:MultiFactorAuthPresent", '"true"', True),
    ("Bool", "aws:MultiFactorAuthPresent", '"false"', False),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "true", False),
    ("NumericLessThan", "aws:MultiFactorAuthAge", '"3600"', True),
])
def test_narrows_only_with_a_test_the_key_must_pass_and_particular_values(operator, key, value, narrows):
    assert _one(operator, key, value).narrows() is narrows


@pytest.mark.parametrize(("operator", "value", "required"), [
    ("Bool", '"true"', True), ("Bool", "true", True), ("ForAnyValue:Bool", '["true"]', True),
    ("BoolIfExists", '"true"', False), ("ForAllValues:Bool", '"true"', False), ("Bool", '"false"', False),
    ("StringEquals", '"true"', False),
])
def test_requires_true(operator, value, required):
    conditions = _conditions(f'{{"{operator}": {{"aws:MultiFactorAuthPresent": {value}}}}}')
    assert conditions.requires_true("aws:MultiFactorAuthPresent") is required
