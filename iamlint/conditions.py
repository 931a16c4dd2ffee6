"""One parsed view of each condition entry: what an operator means is decoded here, once.

A statement's ``Condition`` maps operators to ``{key: value or [values]}``; each (operator, key)
pair is one entry. IAM reads an operator as ``[ForAllValues:|ForAnyValue:]<base>[IfExists]``:

- the base operator says the value type it compares (String, Arn, Numeric, Date, Bool,
  IpAddress, Binary, Null) and whether it is negated (``StringNotEquals``, ``NotIpAddress``...);
- ``IfExists`` makes the entry true when the request has no such key;
- ``ForAllValues:`` is true when every value of the request's key matches, and so when the key
  is absent or empty; ``ForAnyValue:`` when at least one does, never when the key is absent.

Rules ask the view the questions they need (does this entry confine the request to particular
values, does it require a boolean key to be true) instead of taking operator names apart.

What rules call: ``Statement.conditions()`` (or ``entries(statement)``, the same) for the
statement's ``Condition`` entries, each with ``operator``/``operator_node``, ``qualifier``,
``base``, ``if_exists``, ``negated``, ``type`` (alias ``family``), ``key``/``key_node``,
``name`` (alias ``key_lower``), ``key_type`` (from the service data), ``values``/``strings()``,
``matches_absent``, ``requires_key`` (alias ``positive``), ``narrows()``; and ``key_type(key)``,
``ip_networks(entry)``, ``is_private(network)``; ``declared_type(key)`` (``key_type``, identity
providers' keys included), ``multivalued(key)``, ``is_provider_key(key)``, ``is_audience_claim(key)``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipaddress import IPv4Network, IPv6Network
    from typing import Callable, Collection, Iterator

    from iamlint.nodes import Node

from iamlint import services

# base operator -> (the value type it compares, negated)
BASE_OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("String", False), "StringNotEquals": ("String", True),
    "StringEqualsIgnoreCase": ("String", False), "StringNotEqualsIgnoreCase": ("String", True),
    "StringLike": ("String", False), "StringNotLike": ("String", True),
    "NumericEquals": ("Numeric", False), "NumericNotEquals": ("Numeric", True),
    "NumericLessThan": ("Numeric", False), "NumericLessThanEquals": ("Numeric", False),
    "NumericGreaterThan": ("Numeric", False), "NumericGreaterThanEquals": ("Numeric", False),
    "DateEquals": ("Date", False), "DateNotEquals": ("Date", True),
    "DateLessThan": ("Date", False), "DateLessThanEquals": ("Date", False),
    "DateGreaterThan": ("Date", False), "DateGreaterThanEquals": ("Date", False),
    "Bool": ("Bool", False),
    "BinaryEquals": ("Binary", False),
    "IpAddress": ("IpAddress", False), "NotIpAddress": ("IpAddress", True),
    "ArnEquals": ("Arn", False), "ArnLike": ("Arn", False),
    "ArnNotEquals": ("Arn", True), "ArnNotLike": ("Arn", True),
    "Null": ("Null", False),
}
QUALIFIERS = ("ForAllValues", "ForAnyValue")
_IF_EXISTS = "IfExists"
# base operators that read `*` and `?` in their values as wildcards (ARN operators do, whether
# they say Equals or Like; `StringEquals` compares them literally)
WILDCARD_OPERATORS = frozenset({"StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"})


def is_opaque_value(value) -> bool:
    """A value known only when deployed (a template's ``{"Ref": ...}``, a reader's opaque value):
    anything but JSON's scalars and lists."""
    return type(value) not in (str, int, float, bool, list, type(None))


def value_is_true(node: Node) -> bool | None:
    """A condition value read as IAM reads booleans: ``true``, ``"true"`` (any case), lists of them."""
    values = [n.value for n in node.elements()]
    if not values:
        return None
    truths = {str(v).lower() for v in values}
    if truths == {"true"}:
        return True
    if truths == {"false"}:
        return False
    return None


