"""Refresh iamlint/data/partitions.json from botocore's endpoint data (maintainers only).

    pip install botocore                      # any recent version; nothing at run time needs it
    python scripts/refresh_partitions.py      # rewrites iamlint/data/partitions.json
    python scripts/refresh_partitions.py --check   # exit 1 when the file differs

The file lists AWS's partitions (`aws`, `aws-cn`, `aws-us-gov`, the isolated ones, `aws-eusc`)
and the Region codes of each, as botocore's ``endpoints.json`` has them; iamlint.arns reads it to
tell a Region or partition that does not exist from one that does. Compare the result with
AWS's Regions page (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html)
before committing: a Region AWS has announced but botocore does not list yet is added by hand,
and stays when this script runs again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "iamlint" / "data" / "partitions.json"
# what the Regions were compared with by hand, last time: update it when you check them again
CHECKED = ("2026-12-02 against AWS's Region list "
           "(https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html)")


def from_botocore() -> tuple[str, dict[str, list[str]]]:
    import botocore

    with open(os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json"), encoding="utf-8") as f:
        data = json.load(f)
    partitions = {p["partition"]: sorted(p["regions"]) for p in data["partitions"]}
    return f"botocore {botocore.__version__} (botocore/data/endpoints.json)", partitions


def render(source: str, partitions: dict[str, list[str]]) -> str:
    lines = ["{", f'  "source": {json.dumps(source)},',
             f'  "checked": {json.dumps(CHECKED)},',
             '  "partitions": {']
    items = sorted(partitions.items(), key=lambda item: (item[0] != "aws", item[0]))
    for i, (name, regions) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(regions)}{comma}")
    return "\n".join(lines + ["  }", "}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file differs; write nothing")
    args = parser.parse_args(argv)
    source, partitions = from_botocore()
    if OUT.exists():  # Regions added by hand (announced, not yet in botocore) stay
        for name, regions in json.loads(OUT.read_text(encoding="utf-8"))["partitions"].items():
            partitions[name] = sorted(set(partitions.get(name, [])) | set(regions))
    text = render(source, partitions)
    if OUT.exists() and OUT.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(f"refresh_partitions: {OUT} differs from {source}")
        return 1
    OUT.write_text(text, encoding="utf-8")
    print(f"refresh_partitions: wrote {OUT} from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
