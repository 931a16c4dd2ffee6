"""iamlint never crashes on real public data: AWS managed policies, templates, resource, trust and
SCP examples (../shared/corpus, when it sits next to the clone)."""

from __future__ import annotations

import pytest

from conftest import CORPUS, run_cli

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not next to this clone")


@pytest.mark.parametrize("folder", ["managed-policies", "resource-policies", "cloudformation"])
def test_whole_corpus_folder_without_a_crash(folder):
    run = run_cli("--isolated", "--format", "json", str(CORPUS / folder))
    assert run.code in (0, 1), run.err
    assert run.err == ""
    found = run.json()
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in found)
    if folder == "managed-policies":
        # AWS's own policies are valid by construction: nothing but the size limit (AWS managed
        # policies are not bound by the customer-managed quota) and two files published broken
        grammar = {d["code"] for d in found if d["code"].startswith(("IAM0", "IAM1"))}
        assert grammar <= {"IAM001", "IAM113"}, grammar
        assert sum(d["code"] == "IAM001" for d in found) <= 2