class Condition:
    """One condition entry, ``operator: {key: value}``, parsed.

    - ``operator``: as written (``ForAnyValue:StringNotLikeIfExists``);
    - ``qualifier``: ``"ForAllValues"``, ``"ForAnyValue"`` or None;
    - ``base``: the operator without qualifier and ``IfExists`` (``StringNotLike``);
    - ``if_exists``: whether it ends in ``IfExists``;
    - ``type``: the value type the base compares (``String``, ``Arn``, ``Numeric``, ``Date``,
      ``Bool``, ``IpAddress``, ``Binary``, ``Null``), None for an operator IAM does not know;
    - ``negated``: ``...Not...`` operators and ``NotIpAddress``;
    - ``key``: the key as written, ``name`` the same in lower case (keys are case-insensitive);
    - ``node``: the value node (its ``key`` is the key node), ``values`` its elements (a value
      only known when deployed is kept: ``iamlint.values.is_opaque`` tells it);
    - ``operator_node``: the operator's key node (where to report the operator), when known.
    """

    __slots__ = ("operator", "qualifier", "base", "if_exists", "type", "negated", "key", "name", "node", "values",
                 "operator_node", "_key_type")

    def __init__(self, operator: str, key: str, node: Node, operator_node: Node | None = None) -> None:
        self.operator = operator
        self.operator_node = operator_node
        self.key = key
        self.name = key.lower()
        self.node = node
        self.values: list[Node] = node.elements()
        self._key_type: str | None | bool = False  # not looked up yet
        qualifier, colon, rest = operator.partition(":")
        if colon and qualifier in QUALIFIERS:
            self.qualifier: str | None = qualifier
        else:
            self.qualifier, rest = None, operator
        self.if_exists = rest.endswith(_IF_EXISTS)
        self.base = rest[:-len(_IF_EXISTS)] if self.if_exists else rest
        # `Null` with a qualifier or `IfExists` is still a Null test; the grammar rules say it is wrong
        self.type, self.negated = BASE_OPERATORS.get(self.base, (None, False))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Condition({self.operator!r}, {self.key!r}, {self.node.to_python()!r})"

    @property
    def key_node(self) -> Node:
        """Where to report the entry: its key."""
        return self.node.key or self.node

    @property
    def family(self) -> str | None:
        """The value type the operator compares (``type``)."""
        return self.type

    @property
    def key_lower(self) -> str:
        """The key in lower case (``name``)."""
        return self.name

    @property
    def key_type(self) -> str | None:
        """The key's type in the service data or IAM's list of global keys (``String``,
        ``ArrayOfString``, ``ARN``, ``Bool``, ``Numeric``, ``Date``, ``IPAddress``, ...), None
        when nobody defines it (identity providers' keys, typos)."""
        if self._key_type is False:
            self._key_type = key_type(self.key)
        return self._key_type

    @property
    def positive(self) -> bool:
        """The key must be present and match: ``requires_key`` (not negated, not ``IfExists``,
        not ``ForAllValues:``, not ``Null``, a known operator)."""
        return self.requires_key

    @property
    def matches_wildcards(self) -> bool:
        """Whether the operator reads `*` and `?` in its values as wildcards (``WILDCARD_OPERATORS``)."""
        return self.base in WILDCARD_OPERATORS

    def strings(self) -> list[Node]:
        """The values that are strings (numbers, booleans and values only known when deployed left out)."""
        return [v for v in self.values if type(v.value) is str]

    @property
    def truth(self) -> bool | None:
        """The value read as a boolean (``Bool`` and ``Null``): True, False, or None when mixed or not one."""
        return value_is_true(self.node)

    @property
    def matches_absent(self) -> bool | None:
        """Whether the entry is true for a request without the key: ``...IfExists`` and
        ``ForAllValues:`` entries are, and so are plain negated operators; positive operators and
        ``ForAnyValue:`` are not; ``Null`` is when its value is ``true`` (None: not a boolean)."""
        if self.type == "Null":
            return self.truth
        if self.if_exists or self.qualifier == "ForAllValues":
            return True
        return self.negated and self.qualifier is None

    @property
    def requires_key(self) -> bool:
        """True when the entry can only be true for requests that carry the key, and then only for
        the values it lists: a known, positive operator that is false when the key is absent."""
        return self.type not in (None, "Null") and not self.negated and self.matches_absent is False

    def requires(self, truth: bool) -> bool:
        """True for a ``Bool`` entry that only matches requests whose key has this value:
        ``Bool`` or ``ForAnyValue:Bool`` (not ``...IfExists``, not ``ForAllValues:``)."""
        return self.type == "Bool" and self.requires_key and self.truth is truth

    def narrows(self) -> bool:
        """True when the entry confines the request to particular values of its key: it requires
        the key (see ``requires_key``) and no value matches everything (``*``, an ARN pattern of
        every resource, ``0.0.0.0/0``), except on a tag key (``aws:ResourceTag/team``), whose
        presence alone confines to what carries the tag; an ``IpAddress`` entry with private ranges only never
        matches a request through a public endpoint and does not count; a ``Bool`` entry narrows
        when it requires ``true``. Values iamlint cannot read (template intrinsics) count as
        particular ones."""
        if not self.requires_key or not self.values:
            return False
        if self.type == "Bool":
            return self.truth is True
        if self.type == "IpAddress":
            return _narrowing_addresses(self.values)
        if "tag/" in self.name:
            return True  # `StringLike aws:ResourceTag/team *`: only what carries the tag, whatever its value
        return all(_particular(v) for v in self.values)


