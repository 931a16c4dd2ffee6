"""Time the HCL layer over the Terraform corpus: tree-sitter alone, ``parse_hcl`` (the file
model), every attribute converted to nodes, every heredoc read as JSON, every .tpl template.

    python bench/hcl_corpus.py [--runs N] [folder ...]     # default: ../shared/corpus/terraform*

Files are read before timing; each file's time is the best of N runs (this machine is shared).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from iamlint.parsers.hcl import _parser, parse_hcl
from iamlint.parsers.hcl_json import parse_string_json, parse_template_json
from iamlint.parsers.hcl_nodes import to_node
from iamlint.parsers.json_parser import ParseError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def attributes(body):
    yield from body.attributes.values()
    for block in body.blocks:
        yield from attributes(block.body)


def timed(function, items):
    """(total seconds, per-item seconds) of ``function`` over ``items``."""
    times = []
    for item in items:
        started = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - started)
    return sum(times), times


def main() -> int:
    options = argparse.ArgumentParser()
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("folders", nargs="*", type=Path)
    args = options.parse_args()
    folders = args.folders or [CORPUS / "terraform", CORPUS / "terraform-plan"]
    paths = sorted(p for folder in folders for p in folder.rglob("*.tf"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    data = [t.encode() for t in texts]
    templates = [p.read_text(encoding="utf-8") for folder in folders for p in sorted(folder.rglob("*.tpl"))]
    parser = _parser()  # import and grammar load outside the timings

    def convert(parsed):
        for attribute in attributes(parsed.body):
            to_node(attribute.expr)

    def heredocs(parsed):
        for attribute in attributes(parsed.body):
            if attribute.expr.kind == "heredoc":
                try:
                    parse_string_json(attribute.expr)
                except ParseError:
                    pass

    def template(text):
        try:
            parse_template_json(text)
        except ParseError:
            pass

    best: dict[str, tuple[float, list[float]]] = {}  # name -> (total, per item)
    for _ in range(args.runs):
        parsed_files = [parse_hcl(t) for t in texts]
        for name, function, items in (("tree-sitter parse only", parser.parse, data),
                                      ("parse_hcl (file model)", parse_hcl, texts),
                                      ("to_node, every attribute", convert, parsed_files),
                                      ("heredocs as JSON", heredocs, parsed_files),
                                      (".tpl templates as JSON", template, templates)):
            _, times = timed(function, items)
            previous = best.get(name, (0, times))[1]
            fastest = [min(a, b) for a, b in zip(previous, times, strict=False)]  # per item: a pause hits one run
            best[name] = (sum(fastest), fastest)
    size = sum(len(d) for d in data)
    errors = [(p, f.error) for p, f in zip(paths, (parse_hcl(t) for t in texts), strict=False) if f.error is not None]
    count = sum(1 for f in (parse_hcl(t) for t in texts) for _ in attributes(f.body))
    print(f"{len(paths)} .tf files ({size / 1e6:.2f} MB, {count} attributes), {len(templates)} .tpl files;"
          f" best of {args.runs} runs")
    for name, (total, times) in best.items():
        times = sorted(times)
        print(f"  {name:28s} total {total * 1000:7.0f} ms   median {statistics.median(times) * 1000:6.3f} ms"
              f"   p90 {times[int(len(times) * 0.9)] * 1000:6.2f} ms   max {times[-1] * 1000:6.1f} ms")
    print(f"files with a syntax error: {len(errors)}")
    for path, error in errors:
        line, column = parse_hcl(path.read_text(encoding='utf-8')).lines.position(error.offset)
        print(f"  {path.relative_to(CORPUS) if CORPUS in path.parents else path}:{line}:{column}: {error.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
