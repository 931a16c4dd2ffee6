"""iamlint and the other tools side by side on the same files, in one go.

    python bench/compare.py [--runs N] [--corpus PATH] [--only policies|templates|terraform]

Runs each tool's real command line as a subprocess (start-up included, as pre-commit and editors
pay it) and prints the median wall time of each and how many times slower than iamlint it is.
Policies: iamlint against parliament. Templates: iamlint against cfn-lint and checkov
(`--framework cloudformation`). Terraform: iamlint against checkov (`--framework terraform`).
Tools that are not installed are left out; the bench extra (`pip install '.[bench]'`) brings
them all. The corpus defaults to ../shared/corpus.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# checkov must not try to reach its platform (the bench machine has no network)
QUIET_ENV = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
             "LOG_LEVEL": "ERROR"}


def _tool(name: str) -> str | None:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else shutil.which(name)


def median_seconds(argv: list[str], runs: int) -> tuple[float, str]:
    """Median wall time, and the last line of a traceback if the tool crashed (its time still counts:
    it is what its user waited for)."""
    times, crash = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, env=QUIET_ENV)
        times.append(time.perf_counter() - start)
        if "iamlint" in Path(argv[0]).name and result.returncode not in (0, 1):
            sys.exit(f"bench: iamlint failed ({result.returncode}): {result.stderr.decode()[-500:]}")
        if b"Traceback" in result.stderr:  # findings make tools exit non-zero their own way; this is a crash
            crash = result.stderr.decode(errors="replace").strip().splitlines()[-1][:60]
    return statistics.median(times), crash


def _cases(args, tools):
    iamlint, parliament, cfn_lint, checkov = (tools[n] for n in ("iamlint", "parliament", "cfn-lint", "checkov"))
    one_policy = REPO / "examples" / "policies" / "ci-deployer.json"
    one_template = REPO / "examples" / "templates" / "reports-service.yaml"
    managed = args.corpus / "managed-policies"
    templates = args.corpus / "cloudformation"
    slow = max(1, args.runs // 3)
    if args.only in (None, "policies"):
        yield "one small policy file", args.runs, {
            "iamlint": [iamlint, "--isolated", "-q", str(one_policy)],
            "parliament": parliament and [parliament, "--files", str(one_policy)]}
        if managed.is_dir():
            count = len(list(managed.glob("*.json")))
            yield f"managed-policies folder ({count} files)", slow, {
                "iamlint": [iamlint, "--isolated", "-q", str(managed)],
                "parliament": parliament and [parliament, "--directory", str(managed),
                                              "--include_policy_extension", ".json"]}
    if args.only in (None, "templates"):
        yield "one SAM template", args.runs, {
            "iamlint": [iamlint, "--isolated", "-q", str(one_template)],
            "cfn-lint": cfn_lint and [cfn_lint, str(one_template)],
            "checkov": checkov and [checkov, "-f", str(one_template), "--framework", "cloudformation", "--quiet",
                                    "--compact", "--skip-download"]}
        if templates.is_dir():
            files = sorted(str(p) for p in templates.rglob("*") if p.is_file())
            yield f"cloudformation folder ({len(files)} templates)", 1, {
                "iamlint": [iamlint, "--isolated", "-q", str(templates)],
                "cfn-lint": cfn_lint and [cfn_lint, *files],
                "checkov": checkov and [checkov, "-d", str(templates), "--framework", "cloudformation", "--quiet",
                                        "--compact", "--skip-download"]}
    if args.only in (None, "terraform"):
        one_module_file = REPO / "examples" / "terraform" / "ci.tf"
        terraform = args.corpus / "terraform"
        yield "one Terraform file", args.runs, {
            "iamlint": [iamlint, "--isolated", "-q", str(one_module_file)],
            "checkov": checkov and [checkov, "-f", str(one_module_file), "--framework", "terraform", "--quiet",
                                    "--compact", "--skip-download"]}
        if terraform.is_dir():
            count = sum(1 for p in terraform.rglob("*") if p.is_file() and p.suffix in (".tf", ".tpl", ".json"))
            yield f"terraform folder ({count} files)", 1, {
                "iamlint": [iamlint, "--isolated", "-q", str(terraform)],
                "checkov": checkov and [checkov, "-d", str(terraform), "--framework", "terraform", "--quiet",
                                        "--compact", "--skip-download"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--only", choices=("policies", "templates", "terraform"))
    args = parser.parse_args()
    tools = {name: _tool(name) for name in ("iamlint", "parliament", "cfn-lint", "checkov")}
    if tools["iamlint"] is None:
        sys.exit("bench: iamlint is not installed")
    # pip compiles an installed package's bytecode; an editable install (or PYTHONDONTWRITEBYTECODE)
    # leaves iamlint without it, which would add ~35 ms of compiling to every run
    import compileall

    import iamlint as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    if Path(package.__file__).resolve().is_relative_to(REPO):
        print("note: iamlint is an editable install, whose import hook adds ~25 ms to every start;"
              " users get `pip install .`", file=sys.stderr)

    for label, runs, commands in _cases(args, tools):
        ours, _ = median_seconds(commands.pop("iamlint"), runs)
        row = [f"{label:<44}", f"iamlint {ours * 1000:7.0f} ms"]
        for name, argv in commands.items():
            if argv:
                theirs, crash = median_seconds(argv, runs)
                crashed = f" [crashed: {crash}]" if crash else ""
                row.append(f"{name} {theirs * 1000:7.0f} ms ({theirs / ours:5.1f}x){crashed}")
        print("  ".join(row), flush=True)


if __name__ == "__main__":
    main()
