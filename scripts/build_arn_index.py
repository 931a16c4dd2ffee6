"""Write iamlint/data/arn-services.json: which services' data hold the ARN formats of each ARN
service (maintainers only; run it after scripts/build_service_data.py).

    python scripts/build_arn_index.py           # rewrite the file
    python scripts/build_arn_index.py --check   # exit 1 when it is stale

``iamlint.arns.arn_formats("s3-object-lambda")`` then opens the one or two service files that
hold such formats instead of all 457 (tests/test_arns.py checks the file is current).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from iamlint import services  # noqa: E402
from iamlint.arns import ARN_SERVICE_INDEX, build_arn_service_index  # noqa: E402

OUT = REPO / "iamlint" / "data" / ARN_SERVICE_INDEX


def render() -> str:
    services.use(services.BUNDLED)
    source = services.index()["source"]
    index = build_arn_service_index()
    described = json.dumps(f"{source['package']} {source['version']}")
    lines = ["{", f'  "source": {described},', '  "services": {']
    lines += [f"    {json.dumps(service)}: {json.dumps(list(prefixes))}," for service, prefixes in index.items()]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines + ["  }", "}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale; write nothing")
    args = parser.parse_args(argv)
    text = render()
    if OUT.exists() and OUT.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(f"build_arn_index: {OUT.relative_to(REPO)} is stale (run scripts/build_arn_index.py)")
        return 1
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
