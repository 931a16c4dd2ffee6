"""Which resource patterns stand for every resource of their kind."""

from __future__ import annotations

import pytest

from iamlint.arns import is_every_resource, service_of


@pytest.mark.parametrize(("arn", "every", "service"), [
    ("*", True, "*"),
    ("arn:aws:s3:::*", True, "s3"),
    ("arn:aws:s3:::*/*", True, "s3"),
    ("arn:*:s3:::*", True, "s3"),
    ("arn:aws:*:*:*:*", True, "*"),
    ("arn:aws:logs:*:*:*", True, "logs"),
    ("arn:aws:kms:*::*", True, "kms"),
    ("arn:aws:ec2:*:*:*/*", True, "ec2"),
    ("arn:aws:sqs:*:111122223333:*", False, "sqs"),  # one account
    ("arn:aws:sqs:us-east-1:*:*", False, "sqs"),  # one region
    ("arn:aws:dynamodb:*:*:table/*", False, "dynamodb"),  # one resource type
    ("arn:aws:s3:::reports-*", False, "s3"),
    ("arn:aws:s3:::*/", False, "s3"),
    ("arn:aws:logs:*:*", False, "logs"),  # not an ARN: five fields
    ("arn:aws:iam::*:user/${aws:username}", False, "iam"),
    ("reports", False, None),
])
def test_every_resource_of_its_kind(arn, every, service):
    assert (is_every_resource(arn), service_of(arn)) == (every, service)


# --- the ARN helpers every rule shares (iamlint.arns) ---

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from conftest import REPO  # noqa: E402
from iamlint import arns  # noqa: E402
from iamlint.values import Opaque, Unknown  # noqa: E402


def _fields(arn):
    return None if arn is None else tuple((f.text, f.wild, f.variable, f.literal) for f in arn[1:])


@pytest.mark.parametrize(("value", "fields"), [
    ("arn:aws:sqs:us-east-1:111122223333:jobs",
     (("aws", False, False, True), ("sqs", False, False, True), ("us-east-1", False, False, True),
      ("111122223333", False, False, True), ("jobs", False, False, True))),
    ("arn:aws:s3:::home/${aws:username}/*",  # a variable's colon splits no field
     (("aws", False, False, True), ("s3", False, False, True), ("", False, False, True), ("", False, False, True),
      ("home/${aws:username}/*", True, True, False))),
    ("arn:aws:iam::${aws:PrincipalAccount}:role/a:b",  # the resource part keeps its colons
     (("aws", False, False, True), ("iam", False, False, True), ("", False, False, True),
      ("${aws:PrincipalAccount}", False, True, False), ("role/a:b", False, False, True))),
    ("arn:aws:*code*::111122223333:*",
     (("aws", False, False, True), ("*code*", True, False, False), ("", False, False, True),
      ("111122223333", False, False, True), ("*", True, False, False))),
    ("arn:aws:s3:reports", None),  # four fields: IAM111's
    ("aws:s3:::reports", None),
    ("*", None),
])
def test_parse_splits_six_fields(value, fields):
    assert _fields(arns.parse(value)) == fields


def test_parse_reads_the_known_pieces_of_an_opaque_value():
    value = Opaque("!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue}",
                   ("arn:", Unknown("AWS::Partition"), ":sqs:", Unknown("AWS::Region"), ":",
                    Unknown("AWS::AccountId"), ":", Unknown("Queue")))
    arn = arns.parse(value)
    assert arn.text == "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue}"
    assert [f.text for f in arn[1:]] == [None, "sqs", None, None, None]
    assert not any(f.literal for f in (arn.partition, arn.region, arn.account, arn.resource))
    # the deployment's pieces read as one such value, for rules that compare
    assert [f.text for f in arns.parse(arns.comparable(Opaque("x", value.parts[:-1] + ("jobs",))))[1:]] == [
        "aws", "sqs", "us-east-1", "123456789012", "jobs"]
    assert arns.parse(Opaque("!Ref Queue")) is None
    assert arns.parse(Opaque("x", (Unknown("var.arn"),))) is None


def test_partitions_and_regions():
    assert {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
            "aws-eusc"} <= set(arns.PARTITIONS)
    assert len(arns.PARTITIONS["aws"]) >= 34
    assert arns.region_exists("us-east-2") and arns.region_exists("mx-central-1")
    assert arns.region_exists("cn-north-1") and not arns.region_exists("cn-north-1", "aws")
    assert arns.region_exists("cn-north-1", "aws-cn") and arns.region_exists("us-east-1", "no-such-partition")
    assert not arns.region_exists("us-east-9") and not arns.region_exists("Region")
    assert arns.region_exists("eu-*") and arns.region_exists("us-gov-*", "aws-us-gov")
    assert not arns.region_exists("eu-wset-*") and not arns.region_exists("cn-*", "aws")


def test_partitions_file_names_where_it_came_from():
    data = json.loads((REPO / "iamlint" / "data" / "partitions.json").read_text(encoding="utf-8"))
    assert data["source"].startswith("botocore ") and "checked" in data


