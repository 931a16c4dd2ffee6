"""The Terraform reader over every real-world file of the corpus (../shared/corpus/terraform and
terraform-plan): nothing crashes, every finding lies inside its file, and the number of findings
of each rule is pinned, so that a change in what Terraform files yield (a false positive gained
or lost) shows here and is looked at."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import CORPUS, run_cli

TERRAFORM = CORPUS / "terraform"
PLANS = CORPUS / "terraform-plan"
pytestmark = pytest.mark.skipif(not TERRAFORM.is_dir(), reason="corpus not available")

# Findings by rule over the whole folder (scanner fixtures are bad on purpose). Checked by hand:
# a sample of each rule sits on the exact token; none comes from a value iamlint cannot know.
TERRAFORM_COUNTS = {
    "IAM001": 25, "IAM101": 12, "IAM102": 12, "IAM103": 4, "IAM104": 1, "IAM108": 18, "IAM110": 3, "IAM111": 7,
    "IAM112": 1, "IAM201": 1, "IAM202": 25, "IAM203": 3, "IAM205": 2, "IAM206": 10, "IAM207": 14, "IAM301": 11,
    "IAM302": 9, "IAM303": 92, "IAM304": 180, "IAM307": 32, "IAM308": 18, "IAM309": 65, "IAM310": 13, "IAM311": 49,
    "IAM312": 1, "IAM313": 9, "IAM401": 165, "IAM402": 25, "IAM403": 17, "IAM404": 18, "IAM405": 52, "IAM501": 48,
    "IAM502": 9, "IAM504": 4, "IAM507": 3,
}
# Outside the scanner fixtures: real modules and applications. Rules that report what a value
# iamlint cannot know would be (a missing element, an invalid ARN, a public principal from an
# unknown one) must stay at what was checked by hand.
REAL_CODE_COUNTS = {
    "IAM101": 0, "IAM105": 0, "IAM107": 0, "IAM108": 2, "IAM111": 2, "IAM203": 0, "IAM311": 4, "IAM313": 0,
}
PLAN_COUNTS = {
    "IAM205": 4, "IAM302": 2, "IAM303": 37, "IAM304": 12, "IAM307": 3, "IAM308": 7, "IAM309": 22, "IAM310": 3,
    "IAM311": 6, "IAM401": 15, "IAM402": 5, "IAM405": 4, "IAM501": 8, "IAM504": 4, "IAM505": 6, "IAM507": 4,
}


def _lint(*paths):
    run = run_cli("--isolated", "--format", "json", *map(str, paths), timeout=300)
    assert run.code in (0, 1), run.err
    assert run.err == ""
    return run.json()


def _inside(diagnostics):
    """Every finding's start and end are on lines of its file, within the line (end exclusive)."""
    texts = {}
    for d in diagnostics:
        lines = texts.setdefault(d["path"], open(d["path"], encoding="utf-8").read().split("\n"))
        assert 1 <= d["line"] <= d["end_line"] <= len(lines), d
        assert 1 <= d["column"] <= len(lines[d["line"] - 1]) + 1, d
        assert 1 <= d["end_column"] <= len(lines[d["end_line"] - 1]) + 1, d


@pytest.fixture(scope="module")
def terraform():
    return _lint(TERRAFORM)


def test_every_terraform_file_is_read_and_every_finding_is_inside_its_file(terraform):
    assert not [d for d in terraform if d["code"] in ("IAM000", "IAM003")]
    _inside(terraform)


def test_findings_by_rule_are_pinned(terraform):
    assert dict(sorted(Counter(d["code"] for d in terraform).items())) == TERRAFORM_COUNTS


def test_real_code_has_no_finding_from_an_unknown_value(terraform):
    real = Counter(d["code"] for d in terraform if "scanner-fixtures" not in d["path"])
    assert {code: real[code] for code in REAL_CODE_COUNTS} == REAL_CODE_COUNTS
    # the only syntax errors are in the fixtures that are invalid on purpose
    assert not [d for d in terraform if d["code"] == "IAM001" and "scanner-fixtures" not in d["path"]]


def test_every_plan_is_read_and_every_finding_is_inside_its_file():
    plans = sorted(PLANS.rglob("*.json"))
    assert len(plans) == 15
    found = _lint(*plans)  # the plans only: their .tf sources are where findings are placed, not linted here
    _inside(found)
    assert dict(sorted(Counter(d["code"] for d in found).items())) == PLAN_COUNTS
    # each finding of a plan's policy names the resource it comes from; the resource rules name it themselves
    resource_rules = ("IAM402", "IAM404", "IAM405", "IAM504", "IAM505", "IAM507")
    assert all("in the plan for `" in d["message"] for d in found if d["code"] not in resource_rules)

