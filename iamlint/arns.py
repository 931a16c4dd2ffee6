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
