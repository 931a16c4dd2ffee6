"""Configuration: ``[tool.iamlint]`` in pyproject.toml or ``.iamlint.toml``, found from the working folder up."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.diagnostics import Severity
from iamlint.policy import KINDS

CONFIG_FILES = (".iamlint.toml", "pyproject.toml")


class ConfigError(ValueError):
    pass


class Config:
    """Settings for a run; the defaults are what iamlint does with no configuration file."""

    def __init__(self, root: str = ".", source: str | None = None) -> None:
        self.select: list[str] = ["ALL"]
        self.ignore: list[str] = []
        self.exclude: list[str] = []
        self.kinds: dict[str, str] = {}  # glob -> policy kind
        self.rules: dict[str, dict[str, Any]] = {}  # rule name -> settings
        self.plugins: list[str] = []  # plugin names
        self.root = root  # the folder globs are relative to
        self.source = source  # the file this came from

    def kind_for(self, path: str) -> str | None:
        if not self.kinds:
            return None
        relative = _relative(path, self.root)
        for pattern, kind in self.kinds.items():
            if fnmatchcase(relative, pattern):
                return kind
        return None

    def is_excluded(self, path: str) -> bool:
        if not self.exclude:
            return False
        relative = _relative(path, self.root)
        parts = relative.split("/")
        return any(fnmatchcase(relative, p) or any(fnmatchcase(part, p) for part in parts) for p in self.exclude)

    def severity(self, rule) -> Severity:
        value = self.rules.get(rule.name, {}).get("severity")
        return Severity(value) if value else rule.severity

    def option(self, rule, name: str) -> Any:
        settings = self.rules.get(rule.name, {})
        return settings[name] if name in settings else rule.options[name]


def _relative(path: str, root: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return relative.replace(os.sep, "/")


def find_config_file(start: str = ".") -> str | None:
    """The nearest .iamlint.toml, or pyproject.toml with a [tool.iamlint] table, from ``start`` up."""
    folder = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                if name == ".iamlint.toml":
                    return candidate
                with open(candidate, encoding="utf-8", errors="replace") as handle:
                    if "[tool.iamlint" in handle.read():
                        return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str | None) -> Config:
    if path is None:
        return Config()
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("iamlint", {})
    return from_mapping(data, path)


def from_mapping(data: dict, path: str) -> Config:
    from iamlint.plugins import PluginError, plugin_rules
    from iamlint.rules import BUILTIN_RULES, find_rule
    from iamlint.selection import check_selectors

    known = {"select", "ignore", "exclude", "kinds", "rules", "plugins"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown key `{key}` (known: {', '.join(sorted(known))})")
    config = Config(root=os.path.dirname(os.path.abspath(path)), source=path)
    for key in ("select", "ignore", "exclude", "plugins"):
        if key in data:
            value = data[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: `{key}` must be a list of strings")
            setattr(config, key, value)
    try:
        rules = BUILTIN_RULES + plugin_rules(config.plugins)
    except PluginError as error:
        raise ConfigError(f"{path}: {error}") from None
    check_selectors(config.select + config.ignore, rules, path)
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict):
        raise ConfigError(f"{path}: `kinds` must be a table of glob = kind")
    for glob, kind in kinds.items():
        if kind not in KINDS:
            raise ConfigError(f"{path}: kinds.\"{glob}\" = \"{kind}\" is not a policy kind ({', '.join(KINDS)})")
    config.kinds = dict(kinds)
    for name, settings in data.get("rules", {}).items():
        rule = find_rule(name, rules)
        if rule is None:
            raise ConfigError(f"{path}: rules.{name}: no rule has this code or name")
        if not isinstance(settings, dict):
            raise ConfigError(f"{path}: rules.{name} must be a table")
        for key, value in settings.items():
            if key == "severity":
                if value not in [s.value for s in Severity]:
                    raise ConfigError(f"{path}: rules.{name}.severity must be error, warning or info")
            elif key not in rule.options:
                options = ", ".join(["severity", *rule.options])
                raise ConfigError(f"{path}: rules.{name}.{key}: unknown option (known: {options})")
        config.rules[rule.name] = dict(settings)
    return config
