"""Resource ARN patterns as IAM matches them: which ones name every resource of their kind."""

from __future__ import annotations

import re
from functools import lru_cache

_WILD_ONLY = re.compile(r"^[*?]*\*[*?]*$")  # `*`, `**`, `*?`: wildcards, at least one `*`


@lru_cache(maxsize=16384)
def is_every_resource(arn: str) -> bool:
    """True for a pattern that matches every resource its service part allows, in every account and
    region: ``*``, ``arn:aws:s3:::*``, ``arn:aws:s3:::*/*``, ``arn:*:s3:::*``, ``arn:aws:*:*:*:*``,
    ``arn:aws:logs:*:*:*``. Region and account must be ``*`` or empty (S3 has neither), and the
    resource part wildcards alone (``*/*`` and ``*:*`` included). A literal account, region or
    resource type (``arn:aws:sqs:*:111122223333:*``, ``arn:aws:dynamodb:*:*:table/*``) narrows it."""
    arn = arn.strip()
    if _WILD_ONLY.match(arn):
        return True
    fields = arn.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn" or not fields[1] or not fields[2]:
        return False
    if any(field not in ("", "*") and not _WILD_ONLY.match(field) for field in fields[3:5]):
        return False
    parts = [part for part in re.split(r"[/:]", fields[5])]
    return all(_WILD_ONLY.match(part) for part in parts)


def service_of(arn: str) -> str | None:
    """The service part of an ARN pattern (``s3``, ``*``), lower case; ``*`` for ``*`` itself."""
    arn = arn.strip()
    if _WILD_ONLY.match(arn):
        return "*"
    fields = arn.split(":", 5)
    return fields[2].lower() if len(fields) >= 3 and fields[0] == "arn" else None


# Pieces of an ARN known only when deployed, yet of a known kind: the partition, region and account
# of the deployment (CloudFormation pseudo parameters, Terraform's data sources for them). A rule
# that compares ARNs may read them as one such value; no other unknown piece is ever guessed.
_DEPLOYMENT_PIECES = (
    (re.compile(r"^(AWS::Partition|data\.aws_partition\.[\w-]+\.partition)$"), "aws"),
    (re.compile(r"^(AWS::Region|data\.aws_region\.[\w-]+\.(name|region|id))$"), "us-east-1"),
    (re.compile(r"^(AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id)$"), "123456789012"),
    (re.compile(r"^(AWS::URLSuffix)$"), "amazonaws.com"),
)


def comparable(value) -> str | None:
    """An ARN as rules may compare it: a string as it is, or an opaque value whose only unknown
    pieces are the deployment's partition, region and account, with one such value standing in
    for each (``arn:${AWS::Partition}:s3:::reports/*`` -> ``arn:aws:s3:::reports/*``); None when
    any other piece is unknown."""
    if type(value) is str:
        return value
    parts = getattr(value, "parts", None)
    if parts is None:
        return None
    text = []
    for part in parts:
        if type(part) is str:
            text.append(part)
            continue
        stand_in = next((value for pattern, value in _DEPLOYMENT_PIECES if pattern.match(part.name)), None)
        if stand_in is None:
            return None
        text.append(stand_in)
    return "".join(text)
