"""Fuzzing iamlint: generators of inputs per format (from each format's grammar), mutators of real
files, and the oracle every input must satisfy. Used by tests/test_fuzz.py (bounded and
derandomized) and scripts/fuzz.py (long runs with a seed, failing inputs kept)."""
