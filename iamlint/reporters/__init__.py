"""Output formats: the registry of reporters, iamlint's own and those plugins declare.

A format is found by its name. The four that ship with iamlint are found without reading entry
points (start-up time); any other is an entry point in the group ``iamlint.reporters`` whose name
is the format's name and whose object implements ``iamlint.reporters.base`` (a module with
``write(report, stream)`` and ``DESCRIPTION``, a class whose instances have them, or a plain
``write`` function). Nothing of
a format is imported until it is asked for.
"""

from __future__ import annotations

from importlib import import_module

from iamlint.reporters.base import Reporter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "iamlint.reporters"
BUILTIN_REPORTERS = {"text": "iamlint.reporters.text", "json": "iamlint.reporters.json_format",
                     "sarif": "iamlint.reporters.sarif", "github": "iamlint.reporters.github"}


class ReporterError(ValueError):
    pass


def _plugin_entry_points() -> dict[str, EntryPoint]:
    """The formats plugins declare, by name (a built-in name stays iamlint's; the first of two
    plugins with one name wins)."""
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in BUILTIN_REPORTERS:
            found.setdefault(entry.name, entry)
    return found


def format_names() -> list[str]:
    """Every format's name: iamlint's own, then the plugins', sorted."""
    return [*BUILTIN_REPORTERS, *sorted(_plugin_entry_points())]


def is_format(name: str) -> bool:
    """Whether some reporter writes the format ``name`` (entry points are read only for a name
    that is not a built-in one)."""
    return name in BUILTIN_REPORTERS or name in _plugin_entry_points()


def _reporter(name: str, loaded, source: str | None = None) -> Reporter:
    if isinstance(loaded, type):  # a class: its instances write
        try:
            loaded = loaded()
        except Exception as error:  # noqa: BLE001 - a broken plugin is the user's setup
            raise ReporterError(f"output format `{name}` ({source}) failed to load: "
                                f"{type(error).__name__}: {error}") from error
    write = getattr(loaded, "write", loaded)
    if not callable(write):
        raise ReporterError(f"output format `{name}` has no write(report, stream)")
    description = getattr(loaded, "DESCRIPTION", None) or (getattr(loaded, "__doc__", None) or "").strip()
    return Reporter(name, description.split("\n", 1)[0], write, source)


def find_reporter(name: str) -> Reporter:
    """The reporter of the format ``name``; ReporterError for a name nobody provides, or a
    plugin's format that fails to load."""
    if name in BUILTIN_REPORTERS:
        return _reporter(name, import_module(BUILTIN_REPORTERS[name]))
    entry = _plugin_entry_points().get(name)
    if entry is None:
        raise ReporterError(f"no output format named `{name}` (available: {', '.join(format_names())})")
    try:
        loaded = entry.load()
    except Exception as error:  # noqa: BLE001 - a broken plugin is the user's setup, not an iamlint crash
        raise ReporterError(f"output format `{name}` ({entry.value}) failed to load: "
                            f"{type(error).__name__}: {error}") from error
    return _reporter(name, loaded, entry.value)


def write_with(reporter: Reporter, report, stream) -> None:
    """``reporter.write(report, stream)``; a plugin's format that fails raises ReporterError,
    which names the plugin (the fault is not iamlint's to report)."""
    if reporter.source is None:
        reporter.write(report, stream)
        return
    try:
        reporter.write(report, stream)
    except OSError:
        raise
    except Exception as error:  # noqa: BLE001 - the plugin's bug, said as such
        raise ReporterError(f"output format `{reporter.name}` ({reporter.source}) failed: "
                            f"{type(error).__name__}: {error}") from error
