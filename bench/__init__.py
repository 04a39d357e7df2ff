"""``make bench``: the benchmarks of issue 8, written to bench/results.json (see bench/run.py and the README)."""
