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
