"""The one interface of every output format, built-in or a plugin's.

A reporter is a module (or any object) with

- ``write(report, stream)``: writes ``report``, a :class:`Report`, to the text stream, and
- ``DESCRIPTION``: one line saying what the format is for (`iamlint formats` lists it).

Each format takes from the report what it needs (the text summary its notes and policy count,
SARIF the rules), so the command line calls every format the same way.
"""

from __future__ import annotations

from collections import namedtuple


class Report(namedtuple("Report", "diagnostics files_checked quiet notes policies rules",
                        defaults=(False, (), None, ()))):
    """One run, as a reporter writes it.

    ``diagnostics``: sorted by path, line, column and code; ``files_checked``: how many files were
    read; ``quiet``: diagnostics only, no summary; ``notes``: what the run did that a user may not
    expect (`cdk.out is ignored by git; linted because it was named`); ``policies``: the policies
    read in every file, None when not counted; ``rules``: every rule known to the run (built-in
    and plugins'), which SARIF describes, none meaning the built-in ones.
    """

    __slots__ = ()


class Reporter(namedtuple("Reporter", "name description write source", defaults=(None,))):
    """A format found in the registry (``iamlint.reporters.find_reporter``): its ``--format``
    name, its one-line description, its ``write(report, stream)``, and, for a plugin's format,
    the entry point's object (``acme_reports:Markdown``) that an error names."""

    __slots__ = ()
