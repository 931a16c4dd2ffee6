"""How long iamlint takes on one very large policy: 50,000 statements, each with findings.

    python bench/large_policy.py [--statements N] [--runs N]

The policy (about 2.5 MB, well inside the 10 MB file limit) is written to a temporary folder and
linted through the real command line. Placing each finding in its statement used to scan every
statement of the policy (quadratic: 5,000 statements took 12.8 s, 50,000 did not finish in five
minutes); it is now a lookup, and the time grows with the size of the input.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def policy(statements: int) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject", f"sqs:SendMessage{i % 3}"],
         "Resource": "*"} for i in range(statements)]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.json"
        path.write_text(policy(args.statements), encoding="utf-8")
        times, found = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "iamlint", "--isolated", "--format", "json", str(path)],
                                    capture_output=True, check=False)
            times.append(time.perf_counter() - started)
            found = len(json.loads(result.stdout))
        print(f"{args.statements:,} statements ({path.stat().st_size / 1e6:.1f} MB): {found:,} diagnostics reported, "
              f"median {statistics.median(times):.1f} s over {args.runs} runs (best {min(times):.1f} s)")


if __name__ == "__main__":
    main()
