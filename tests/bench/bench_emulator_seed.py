"""How long the embedded tenant takes to build at full scale (run by hand, not by pytest).

    python tests/bench/bench_emulator_seed.py [--runs 3]

Builds the users (100k guests + 10k members) and then the groups/apps world (2,000
groups, 200 apps), printing the median of each next to its target.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ztna_desktop.emulator.seed import build_tenant
from ztna_desktop.emulator.world import build_world

ANCHOR = 1_767_225_600  # 2026-01-01, seconds since the epoch (what build_tenant takes)
TARGET_USERS_S = 8.0  # a demo of 100k guests should start in seconds
TARGET_WORLD_S = 4.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    users_s, world_s = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        tenant = build_tenant(2, 100_000, 10_000, ANCHOR)
        users_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        build_world(tenant, 2000, 200)
        world_s.append(time.perf_counter() - start)
    print(f"{'step':<34}{'median':>10}{'target':>10}")
    print(
        f"{'users (100k guests, 10k members)':<34}{statistics.median(users_s):>9.2f}s"
        f"{TARGET_USERS_S:>9.1f}s"
    )
    print(
        f"{'world (2,000 groups, 200 apps)':<34}{statistics.median(world_s):>9.2f}s"
        f"{TARGET_WORLD_S:>9.1f}s"
    )


if __name__ == "__main__":
    main()
