"""Property-based fuzzing (Hypothesis): files generated from each format's grammar, and real files
mutated (truncations, byte edits, duplication, deep nesting, huge numbers, odd Unicode, YAML tags,
anchors and aliases, CRLF, BOM), must give well-formed diagnostics and never an exception.

Bounded and derandomized here (a fixed seed, no deadline, no example database), so CI cannot
flake; `scripts/fuzz.py` runs the same generators and mutators for as long as you like, with a
seed, and keeps what fails. A format whose reader is not registered yet (Terraform) is skipped.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")

from fuzz.formats import CORPUS, FORMATS  # noqa: E402
from fuzz.mutations import as_bytes, mutants  # noqa: E402
from fuzz.oracle import check, check_incremental  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BOUNDED = settings(derandomize=True, deadline=None, database=None, max_examples=100, print_blob=True,
                   suppress_health_check=list(HealthCheck))
CORPUS_SAMPLE_EVERY = 60  # mutate every 60th corpus file of a format as well as the repository's own


def _available(name: str):
    fmt = FORMATS[name]
    if not fmt.available():
        pytest.skip(f"no reader claims {fmt.reader_extension} files yet")
    return fmt


def _seeds(fmt) -> list:
    seeds = list(fmt.samples())
    if CORPUS.exists():
        seeds += fmt.corpus(CORPUS)[::CORPUS_SAMPLE_EVERY]
    return [(path.name, path.read_text(encoding="utf-8", errors="surrogateescape")) for path in seeds]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_files_generated_from_the_grammar(name):
    fmt = _available(name)

    @BOUNDED
    @given(text=fmt.generate(), suffix=st.sampled_from(fmt.suffixes))
    def run(text, suffix):
        check(f"generated{suffix}", text)

    run()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_real_files_mutated(name):
    fmt = _available(name)
    seeds = _seeds(fmt)
    if not seeds:
        pytest.skip(f"no {name} file to mutate")

    @BOUNDED
    @given(data=st.data())
    def run(data):
        file_name, text = data.draw(st.sampled_from(seeds))
        mutant = data.draw(mutants(text))
        content = data.draw(as_bytes(mutant)) if data.draw(st.booleans()) else mutant
        check(file_name, content)

    run()


@pytest.mark.parametrize("name", ["template-yaml", "sam-yaml"])
def test_the_servers_incremental_relint_agrees_with_a_fresh_lint(name):
    fmt = _available(name)
    seeds = _seeds(fmt)

    @settings(BOUNDED, max_examples=40)
    @given(data=st.data())
    def run(data):
        file_name, text = data.draw(st.sampled_from(seeds))
        check_incremental(file_name, text, data.draw(mutants(text, most=2)))

    run()
