"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

One `rule` entry per rule that has a result (name, short and full description, help text and,
when the rule has a page, a help URI to it: iamlint.links), precise regions, and
`partialFingerprints` computed from where the finding is in logical terms (policy, statement,
value), so code scanning keeps tracking an alert when lines above it move. The AWS service data
the run used is a tool extension (name, version, date, and whether it was the bundled copy or an
installed package).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from iamlint.reporters.base import Report

from iamlint import __version__
from iamlint.links import REPOSITORY, rule_url
from iamlint.reporters.safe import write_json

DESCRIPTION = "SARIF 2.1.0, for GitHub code scanning and other SARIF consumers"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_entry(code: str, rules_by_code: dict) -> dict:
    rule = rules_by_code.get(code)
    if rule is None:
        return {"id": code}
    docs = rule.docs()
    entry = {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": docs.split("\n## ", 1)[0].strip()},
        "help": {"text": f"iamlint rule {code}", "markdown": docs},
    }
    url = rule_url(rule)
    if url is not None:  # a plugin's rule that names no page has no link
        entry["helpUri"] = url
    entry["defaultConfiguration"] = {"level": LEVELS[rule.severity.value]}
    entry["properties"] = {"tags": ["security", "iam"]}
    return entry


def _service_data() -> dict:
    from iamlint import services

    source = services.index()["source"]
    return {"name": source["package"], "version": source["version"],
            "informationUri": f"https://pypi.org/project/{source['package']}/",
            "properties": {"dataDate": source["data_date"], "serviceData": services.in_use()}}


def _physical(place) -> dict:
    """A SARIF physicalLocation for a diagnostic or a related location."""
    return {"artifactLocation": {"uri": place.path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": place.line, "startColumn": place.column, "endLine": place.end_line,
                       "endColumn": place.end_column}}


def write(report: Report, out: TextIO) -> None:
    diagnostics = report.diagnostics
    rules_by_code = {rule.code: rule for rule in report.rules}
    if not rules_by_code:
        from iamlint.rules import BUILTIN_RULES

        rules_by_code = {rule.code: rule for rule in BUILTIN_RULES}
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": LEVELS[d.severity.value],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": _physical(d)}],
            "partialFingerprints": {"iamlintPlace/v1": d.fingerprint},
        }
        if d.construct:  # made by the AWS CDK: the construct is where the user can fix it
            result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": d.construct, "kind": "resource"}]
        if d.related:
            result["relatedLocations"] = [
                {"id": number, "message": {"text": r.message}, "physicalLocation": _physical(r)}
                for number, r in enumerate(d.related, 1)]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamlint", "version": __version__, "informationUri": REPOSITORY,
                "rules": [_rule_entry(code, rules_by_code) for code in codes],
            }, "extensions": [_service_data()]},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    write_json(out, log, indent=2, sort_keys=False)
    out.write("\n")
