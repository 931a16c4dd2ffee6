"""Long fuzz runs: the generators and mutators of tests/fuzz (the ones the test suite runs,
bounded) for as long as you like, over the whole corpus, keeping every failing input.

    python scripts/fuzz.py --minutes 30 --seed 1 [--corpus ../shared/corpus] [--out fuzz-failures]
                           [--formats policy-json,template-yaml] [--no-incremental]

Each round runs, for every format iamlint reads, Hypothesis over inputs generated from the
format's grammar and over mutants of real files (every corpus file of the format is a seed), and
for YAML templates the server's incremental re-lint against a fresh lint. The seed fixes the
sequence of inputs. A failure is shrunk by Hypothesis, then kept in --out: the input (named as it
was linted) and its traceback, once per distinct failure (exception type and place in iamlint).
The run goes on after a failure; the summary (inputs, time, failures) is printed and written to
--out/summary.json. Exit status 1 when something failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from fuzz.formats import CORPUS, FORMATS  # noqa: E402
from fuzz.mutations import as_bytes, mutants  # noqa: E402
from fuzz.oracle import check, check_incremental  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _where(error: BaseException) -> str:
    """What tells one failure from another: the exception's type and the innermost frame of
    iamlint (or of the oracle, for a failed check, with the rule code it names)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "/iamlint/" in f.filename.replace("\\", "/") or f.filename.endswith("oracle.py")]
    frame = frames[-1] if frames else None
    code = re.search(r"code='(\w+)'", str(error)) if isinstance(error, AssertionError) else None
    return (f"{type(error).__name__}@{Path(frame.filename).name}:{frame.lineno}" if frame else type(error).__name__) \
        + (f"-{code.group(1)}" if code else "")


class Run:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.inputs = 0
        self.failures: dict[str, dict] = {}
        self.current: tuple[str, str | bytes, str | bytes | None] | None = None

    def keep(self, mode: str, fmt: str, error: BaseException) -> None:
        key = _where(error)
        if key in self.failures or self.current is None:
            return
        name, content, before = self.current
        digest = hashlib.sha256(content if isinstance(content, bytes) else
                                content.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        stem = f"{key.replace('@', '-').replace(':', '-')}-{digest}"
        target = self.out / f"{stem}-{name}"
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        if before is not None:
            (self.out / f"{stem}-before-{name}").write_bytes(
                before if isinstance(before, bytes) else before.encode("utf-8", "surrogatepass"))
        (self.out / f"{stem}.txt").write_text(f"{mode} {fmt} {name}\n\n" + "".join(
            traceback.format_exception(type(error), error, error.__traceback__)), encoding="utf-8")
        self.failures[key] = {"mode": mode, "format": fmt, "input": target.name}
        print(f"  FAILURE {key} ({mode}, {fmt}): kept as {target}", flush=True)


def _seed_files(fmt, corpus: Path | None) -> list[Path]:
    files = list(fmt.samples())
    if corpus is not None and corpus.exists():
        files += fmt.corpus(corpus)
    return files


def _body(run: Run, mode: str, fmt, files: list[Path], text_of):
    """The property one round checks for one format and mode."""

    def body(data):
        run.inputs += 1
        if mode == "generate":
            name = "generated" + data.draw(st.sampled_from(fmt.suffixes))
            content = data.draw(fmt.generate())
            run.current = (name, content, None)
            check(name, content)
            return
        path = data.draw(st.sampled_from(files))
        text = text_of(path)
        mutant = data.draw(mutants(text))
        if mode == "incremental":
            run.current = (path.name, mutant, text)
            check_incremental(path.name, text, mutant)
            return
        content = data.draw(as_bytes(mutant)) if data.draw(st.booleans()) else mutant
        run.current = (path.name, content, None)
        check(path.name, content)

    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--formats", help="comma-separated (default: every format iamlint reads)")
    parser.add_argument("--examples", type=int, default=200, help="inputs per format and mode in a round")
    parser.add_argument("--no-incremental", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = args.formats.split(",") if args.formats else sorted(FORMATS)
    formats = [FORMATS[name] for name in wanted if FORMATS[name].available()]
    skipped = [name for name in wanted if not FORMATS[name].available()]
    run = Run(args.out)
    texts: dict[Path, str] = {}

    def text_of(path: Path) -> str:
        if path not in texts:
            texts[path] = path.read_text(encoding="utf-8", errors="surrogateescape")
        return texts[path]

    seeds = {fmt.name: _seed_files(fmt, args.corpus) for fmt in formats}
    print(f"fuzzing {', '.join(f.name for f in formats)} for {args.minutes} minutes, seed {args.seed}; seed files: "
          + ", ".join(f"{name} {len(files)}" for name, files in seeds.items())
          + (f"; skipped (no reader yet): {', '.join(skipped)}" if skipped else ""), flush=True)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    round_number = 0
    while time.monotonic() < deadline:
        for fmt in formats:
            modes = ["generate", "mutate"] + (["incremental"] if fmt.name.endswith("yaml") and not args.no_incremental
                                              else [])
            for mode in modes:
                if time.monotonic() >= deadline:
                    break
                if mode != "generate" and not seeds[fmt.name]:
                    continue
                options = settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
                                   suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
                files = seeds[fmt.name]

                body = _body(run, mode, fmt, files, text_of)
                number = args.seed * 1_000_003 + round_number * 101 + len(mode)
                test = seed(number)(options(given(data=st.data())(body)))
                try:
                    test()
                except Exception as error:  # noqa: BLE001 - keep it, go on
                    if run.current is None:
                        raise
                    run.keep(mode, fmt.name, error)
        round_number += 1
        elapsed = time.monotonic() - started
        print(f"round {round_number}: {run.inputs:,} inputs in {elapsed / 60:.1f} min, "
              f"{len(run.failures)} distinct failures", flush=True)
    elapsed = time.monotonic() - started
    summary = {"seed": args.seed, "minutes": round(elapsed / 60, 1), "inputs": run.inputs, "rounds": round_number,
               "formats": [f.name for f in formats], "skipped_formats": skipped,
               "seed_files": {name: len(files) for name, files in seeds.items()}, "failures": run.failures}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
