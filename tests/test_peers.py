"""The table of the other IAM checkers (iamlint/data/peer-checks.csv, docs/peers.md): the IAM checks
of checkov, cfn_nag, parliament, cfn-lint, Trivy and KICS, their statuses against iamlint's rules,
and the rules each names.

The rows are the project's coverage map of those tools (../shared/reference/peer-checks.md), one row
per check as the map counts them; a rule that lands flips its rows to Covered or Partial and names
itself. Every Missing or Partial row was checked by running iamlint on the peer's example and a near
miss when the statuses were last brought up to date.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import REPO
from iamlint.docs import PEER_STATUSES, PEERS, _issue_links, peer_checks
from iamlint.rules import BUILTIN_RULES

ROWS = peer_checks()
RULES = {rule.code: rule for rule in BUILTIN_RULES}
# How many checks of each peer the coverage map counts: a check a peer adds or drops changes this
CHECKS = {"checkov": 44, "cfn_nag": 52, "parliament": 30, "cfn-lint": 14, "trivy": 13, "kics": 30}
PAGE = (REPO / "docs" / "peers.md").read_text(encoding="utf-8")


def _section(name: str) -> str:
    """The part of docs/peers.md about one peer: from its heading to the next peer's."""
    return PAGE.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def test_every_peer_has_its_checks_and_nothing_else():
    assert list(PEERS) == list(CHECKS)  # the page's order
    assert Counter(row["peer"] for row in ROWS) == CHECKS
    assert all(row["title"] for row in ROWS)
    keys = [(row["peer"], row["id"], row["title"]) for row in ROWS]
    assert len(keys) == len(set(keys)), "a check is listed twice"


def test_statuses_and_the_rules_each_names():
    for row in ROWS:
        where = f"{row['peer']} {row['id'] or row['title']!r}"
        assert row["status"] in PEER_STATUSES, where
        codes = row["rules"].split()
        if row["status"] in ("Covered", "Partial"):
            assert codes, f"{where} is {row['status']} and names no rule"
        else:
            assert not codes, f"{where} is {row['status']} and names {codes}"
        unknown = [code for code in codes if code not in RULES]
        assert not unknown, f"{where} names {unknown}, which no rule has"
        assert len(codes) == len(set(codes)), where
        if row["status"] == "Partial":
            assert row["note"], f"{where} is Partial: its note says what is missing"


@pytest.mark.parametrize("peer", list(CHECKS))
def test_the_docs_page_has_each_peers_table_and_counts(peer):
    rows = [row for row in ROWS if row["peer"] == peer]
    section = _section(PEERS[peer]["name"])
    table = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| id |")]
    assert len(table) == len(rows) == CHECKS[peer]
    counts = Counter(row["status"] for row in rows)
    summary = ", ".join(f"{counts[s]} {s.lower()}" for s in PEER_STATUSES if counts[s])
    assert f"\n{len(rows)} checks: {summary}.\n" in section
    assert [line.rsplit(" | ", 2)[-2] for line in table] == [row["status"] for row in rows]
    for line, row in zip(table, rows, strict=True):  # each rule the row names, linked to its page
        assert re.findall(r"\[(IAM\d{3})\]\(rules\.md#iam\d{3}-[\w-]+\)", line) == row["rules"].split()
    overview = next(line for line in PAGE.splitlines() if line.startswith(f"| [{PEERS[peer]['name']}]("))
    assert overview.endswith(" | ".join(str(counts[s]) for s in PEER_STATUSES) + " |")


def test_the_page_is_linked_from_the_readme_and_the_access_analyzer_page():
    assert "](docs/peers.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    assert "](peers.md)" in (REPO / "docs" / "access-analyzer.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "linked"), [
    ("(#1000, #1037)", "([#1000](https://github.com/o/peer/issues/1000), [#1037](https://github.com/o/peer/issues/1037))"),
    ("(a/tfsec#915, #1962; b/trivy#5040)",
     ("([a/tfsec#915](https://github.com/a/tfsec/issues/915), [#1962](https://github.com/a/tfsec/issues/1962); "
      "[b/trivy#5040](https://github.com/b/trivy/issues/5040))")),
    ("`s3:*` on `*` (no issue)", "`s3:*` on `*` (no issue)"),
])
def test_issue_numbers_become_links(text, linked):
    assert _issue_links(text, "o/peer") == linked
