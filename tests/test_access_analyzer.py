"""The Access Analyzer parity table (iamlint/data/access-analyzer-checks.csv, docs/access-analyzer.md):
its 157 checks, their statuses, the rules it names, and for each check a rule covers, the case that
shows the rule firing on Access Analyzer's example and the near miss it stays quiet on.

The table's rows are Access Analyzer's policy checks as AWS's reference page lists them (and the
custom checks of cfn-policy-validator), numbered as in the project's coverage map; a family that
lands a rule flips its rows to Covered, names the rule, and adds `aa`-tagged cases.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from iamlint.docs import AA_SEVERITIES, AA_STATUSES, access_analyzer_checks
from iamlint.rules import BUILTIN_RULES

CASES = Path(__file__).parent / "rules" / "cases"
ROWS = access_analyzer_checks()
RULES = {rule.code: rule for rule in BUILTIN_RULES}


def _case_files() -> dict[str, list[dict]]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["cases"] for path in sorted(CASES.glob("*.yaml"))}


def test_the_table_has_access_analyzers_157_checks_in_order():
    assert [int(row["n"]) for row in ROWS] == list(range(1, 158))
    assert all(row["title"] and row["issue_code"] for row in ROWS)
    assert len({row["issue_code"] for row in ROWS}) == 157  # each code once (AWS's duplicated entries are one row)
    assert Counter(row["finding_type"] for row in ROWS) == {
        "ERROR": 79, "WARNING": 26, "SECURITY_WARNING": 19, "SUGGESTION": 29, "CUSTOM": 4}
    assert set(AA_SEVERITIES) == {row["finding_type"] for row in ROWS}
    # a few anchors of the numbering the plan and the coverage map use
    assert [ROWS[n - 1]["issue_code"] for n in (1, 27, 79, 123, 154, 157)] == [
        "ARN_ACCOUNT_NOT_ALLOWED", "JSON_SYNTAX_ERROR", "WILDCARD_USAGE_TOO_PERMISSIVE",
        "S3_PREFIX_IN_NEGATIVE_CONTEXT", "CheckNoNewAccess", "EXTERNAL_PRINCIPAL"]


def test_statuses_and_the_rules_each_names():
    for row in ROWS:
        assert row["status"] in AA_STATUSES, row
        codes = row["rules"].split()
        if row["status"] in ("Covered", "Partial"):
            assert codes, f"row {row['n']} is {row['status']} and names no rule"
        else:
            assert not codes, f"row {row['n']} is {row['status']} and names {codes}"
        unknown = [code for code in codes if code not in RULES]
        assert not unknown, f"row {row['n']} names {unknown}, which no rule has"
        assert len(codes) == len(set(codes)), row
        if row["status"] == "Partial":
            assert row["note"], f"row {row['n']} is Partial: its note says what is missing"


def test_every_check_a_rule_covers_has_a_case_that_fires_and_a_near_miss():
    """For each Covered row and each rule it names, that rule's case file has a case tagged with
    the row's issue code that fires (Access Analyzer's example) and one that does not (the near
    miss). test_cases.py checks every case's exact findings."""
    cases = _case_files()
    missing = []
    for row in ROWS:
        if row["status"] != "Covered":
            continue
        for code in row["rules"].split():
            tagged = [c for c in cases.get(code, []) if row["issue_code"] in c.get("aa", [])]
            if not any(c["expect"] for c in tagged):
                missing.append(f"{code} has no `aa: [{row['issue_code']}]` case that fires (row {row['n']})")
            if not any(not c["expect"] for c in tagged):
                missing.append(f"{code} has no `aa: [{row['issue_code']}]` near miss (row {row['n']})")
    assert not missing, "\n".join(missing)


def test_aa_tags_name_checks_of_the_table_that_the_case_file_rule_is_listed_for():
    codes = {row["issue_code"]: row for row in ROWS}
    for rule, cases in _case_files().items():
        for case in cases:
            for issue in case.get("aa", []):
                assert issue in codes, f"{rule} {case['name']!r}: `{issue}` is no Access Analyzer check"
                assert rule in codes[issue]["rules"].split(), (
                    f"{rule} {case['name']!r}: row {codes[issue]['n']} ({issue}) does not name {rule}")


@pytest.mark.parametrize("status", AA_STATUSES)
def test_the_docs_page_counts_each_status(status):
    from conftest import REPO

    page = (REPO / "docs" / "access-analyzer.md").read_text(encoding="utf-8")
    count = sum(row["status"] == status for row in ROWS)
    assert (f"{count} {status.lower()}" in page) is bool(count)
