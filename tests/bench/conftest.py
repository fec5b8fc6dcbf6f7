"""Hand-run benchmarks (bench_*.py); pytest does not collect them."""

collect_ignore_glob = ["bench_*.py"]