Entry = Condition  # one (operator, key) pair: the name the Access Analyzer plan gives it


def _particular(node: Node) -> bool:
    value = node.value
    if type(value) is str:
        from iamlint.arns import is_every_resource

        return bool(value.strip()) and not is_every_resource(value)
    if is_opaque_value(value):
        return True  # `!Ref SourceAccount`: known when deployed, never read as `*`
    return type(value) in (int, float)


# Addresses that never reach a public endpoint: RFC 1918, shared (RFC 6598), loopback, link-local,
# IPv6 unique-local. (Python's `is_private` also counts the documentation ranges, which AWS's own
# examples use as public ones.)
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
                  "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128")


def _private_ranges() -> list:
    global _PRIVATE
    if _PRIVATE is None:
        import ipaddress

        _PRIVATE = [ipaddress.ip_network(r) for r in PRIVATE_RANGES]
    return _PRIVATE


_PRIVATE: list | None = None


def is_private(network: IPv4Network | IPv6Network) -> bool:
    """Whether every address of ``network`` is one that never reaches a public endpoint (in
    ``PRIVATE_RANGES``: RFC 1918, shared, loopback, link-local, unique-local). ``0.0.0.0/0`` and
    ``::/0`` are not; nor are the documentation ranges (``203.0.113.0/24``, ``2001:db8::/32``),
    which Python's ``is_private`` counts but AWS's examples use as public addresses."""
    return any(network.version == r.version and network.subnet_of(r) for r in _private_ranges())


def ip_networks(entry: Condition) -> list[tuple[Node, IPv4Network | IPv6Network]]:
    """The values of an entry that are IP addresses or CIDR ranges, parsed (host bits allowed:
    ``203.0.113.7/24`` reads as ``203.0.113.0/24``), each with its node; other values left out."""
    import ipaddress

    found = []
    for node in entry.values:
        if type(node.value) is str:
            try:
                found.append((node, ipaddress.ip_network(node.value.strip(), strict=False)))
            except ValueError:
                continue
    return found


def _narrowing_addresses(values: list[Node]) -> bool:
    """Not `0.0.0.0/0` anywhere, and not private ranges only."""
    import ipaddress

    private = True
    for node in values:
        if type(node.value) is not str:
            private = False  # an intrinsic, or not an address: not known to be private
            continue
        try:
            network = ipaddress.ip_network(node.value.strip(), strict=False)
        except ValueError:
            private = False
            continue
        if network.prefixlen == 0:
            return False
        private = private and is_private(network)
    return not private


class Conditions(tuple):
    """The entries of one statement's ``Condition``, in document order, with the questions rules ask.

    A ``Condition`` a reader cannot know (a Terraform ``dynamic "condition"``, one whose test or
    key is an expression; an operator block built by a function) is ``unknown``: it has no
    entries to read, but it may confine the request, so "no narrowing condition" and "no MFA
    condition" are never concluded from it."""

    __slots__ = ()
    unknown = False

    @classmethod
    def of(cls, condition: Node | None) -> Conditions:
        if condition is None:
            return cls()
        from iamlint.values import Opaque

        if type(condition.value) is Opaque or any(type(block.value) is Opaque for _, block in condition.items()):
            return _UNKNOWN
        return cls(Condition(operator, key, value, block.key) for operator, block in condition.items()
                   for key, value in block.items())

    @property
    def names(self) -> set[str]:
        """The keys tested, in lower case, whatever the operator."""
        return {c.name for c in self}

    def on(self, keys: Collection[str] | Callable[[str], bool]) -> Iterator[Condition]:
        """The entries on one of ``keys`` (lower-case names, or a test of the lower-case name)."""
        test = keys if callable(keys) else keys.__contains__
        return (c for c in self if test(c.name))

    def narrowing(self, keys: Collection[str] | Callable[[str], bool]) -> Condition | None:
        """The first entry on one of ``keys`` that confines the request (``Condition.narrows``)."""
        return next((c for c in self.on(keys) if c.narrows()), None)

    def narrows(self, keys: Collection[str] | Callable[[str], bool]) -> bool:
        return self.unknown or self.narrowing(keys) is not None

    def requires_true(self, key: str) -> bool:
        """True when an entry only matches requests where the boolean ``key`` is ``true``."""
        return self.unknown or any(c.requires(True) for c in self.on((key.lower(),)))