@pytest.mark.parametrize(("big", "small", "covers"), [
    ("role/jane*", "role/jane-admin", True),
    ("role/jane*", "role/jane*", True),
    ("role/jane*", "role/jane-*", True),
    ("role/jane-*", "role/jane*", False),
    ("*", "anything/*", True),
    ("a?c", "abc", True),
    ("a?c", "a?c", True),
    ("a?c", "a*c", False),  # `?` in big never covers `*` in small
    ("a*", "a?*", True),
    ("reports/*", "reports", False),
    ("Reports/*", "reports/a", False),
])
def test_glob_covers(big, small, covers):
    assert arns.glob_covers(big, small) is covers


def test_glob_covers_ignoring_case():
    assert arns.glob_covers("s3:Get*", "s3:getobject", ignore_case=True)
    assert arns.glob_covers("S3:GETOBJECT", "s3:getobject", ignore_case=True)
    assert not arns.glob_covers("s3:Get*", "s3:getobject")


@pytest.mark.parametrize(("big", "small", "covers"), [
    ("arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/jane-admin", True),
    ("arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::444455556666:role/jane-admin", False),
    ("*", "arn:aws:s3:::reports", True),
    ("arn:aws:s3:::*", "*", False),
    ("arn:aws:s3:::*", "arn:aws:s3:::reports/a:b", True),  # the resource part keeps its colons
    ("arn:aws:*:*:*:*", "arn:aws:sqs:us-east-1:111122223333:jobs", True),
    ("arn:aws:sqs:*:111122223333:*", "arn:aws:sqs:us-east-1:*:jobs", False),
    ("arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/${aws:username}/notes", True),
    ("arn:aws:s3:::home/*", "arn:aws:s3:::home/${aws:username}", True),
    ("arn:aws:s3:::reports", "not an arn", False),
])
def test_arn_covers(big, small, covers):
    assert arns.arn_covers(big, small) is covers


def test_arn_formats_come_from_every_service_that_holds_them():
    sqs = arns.arn_formats("sqs")
    assert [(f.prefix, f.resource_type, f.region, f.account) for f in sqs] == [("sqs", "queue", "${Region}", "${Account}")]
    assert sqs[0].matches("jobs") and sqs[0].literal_start == ""
    role = next(f for f in arns.arn_formats("iam") if f.resource_type == "role")
    assert (role.region, role.account, role.literal_start) == ("", "${Account}", "role/")
    assert role.matches("role/deployer") and not role.matches("roles/deployer")
    assert {f.prefix for f in arns.arn_formats("s3-object-lambda")} == {"s3", "s3-object-lambda"}
    assert arns.arn_formats("no-such-service") == []


def test_the_arn_service_index_is_current():
    """data/arn-services.json is what scripts/build_arn_index.py writes from the bundled data."""
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "build_arn_index.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


COVER_CASES = ["*", "arn:aws:s3:::*", "arn:aws:s3:::a*", "arn:aws:s3:::a?c", "arn:aws:s3:::abc", "arn:aws:s3:::a*c",
               "arn:aws:s3:::a:b", "arn:aws:s3:::a*:*", "arn:aws:*:*:*:*", "arn:*:s3:::*", "arn:aws:iam::*:role/*",
               "arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/jane-admin",
               "arn:aws:sqs:us-east-1:*:x", "arn:aws:sqs:*:111122223333:*", "arn:aws:sqs:us-?ast-1:1:x",
               "arn:aws:sqs:us-east-1:1:x", "arn:aws:s3", "arn:aws:s3:::a?*", "arn:aws:s3:::*?", "arn:aws:s3:::a*a",
               "arn:aws:s3:::aa", "arn:aws:s3:::abc*abc", "arn:aws:s3:::abcabc", "arn:aws:s3:::**",
               "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/*", "arn:aws:s3:::home/${aws:username}"]


def test_coverer_answers_as_arn_covers():
    """The compiled form rules use for many comparisons gives arn_covers' answer on every pair."""
    for big in COVER_CASES:
        covers = arns.coverer(big)
        assert [covers(small) for small in COVER_CASES] == [arns.arn_covers(big, small) for small in COVER_CASES], big


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    ("s3:get*", "s3:getobject", True), ("s3:get*", "s3:get*", True), ("s3:*object", "s3:getobject", True),
    ("a*b*c", "abc", True), ("a*b*c", "acb", False), ("ab*ba", "aba", False), ("*", "", True), ("abc", "abc", True),
])
def test_star_match_is_glob_covers_without_a_regex(pattern, text, matches):
    assert arns.star_match(arns.star_pieces(pattern), text) is matches is arns.glob_covers(pattern, text)
    assert arns.star_pieces("s3:g?t*") is None


def test_policy_arns_are_the_arn_entries_of_resource_and_not_resource(tmp_path):
    from iamlint.readers import reader_for
    from iamlint.readers.base import Source

    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": '
            '["*", "arn:aws:s3:::a", 5]}, {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::b"}]}')
    source = Source("p.json", text, None)
    policy = reader_for(source).read(source).policies[0]
    assert [(node.value, arn.resource.text) for node, arn in arns.policy_arns(policy)] == [
        ("arn:aws:s3:::a", "a"), ("arn:aws:s3:::b", "b")]
    assert [(element, [n.value for n in entries]) for _, element, entries in arns.policy_resources(policy)] == [
        ("Resource", ["*", "arn:aws:s3:::a"]), ("NotResource", ["arn:aws:s3:::b"])]
