"""The Terraform reader over every real-world file of the corpus (its terraform and
terraform-plan folders): nothing crashes and every finding lies inside its file. The count of
each rule's findings per folder is pinned with the other folders' in tests/corpus_counts.json
(tests/test_corpus.py); here, the rules that would report what a value iamlint cannot know is
(a missing element, an invalid ARN, a public principal) are held at what was checked by hand in
real code, outside the scanner fixtures, which are bad on purpose."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import CORPUS, needs_corpus, run_cli

TERRAFORM = CORPUS / "terraform"
PLANS = CORPUS / "terraform-plan"
pytestmark = needs_corpus

# Real modules and applications: each of these findings was read by hand (it sits on the exact
# token and is true of the code as written); a value iamlint cannot know produces none.
REAL_CODE_COUNTS = {
    "IAM001": 0, "IAM101": 0, "IAM105": 0, "IAM107": 0, "IAM108": 2, "IAM111": 2, "IAM203": 0, "IAM311": 3,
    "IAM313": 0,
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


def test_real_code_has_no_finding_from_an_unknown_value(terraform):
    real = Counter(d["code"] for d in terraform if "scanner-fixtures" not in d["path"])
    assert {code: real[code] for code in REAL_CODE_COUNTS} == REAL_CODE_COUNTS


def test_every_plan_is_read_and_every_finding_is_inside_its_file():
    plans = sorted(PLANS.rglob("*.json"))
    assert len(plans) == 15
    found = _lint(*plans)  # the plans only: their .tf sources are where findings are placed, not linted here
    _inside(found)
    assert found
    # each finding of a plan's policy names the resource it comes from; the resource rules name it themselves
    resource_rules = ("IAM402", "IAM404", "IAM405", "IAM406", "IAM504", "IAM505", "IAM507", "IAM509")
    assert all("in the plan for `" in d["message"] for d in found if d["code"] not in resource_rules)