class _UnknownConditions(Conditions):
    __slots__ = ()
    unknown = True


_UNKNOWN = _UnknownConditions()


def entries(statement) -> Conditions:
    """A statement's condition entries (``iamlint.policy.Statement.conditions()``: parsed once,
    then cached on the statement)."""
    return statement.conditions()


def policy_entries(policy) -> tuple[Condition, ...]:
    """Every condition entry of a policy, statement after statement, in document order; built
    once per policy (``policy.cache``). Rules that look at each entry on its own iterate this
    instead of the statements: most policies have no condition, and then there is nothing to do."""
    found = policy.cache.get("conditions.entries")
    if found is None:
        found = policy.cache["conditions.entries"] = tuple(
            entry for statement in policy.statements() for entry in statement.conditions())
    return found


def sensitive_keys() -> dict[str, str]:
    """Condition keys whose values must name particular accounts, organizations or principals
    (``data/sensitive-condition-keys.txt``): lower-case key -> how its values may be written,
    ``exact`` (no wildcard, no caller-set variable), ``prefix`` (6 literal characters first) or
    ``userid`` (a wildcard or variable only after ``<unique id>:``)."""
    global _SENSITIVE
    if _SENSITIVE is None:
        from iamlint.data import read_list

        _SENSITIVE = {key.lower(): how for key, how in (line.split() for line in read_list("sensitive-condition-keys"))}
    return _SENSITIVE


_SENSITIVE: dict[str, str] | None = None


def key_type(key: str) -> str | None:
    """A condition key's type from the data (IAM's global keys, or its service's), or None when
    nobody defines it."""
    return _key_type(key)


@services.cached(maxsize=8192)
def _key_type(key: str) -> str | None:
    kind = services.global_condition_key_type(key)
    if kind is not None:
        return kind
    prefix, colon, _ = key.partition(":")
    service = services.service(prefix) if colon else None
    return service.condition_key_type(key) if service is not None else None


# Identity providers' keys (`accounts.google.com:aud`, `saml:sub`): their types are among STS's keys.
def is_provider_key(key: str) -> bool:
    """A key of an identity provider rather than of a service: its prefix is a host
    (`token.actions.githubusercontent.com:aud`, `oidc.eks.us-east-1.amazonaws.com/id/ABC:sub`) or `saml`."""
    prefix = key.partition(":")[0].lower()
    return "." in prefix or prefix == "saml"


def is_audience_claim(key: str) -> bool:
    """An OpenID Connect provider's audience claim, `<provider>:aud` with a host as provider
    (`token.actions.githubusercontent.com:aud`, `cognito-identity.amazonaws.com:aud`)."""
    provider, colon, claim = key.rpartition(":")
    return bool(colon) and claim.lower() == "aud" and "." in provider


@services.cached(maxsize=8192)
def declared_type(key: str) -> str | None:
    """A key's type as ``key_type`` gives it, and for an identity provider's key the type the
    data gives among STS's keys (`accounts.google.com:aud`: ``String``); None when no data types
    the key (custom providers' claims, typos)."""
    kind = key_type(key)
    if kind is None and is_provider_key(key):
        sts = services.service("sts")
        kind = sts.condition_key_type(key) if sts is not None else None
    return kind


@services.cached(maxsize=8192)
def multivalued(key: str) -> bool | None:
    """Whether a request can carry several values of ``key``: True for keys typed ``ArrayOf...``,
    False for the other typed keys, None when no data types the key or when AWS uses it both
    ways (the keys of ``data/multivalued-key-exceptions.txt``)."""
    if key.lower() in _multivalued_exceptions():
        return None
    kind = declared_type(key)
    return None if kind is None else kind.startswith("ArrayOf")


def _multivalued_exceptions() -> frozenset[str]:
    global _EXCEPTIONS
    if _EXCEPTIONS is None:
        import os

        path = os.path.join(services.DATA, "multivalued-key-exceptions.txt")
        with open(path, encoding="utf-8") as handle:
            _EXCEPTIONS = frozenset(line.split("#", 1)[0].strip().lower() for line in handle
                                    if line.split("#", 1)[0].strip())
    return _EXCEPTIONS


_EXCEPTIONS: frozenset[str] | None = None
