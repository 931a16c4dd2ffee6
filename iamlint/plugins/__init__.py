"""Plugins: rule packs enabled by name (`--plugin NAME` or `plugins = [...]` in config).

A plugin is an entry point in the group ``iamlint.rules`` whose name is the plugin's name and
whose object is a module (or any object) with a ``rules()`` function returning Rule classes, or
that list itself. The plugins that ship with iamlint are found without reading entry points, and
nothing a plugin needs is imported until its rules run. A plugin's rule names the page that
documents it in ``docs_url`` (iamlint.links), or gets no documentation link.
"""

from __future__ import annotations

import sys
from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from iamlint.rules.base import Rule

ENTRY_POINT_GROUP = "iamlint.rules"
BUILTIN_PLUGINS = {"cfn-lint": "iamlint.plugins.cfn_lint", "parliament": "iamlint.plugins.parliament"}


class PluginError(ValueError):
    pass


def _rules_of(loaded, name: str) -> tuple[type[Rule], ...]:
    rules = loaded.rules() if hasattr(loaded, "rules") else loaded() if callable(loaded) else loaded
    rules = tuple(rules)
    from iamlint.rules.base import Rule

    if not all(isinstance(r, type) and issubclass(r, Rule) for r in rules):
        raise PluginError(f"plugin `{name}` did not provide iamlint rules")
    return rules


def once(holder, name: str, package: str, compute) -> list:
    """``compute()`` for one template or policy, run once and kept in ``holder.cache`` so all of a
    plugin's rules share it. A missing package is said once per holder, and yields nothing."""
    cached = holder.cache.get(name)
    if cached is None:
        try:
            cached = compute()
        except ImportError:
            print(f"iamlint: the {name} plugin needs {package}: pip install {package}", file=sys.stderr)
            cached = []
        holder.cache[name] = cached
    return cached


def plugin_rules(names: Iterable[str]) -> tuple[type[Rule], ...]:
    """The rules of the named plugins, in order; PluginError for a name nobody provides."""
    found: list[type[Rule]] = []
    for name in dict.fromkeys(names):
        if name in BUILTIN_PLUGINS:
            found.extend(_rules_of(import_module(BUILTIN_PLUGINS[name]), name))
            continue
        from importlib.metadata import entry_points

        entries = [e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name == name]
        if not entries:
            available = sorted({*BUILTIN_PLUGINS, *(e.name for e in entry_points(group=ENTRY_POINT_GROUP))})
            raise PluginError(f"no plugin named `{name}` (available: {', '.join(available)})")
        found.extend(_rules_of(entries[0].load(), name))
    return tuple(found)
