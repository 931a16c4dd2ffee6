"""The registry of readers, one per input format. Everything that depends on the formats (the
extensions walked in folders, ``--only``, the hooks' file patterns, the language server's
languages, the docs' tables) is derived from it.

Order matters where two readers could claim a file: the first that claims it reads it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

from iamlint.readers.base import Reader, Source
from iamlint.readers.cloudformation import CloudFormationReader
from iamlint.readers.policy_json import PolicyJSONReader
from iamlint.readers.serverless import ServerlessReader

# Serverless first: a service file may hold a template (`resources.Resources`) and look like one.
READERS: tuple[Reader, ...] = (ServerlessReader(), CloudFormationReader(), PolicyJSONReader())


def reader_names() -> list[str]:
    return [reader.name for reader in READERS]


def reader_for(source: Source) -> Reader | None:
    """The reader whose format the file is, whether or not it is selected for this run."""
    for reader in READERS:
        if reader.claims(source):
            return reader
    return None


def extensions(readers: Iterable[Reader] = READERS) -> tuple[str, ...]:
    """The file name endings worth reading in a folder, longest first."""
    return tuple(sorted({e for reader in readers for e in reader.extensions}, key=lambda e: (-len(e), e)))


def languages() -> tuple[str, ...]:
    return tuple(dict.fromkeys(language for reader in READERS for language in reader.languages))


__all__ = ["READERS", "Reader", "Source", "extensions", "languages", "reader_for", "reader_names"]
