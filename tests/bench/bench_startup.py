"""Benchmark: start-up time, from source and frozen (median of N runs, warm cache).

Run by hand (pytest does not collect tests/bench):

    python tests/bench/bench_startup.py [--runs 15] [--frozen-dir dist/ztna-desktop]

Times whole processes on the offscreen platform: ``--version`` (interpreter + CLI, no Qt) and
``--smoke-test`` (Qt, styles, the main window shown, then SMOKE_EVENTS_MS of event processing
before it closes). "to window" subtracts that fixed wait, so it approximates start -> window shown.
Every run gets a fresh HOME so no profile or log from an earlier run changes the result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def smoke_wait_ms() -> float:
    """The fixed event-processing wait of --smoke-test (0 if the app does not say)."""
    sys.path.insert(0, str(ROOT))
    try:
        from ztna_desktop.app import SMOKE_EVENTS_MS
    except ImportError:
        return 0.0
    return float(SMOKE_EVENTS_MS)


def time_once(command: list[str]) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ZTNA_", "QT_", "XDG_"))}
        env.update(HOME=home, QT_QPA_PLATFORM="offscreen")
        started = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (rc {proc.returncode}):\n{proc.stderr}")
    return took * 1000


def measure(command: list[str], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        time_once(command)
    return [time_once(command) for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description="start-up benchmark")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--frozen-dir", type=Path, default=ROOT / "dist" / "ztna-desktop")
    args = parser.parse_args()

    targets = {"source": [sys.executable, "-m", "ztna_desktop"]}
    frozen = args.frozen_dir / "ztna-desktop"
    if frozen.is_file():
        targets["frozen"] = [str(frozen)]
    else:
        print(f"(no frozen build at {frozen}: build it with python build_spec/build.py)")
    wait = smoke_wait_ms()

    head = f"{'build':<7} {'command':<13} {'median ms':>10} {'min':>7} {'max':>7} {'to window':>10}"
    print(
        f"offscreen, warm cache, {args.runs} runs after {args.warmup} warm-up; "
        f"python {sys.version.split()[0]}"
    )
    print(head)
    print("-" * len(head))
    for name, base in targets.items():
        for flag in ("--version", "--smoke-test"):
            times = measure([*base, flag], args.runs, args.warmup)
            median = statistics.median(times)
            window = f"{median - wait:>10.0f}" if flag == "--smoke-test" else f"{'':>10}"
            spread = f"{min(times):>7.0f} {max(times):>7.0f}"
            print(f"{name:<7} {flag:<13} {median:>10.0f} {spread} {window}")
    if wait:
        print(f"to window = median minus the smoke test's fixed {wait:.0f} ms event wait")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
