"""Pin how many findings each rule reports on each folder of the real-world corpus.

    python scripts/pin_corpus_counts.py            # rewrite tests/corpus_counts.json
    python scripts/pin_corpus_counts.py --check    # exit 1 and name the counts that moved

tests/test_corpus.py runs each folder once and compares its per-rule counts with
tests/corpus_counts.json ({code: {folder: count}}, every rule, every folder), so a new false
positive (or a lost true one) shows as a changed count: run this, and review the diff of the file
as part of the change that moved it. The corpus is $IAMLINT_CORPUS, else ../shared/corpus beside
the clone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

COUNTS = REPO / "tests" / "corpus_counts.json"
# the corpus folders whose counts are pinned (serverless: when its reader lands)
FOLDERS = ("managed-policies", "resource-policies", "cloudformation", "terraform", "terraform-plan")


def corpus() -> Path:
    return Path(os.environ.get("IAMLINT_CORPUS") or REPO.parent / "shared" / "corpus")


def counts_of(diagnostics: list[dict]) -> Counter:
    return Counter(d["code"] for d in diagnostics)


def run_folder(folder: Path) -> list[dict]:
    run = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--format", "json", str(folder)],
                         capture_output=True, text=True, cwd=REPO)
    if run.returncode not in (0, 1) or run.stderr:
        raise SystemExit(f"pin_corpus_counts: iamlint failed on {folder}: {run.stderr[:2000]}")
    return json.loads(run.stdout)


def render(by_folder: dict[str, Counter]) -> str:
    """{code: {folder: count}} for every rule, one rule a line, in code order."""
    from iamlint.rules import BUILTIN_RULES

    codes = sorted({rule.code for rule in BUILTIN_RULES} | {c for counts in by_folder.values() for c in counts})
    lines = [f"  {json.dumps(code)}: {json.dumps({folder: by_folder[folder][code] for folder in by_folder})}"
             for code in codes]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def changes(pinned: dict, now: dict) -> list[str]:
    """What moved between two {code: {folder: count}} tables, one line each."""
    found = []
    for code in sorted(set(pinned) | set(now)):
        for folder in sorted(set(pinned.get(code, {})) | set(now.get(code, {}))):
            before, after = pinned.get(code, {}).get(folder), now.get(code, {}).get(folder)
            if before != after:
                found.append(f"{code} on {folder}: pinned {before}, now {after}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a count moved; write nothing")
    args = parser.parse_args(argv)
    root = corpus()
    if not root.exists():
        raise SystemExit(f"pin_corpus_counts: no corpus at {root} (set IAMLINT_CORPUS)")
    text = render({folder: counts_of(run_folder(root / folder)) for folder in FOLDERS})
    old = COUNTS.read_text(encoding="utf-8") if COUNTS.exists() else "{}"
    moved = changes(json.loads(old), json.loads(text))
    if args.check:
        print("\n".join(moved) or "pin_corpus_counts: every count as pinned")
        return 1 if moved else 0
    COUNTS.write_text(text, encoding="utf-8")
    print("\n".join(moved) or "pin_corpus_counts: nothing moved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
