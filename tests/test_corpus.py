"""iamlint never crashes on real public data: AWS managed policies, templates, resource, trust and
SCP examples (../shared/corpus, when it sits next to the clone)."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, run_cli

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not next to this clone")

MANAGED = CORPUS / "managed-policies"


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
    run = run_cli("--config", str(config), "--format", "json", "--select", "IAM201,IAM202", str(MANAGED))
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
