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
    assert {t for t, _ in BASE_OPERATORS.values()} == {
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


def test_operator_node_key_type_family_and_aliases():
    (entry,) = _conditions('{"ForAnyValue:StringLike": {"aws:TagKeys": ["team", 5, {"Ref": "Key"}]}}')
    assert entry.operator_node.value == "ForAnyValue:StringLike" and entry.operator_node.span[:2] == (1, 118)
    assert (entry.family, entry.key_lower, entry.key_type) == ("String", "aws:tagkeys", "ArrayOfString")
    assert [v.value for v in entry.strings()] == ["team"]  # numbers and opaque values left out
    assert len(entry.values) == 3


@pytest.mark.parametrize(("key", "kind"), [
    ("aws:SourceIp", "IPAddress"), ("AWS:SOURCEIP", "IPAddress"), ("aws:PrincipalTag/team", "String"),
    ("s3:prefix", "String"), ("aws:MultiFactorAuthPresent", "Bool"), ("iam:PassedToService", "String"),
    ("token.actions.githubusercontent.com:sub", None), ("s3:prefixx", None),
])
def test_key_type_from_the_data(key, kind):
    from iamlint.conditions import key_type

    assert key_type(key) == kind
    assert _one("StringEquals", key=key).key_type == kind


@pytest.mark.parametrize(("operator", "positive"), [
    ("StringEquals", True), ("ForAnyValue:StringEquals", True), ("StringNotEquals", False),
    ("StringEqualsIfExists", False), ("ForAllValues:StringEquals", False), ("Null", False), ("StringEqual", False),
])
def test_positive_means_the_key_must_be_present_and_match(operator, positive):
    assert _one(operator).positive is positive


def test_entries_are_the_statements_cached_conditions():
    from iamlint.conditions import entries

    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
            '"Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}')
    statement = PolicyDocument(parse_json(text).root, "identity", "policy.json").statements()[0]
    assert entries(statement) is statement.conditions() and len(entries(statement)) == 1


def test_ip_networks_and_private_ranges():
    from iamlint.conditions import ip_networks, is_private

    entry = _one("IpAddress", key="aws:SourceIp",
                 value='["203.0.113.7/24", "10.0.0.0/8", "not an address", 5, "2001:DB8::/32", "fd00::/8"]')
    networks = ip_networks(entry)
    assert [(node.value, str(net)) for node, net in networks] == [
        ("203.0.113.7/24", "203.0.113.0/24"), ("10.0.0.0/8", "10.0.0.0/8"), ("2001:DB8::/32", "2001:db8::/32"),
        ("fd00::/8", "fd00::/8")]
    assert [is_private(net) for _, net in networks] == [False, True, False, True]
    import ipaddress

    for text, private in [("172.16.5.0/24", True), ("192.168.1.1", True), ("100.64.0.0/10", True),
                          ("127.0.0.1", True), ("169.254.169.254", True), ("::1", True), ("fe80::/64", True),
                          ("0.0.0.0/0", False), ("::/0", False), ("10.0.0.0/7", False), ("198.51.100.0/24", False)]:
        assert is_private(ipaddress.ip_network(text, strict=False)) is private, text


@pytest.mark.parametrize(("key", "kind", "multivalued"), [
    ("aws:TagKeys", "ArrayOfString", True), ("AWS:TAGKEYS", "ArrayOfString", True),
    ("aws:PrincipalOrgID", "String", False), ("aws:SourceIp", "IPAddress", False),
    ("accounts.google.com:aud", "String", False),  # identity providers' keys: typed among STS's keys
    ("cognito-identity.amazonaws.com:aud", "String", False), ("saml:cn", "ArrayOfString", True),
    ("token.actions.githubusercontent.com:aud", None, None), ("oidc.example.com:aud", None, None),
    ("s3:prefixx", None, None),
    # the exception table: typed one way, used both ways by AWS
    ("events:detail-type", "ArrayOfString", None), ("codestar-connections:ProviderAction", "String", None),
    ("Cognito-Identity.amazonaws.com:AMR", "String", None),
])
def test_declared_type_and_whether_a_key_is_multivalued(key, kind, multivalued):
    from iamlint.conditions import declared_type, key_type
    from iamlint.conditions import multivalued as is_multivalued

    assert declared_type(key) == kind
    assert is_multivalued(key) is multivalued
    if "." in key.partition(":")[0]:
        assert key_type(key) is None  # key_type itself is unchanged: condition-type-mismatch relies on it


@pytest.mark.parametrize(("key", "provider", "audience"), [
    ("token.actions.githubusercontent.com:aud", True, True), ("oidc.eks.us-east-1.amazonaws.com/id/ABC:aud", True, True),
    ("accounts.google.com:AUD", True, True), ("saml:aud", True, False), ("accounts.google.com:sub", True, False),
    ("aws:SourceIp", False, False), ("sts:aud", False, False),
])
def test_provider_keys_and_audience_claims(key, provider, audience):
    from iamlint.conditions import is_audience_claim, is_provider_key

    assert is_provider_key(key) is provider
    assert is_audience_claim(key) is audience


@pytest.mark.parametrize(("operator", "wildcards"), [
    ("StringLike", True), ("ForAnyValue:StringNotLikeIfExists", True), ("ArnEquals", True), ("ArnNotLike", True),
    ("StringEquals", False), ("StringEqualsIgnoreCase", False), ("Null", False), ("StringEqual", False)])
def test_which_operators_read_wildcards(operator, wildcards):
    assert _one(operator).matches_wildcards is wildcards


def test_policy_entries_are_every_statements_entries_in_order_built_once():
    from iamlint.conditions import policy_entries

    text = ('{"Version": "2012-10-17", "Statement": ['
            '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": '
            '{"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2"}}},'
            '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},'
            '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": '
            '{"aws:SecureTransport": "true"}}}]}')
    policy = PolicyDocument(parse_json(text).root, "identity", "policy.json")
    entries = policy_entries(policy)
    assert [e.key for e in entries] == ["aws:PrincipalTag/a", "aws:PrincipalTag/b", "aws:SecureTransport"]
    assert policy_entries(policy) is entries
    assert entries[2] is policy.statements()[2].conditions()[0]


def test_sensitive_keys_say_how_their_values_may_be_written():
    from iamlint.conditions import sensitive_keys

    keys = sensitive_keys()
    assert (keys["aws:sourceaccount"], keys["aws:principalarn"], keys["aws:userid"]) == ("exact", "prefix", "userid")
    assert set(keys.values()) == {"exact", "prefix", "userid"}
    assert all(key == key.lower() for key in keys)
