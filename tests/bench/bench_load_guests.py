"""Benchmark: read N guests through the app's Graph client vs. a naive sysadmin script.

Run by hand (pytest does not collect tests/bench):

    python tests/bench/bench_load_guests.py                 # 10k and 100k guests, 3 runs each
    python tests/bench/bench_load_guests.py --guests 2000 --runs 1

The embedded tenant runs in this process (latency 20 ms per request, device codes approve
themselves). Each measured client runs in a child process, so its memory figures are its own:
it signs in by device code (not timed), then reads the users (timed). "app" is
``ztna_desktop.graph.users.list_users`` ($top=999, $select, server-side guest filter); "naive" is
the loop an admin would write: GET /users with the default page size (100), no $select, follow
@odata.nextLink, keep the #EXT# accounts. Requests are counted by the tenant.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import bench_support

ROOT = Path(__file__).resolve().parents[2]
LATENCY_MS = 20.0


# --- child side ------------------------------------------------------------------------------


def _config(info: dict[str, Any]) -> Any:
    from ztna_desktop.config import Config

    return Config(
        tenant_id=str(info["tenant_id"]),
        client_id=str(info["public_client_id"]),
        authority_host=str(info["authority"]).rsplit("/", 1)[0],
        graph_url=str(info["graph"]),
        ca_file=str(info["ca_file"]),
    )


def _sign_in(config: Any) -> Any:
    import msal

    from ztna_desktop.auth.client import AuthClient
    from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified

    auth = AuthClient(config, msal.SerializableTokenCache())
    scopes = qualified(config, SIGN_IN_SCOPES)
    auth.finish_device_flow(auth.start_device_flow(scopes))
    return auth, scopes


def _read_app(config: Any, auth: Any, scopes: list[str]) -> int:
    from ztna_desktop.graph.transport import GraphClient
    from ztna_desktop.graph.users import list_users

    with GraphClient(config.resolved_graph_url(), auth, scopes, extra_ca=config.ca_file) as client:
        return len(list_users(client))


def _read_naive(config: Any, auth: Any, scopes: list[str]) -> int:
    import requests

    token = auth.access_token(scopes)
    users: list[dict[str, Any]] = []
    with requests.Session() as session:
        session.trust_env = False  # the machine's REQUESTS_CA_BUNDLE would replace verify
        session.verify = config.ca_file
        url: str | None = config.resolved_graph_url() + "/users"
        while url:
            resp = session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            resp.raise_for_status()
            page = resp.json()
            users.extend(page["value"])
            url = page.get("@odata.nextLink")
    return sum("#EXT#" in (u.get("userPrincipalName") or "") for u in users)


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(kind: str, info: dict[str, Any], trace: bool) -> dict[str, Any]:
    """Sign in, then time one read; returns the figures as a dict (printed as JSON)."""
    config = _config(info)
    auth, scopes = _sign_in(config)
    read = _read_app if kind == "app" else _read_naive
    rss_before = _rss_kib()
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    count = read(config, auth, scopes)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    auth.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "guests": count,
        "traced_peak": peak,
        "rss_before_kib": rss_before,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


# --- parent side -----------------------------------------------------------------------------


def run_child(kind: str, info: dict[str, Any], trace: bool = False) -> dict[str, Any]:
    return bench_support.run_child(__file__, kind, info, trace)


def _user_list_requests(emulator: Any) -> int:
    """GET /v1.0/users requests the tenant saw (pages and retries)."""
    return sum(
        1 for r in list(emulator.requests) if r.method == "GET" and r.path.endswith("/v1.0/users")
    )


def measure(emulator: Any, kind: str, runs: int) -> dict[str, Any]:
    """Median time over ``runs`` untraced children, memory from one traced child."""
    times, cpus, counts, rss, rss_max = [], [], set(), [], []
    requests_made = 0
    for _ in range(runs):
        emulator.reset_requests()
        result = run_child(kind, emulator.info, trace=False)
        requests_made = _user_list_requests(emulator)
        times.append(result["seconds"])
        cpus.append(result["cpu_seconds"])
        counts.add(result["guests"])
        rss.append(result["maxrss_kib"] - result["rss_before_kib"])
        rss_max.append(result["maxrss_kib"])
    traced = run_child(kind, emulator.info, trace=True)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "cpu_s": statistics.median(cpus),
        "requests": requests_made,
        "guests": sorted(counts),
        "traced_peak_mib": traced["traced_peak"] / 2**20,
        "maxrss_mib": max(rss_max) / 1024,
        "rss_growth_mib": statistics.median(rss) / 1024,
    }


def bench(guests: int, runs: int) -> list[dict[str, Any]]:
    from ztna_desktop.emulator import Emulator, EmulatorOptions

    started = time.perf_counter()
    options = EmulatorOptions(
        guests=guests, latency_ms=LATENCY_MS, auto_approve_device_codes="admin"
    )
    with Emulator(options) as emulator:
        print(f"  tenant with {guests} guests up in {time.perf_counter() - started:.1f} s")
        rows = []
        for kind in ("app", "naive"):
            row = measure(emulator, kind, runs)
            row.update(kind=kind, n=guests)
            rows.append(row)
            print(f"  {kind}: {row['median_s']:.2f} s, {row['requests']} requests")
    return rows


def print_table(rows: list[dict[str, Any]], runs: int) -> None:
    head = (
        f"{'guests':>8} {'client':<6} {'median s':>9} {'client cpu':>10} {'requests':>9} "
        f"{'lower bound':>11} "
        f"{'guests read':>11} {'traced peak':>12} {'maxrss':>9} {'rss growth':>11}"
    )
    print(f"\nlatency {LATENCY_MS:.0f} ms/request, median of {runs} runs; memory per client")
    print(head)
    print("-" * len(head))
    for row in rows:
        bound = math.ceil(row["n"] / 999)
        read = ",".join(str(g) for g in row["guests"])
        print(
            f"{row['n']:>8} {row['kind']:<6} {row['median_s']:>9.2f} {row['cpu_s']:>9.2f}s "
            f"{row['requests']:>9} {bound:>11} {read:>11} {row['traced_peak_mib']:>10.1f}MB "
            f"{row['maxrss_mib']:>7.0f}MB {row['rss_growth_mib']:>9.1f}MB"
        )
    for n in sorted({r["n"] for r in rows}):
        app = next(r for r in rows if r["n"] == n and r["kind"] == "app")
        naive = next(r for r in rows if r["n"] == n and r["kind"] == "naive")
        print(
            f"{n:>8} guests: app is {naive['median_s'] / app['median_s']:.1f}x faster than naive, "
            f"{naive['requests'] / max(app['requests'], 1):.1f}x fewer requests"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description="guest-list load benchmark")
    parser.add_argument("--guests", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("app", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.child, json.loads(sys.stdin.read()), args.trace)))
        return 0
    rows = []
    for guests in args.guests:
        print(f"{guests} guests:")
        rows += bench(guests, args.runs)
    print_table(rows, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
