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
from iamlint.readers.terraform import TerraformReader
from iamlint.readers.terraform_plan import TerraformPlanReader

# Serverless first: a service file may hold a template (`resources.Resources`) and look like one.
# Plans and Terraform come before policy JSON: a plan is JSON, and Terraform reads the JSON
# policies its files read with file()
READERS: tuple[Reader, ...] = (ServerlessReader(), TerraformPlanReader(), CloudFormationReader(), TerraformReader(),
                               PolicyJSONReader())


def reader_names() -> list[str]:
    return [reader.name for reader in READERS]


def reader_for(source: Source, selected: Iterable[str] | None = None) -> Reader | None:
    """The reader whose format the file is, whether or not it is among the ``selected`` reader
    names (None: all), except that a reader that only borrows the file gives way when it is not
    selected."""
    for reader in READERS:
        if reader.claims(source):
            if selected is None or reader.name in selected or not reader.borrows(source):
                return reader
    return None


def extensions(readers: Iterable[Reader] = READERS) -> tuple[str, ...]:
    """The file name endings worth reading in a folder, longest first."""
    return tuple(sorted({e for reader in readers for e in reader.extensions}, key=lambda e: (-len(e), e)))


def languages() -> tuple[str, ...]:
    return tuple(dict.fromkeys(language for reader in READERS for language in reader.languages))


__all__ = ["READERS", "Reader", "Source", "extensions", "languages", "reader_for", "reader_names"]
