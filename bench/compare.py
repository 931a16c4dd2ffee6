"""iamlint and parliament side by side on the same files, in one go.

    python bench/compare.py [--runs N] [--corpus PATH]

Runs each tool's real command line as a subprocess (start-up included, as pre-commit and editors
pay it) and prints the median wall time of each and the ratio. Needs the bench extra
(`pip install -e '.[bench]'`), which brings parliament. The corpus defaults to
../shared/corpus next to the clone; the single-file case uses examples/policies/ci-deployer.json.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        sys.exit(f"bench: `{name}` is not installed; pip install -e '.[bench]'")
    return which


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"bench: {' '.join(argv)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    iamlint, parliament = _tool("iamlint"), _tool("parliament")
    # pip compiles an installed package's bytecode; an editable install (or PYTHONDONTWRITEBYTECODE)
    # leaves iamlint without it, which would add ~35 ms of compiling to every run
    import compileall

    import iamlint as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    if Path(package.__file__).resolve().is_relative_to(REPO):
        print("note: iamlint is an editable install, whose import hook adds ~25 ms to every start;"
              " users get `pip install .`", file=sys.stderr)

    one = REPO / "examples" / "policies" / "ci-deployer.json"
    cases = [("one small policy file", [iamlint, "--isolated", "-q", str(one)],
              [parliament, "--files", str(one)], args.runs)]
    managed = args.corpus / "managed-policies"
    if managed.is_dir():
        count = len(list(managed.glob("*.json")))
        cases.append((f"managed-policies folder ({count} files)", [iamlint, "--isolated", "-q", str(managed)],
                      [parliament, "--directory", str(managed), "--include_policy_extension", ".json"],
                      max(1, args.runs // 3)))

    print(f"{'case':<42} {'iamlint':>9} {'parliament':>11} {'ratio':>7}")
    for label, ours, theirs, runs in cases:
        a, b = median_seconds(ours, runs), median_seconds(theirs, runs)
        print(f"{label:<42} {a * 1000:>7.0f}ms {b * 1000:>9.0f}ms {b / a:>6.1f}x")


if __name__ == "__main__":
    main()
