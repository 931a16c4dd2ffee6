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
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Collection, Iterator

    from iamlint.nodes import Node

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
    - ``node``: the value node (its ``key`` is the key node), ``values`` its elements.
    """

    __slots__ = ("operator", "qualifier", "base", "if_exists", "type", "negated", "key", "name", "node", "values")

    def __init__(self, operator: str, key: str, node: Node) -> None:
        self.operator = operator
        self.key = key
        self.name = key.lower()
        self.node = node
        self.values: list[Node] = node.elements()
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


def _narrowing_addresses(values: list[Node]) -> bool:
    """Not `0.0.0.0/0` anywhere, and not private ranges only."""
    import ipaddress

    private_ranges = [ipaddress.ip_network(r) for r in PRIVATE_RANGES]
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
        private = private and any(network.version == r.version and network.subnet_of(r) for r in private_ranges)
    return not private


class Conditions(tuple):
    """The entries of one statement's ``Condition``, in document order, with the questions rules ask."""

    __slots__ = ()

    @classmethod
    def of(cls, condition: Node | None) -> Conditions:
        if condition is None:
            return cls()
        return cls(Condition(operator, key, value) for operator, block in condition.items()
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
        return self.narrowing(keys) is not None

    def requires_true(self, key: str) -> bool:
        """True when an entry only matches requests where the boolean ``key`` is ``true``."""
        return any(c.requires(True) for c in self.on((key.lower(),)))
