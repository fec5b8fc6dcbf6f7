"""Hand-run benchmarks: python tests/bench/bench_<name>.py."""
