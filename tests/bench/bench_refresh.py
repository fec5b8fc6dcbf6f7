"""Benchmark: a full refresh (directory + activity) through $batch vs. a naive sysadmin loop.

Run by hand (pytest does not collect tests/bench):

    python tests/bench/bench_refresh.py                       # 100k guests, 2,000 groups, 200 apps
    python tests/bench/bench_refresh.py --guests 5000 --groups 200 --apps 40 --runs 1

The embedded tenant runs in this process (20 ms latency per HTTP request, device codes
approve themselves as admin). Each measured client runs in a child process, so memory
figures are its own: it signs in by device code (not timed), then reads (timed).

- "directory": ``graph.directory_reader.read_directory`` (one $batch stream, 999 a page,
  $select), median of ``--runs`` untraced runs, plus one run under tracemalloc for memory.
- "activity": ``read_activity`` (MFA report paced at 5 requests / 10 s, sign-ins 500 a page
  riding in the report's batches), ``--activity-runs`` runs (default 1: the reports limit
  makes it take minutes). Its bound: max(sign-in pages, report pages) requests (two chains,
  one page of each per $batch) and the report's pace in time.
- "naive": the loop an admin would write: GET /users, /groups, /servicePrincipals with the
  default page size and no $select, then one GET per group for members and owners and one
  per app for assignments, no batch. On its own tenant (``--naive-guests``, same proportions).

HTTP requests are counted by the tenant (sub-requests of a $batch are not HTTP requests).
"""

from __future__ import annotations

import argparse
import json
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


def _client(info: dict[str, Any]) -> tuple[Any, Any]:
    import msal

    from ztna_desktop.auth.client import AuthClient
    from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
    from ztna_desktop.config import Config
    from ztna_desktop.graph.transport import GraphClient

    config = Config(
        tenant_id=str(info["tenant_id"]),
        client_id=str(info["public_client_id"]),
        authority_host=str(info["authority"]).rsplit("/", 1)[0],
        graph_url=str(info["graph"]),
        ca_file=str(info["ca_file"]),
    )
    auth = AuthClient(config, msal.SerializableTokenCache())
    scopes = qualified(config, SIGN_IN_SCOPES)
    auth.finish_device_flow(auth.start_device_flow(scopes))
    client = GraphClient(
        config.resolved_graph_url(), auth, scopes, extra_ca=config.ca_file, timeout=(10, 120)
    )
    return auth, client


def _directory(client: Any) -> dict[str, Any]:
    from ztna_desktop.graph.directory_reader import read_directory

    read = read_directory(client)
    d = read.directory
    return {
        "requests": read.requests,
        "sub_requests": read.sub_requests,
        "lower_bound": read.lower_bound(),
        "users": len(d.users),
        "groups": len(d.groups),
        "apps": len(d.apps),
        "domains": len(read.tenants_asked),
        "errors": sorted(read.errors),
        "_directory": d,
    }


def _activity(client: Any) -> dict[str, Any]:
    from ztna_desktop.graph.directory_reader import (
        lower_bound_activity_requests,
        read_activity,
        read_directory,
    )
    from ztna_desktop.graph.request_bounds import min_report_seconds

    directory = read_directory(client).directory  # not timed: the activity needs the guests
    guests = [u for u in directory.users.values() if u.is_guest]
    enabled = sum(1 for u in guests if u.account_enabled)  # the report lists these only
    started = time.perf_counter()
    read = read_activity(client, directory)
    return {
        "seconds": time.perf_counter() - started,
        "requests": read.requests,
        "lower_bound": lower_bound_activity_requests(len(guests), enabled),
        "seen_bound": read.lower_bound(),
        "pages": [read.sign_in_pages, read.report_pages],
        "min_seconds": min_report_seconds(read.report_pages),
        "mfa": None if read.mfa is None else len(read.mfa),
        "mfa_source": read.mfa_source,
        "sign_ins": None if read.sign_ins is None else len(read.sign_ins),
        "errors": sorted(read.errors),
    }


def _naive(client: Any) -> dict[str, Any]:
    import requests

    base = client.base_url
    token = client._tokens.access_token(client._scopes)  # the script's one token
    count = 0
    with requests.Session() as session:
        session.trust_env = False
        session.verify = client._session.verify
        headers = {"Authorization": f"Bearer {token}"}

        def all_of(url: str) -> list[dict[str, Any]]:
            nonlocal count
            out: list[dict[str, Any]] = []
            link: str | None = url
            while link:
                resp = session.get(link, headers=headers, timeout=120)
                count += 1
                resp.raise_for_status()
                page = resp.json()
                out.extend(page["value"])
                link = page.get("@odata.nextLink")
            return out

        users = all_of(f"{base}/users")
        groups = all_of(f"{base}/groups")
        members = {g["id"]: all_of(f"{base}/groups/{g['id']}/members") for g in groups}
        owners = {g["id"]: all_of(f"{base}/groups/{g['id']}/owners") for g in groups}
        sps = all_of(f"{base}/servicePrincipals")
        assigned = {
            s["id"]: all_of(f"{base}/servicePrincipals/{s['id']}/appRoleAssignedTo") for s in sps
        }
    return {
        "requests": count,
        "users": len(users),
        "groups": len(groups),
        "apps": len(sps),
        "memberships": sum(map(len, members.values())) + sum(map(len, owners.values())),
        "assignments": sum(map(len, assigned.values())),
    }


def child(kind: str, info: dict[str, Any], trace: bool) -> dict[str, Any]:
    auth, client = _client(info)
    read = {"directory": _directory, "activity": _activity, "naive": _naive}[kind]
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = read(client)
    result.setdefault("seconds", time.perf_counter() - started)
    result["cpu_seconds"] = time.process_time() - cpu
    result["traced_peak"] = tracemalloc.get_traced_memory()[1] if trace else 0
    result["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.pop("_directory", None)
    client.close()
    auth.close()
    return result


# --- parent side -----------------------------------------------------------------------------


def run_child(kind: str, info: dict[str, Any], trace: bool = False) -> dict[str, Any]:
    return bench_support.run_child(__file__, kind, info, trace)


def http_requests(emulator: Any) -> int:
    """HTTP requests to Graph the tenant answered (a $batch counts once)."""
    return sum(
        1
        for r in list(emulator.requests)
        if "/v1.0/" in r.path and getattr(r, "batch_id", None) is None and r.method != "OPTIONS"
    )


def tenant(guests: int, groups: int, apps: int) -> Any:
    from ztna_desktop.emulator import Emulator, EmulatorOptions

    started = time.perf_counter()
    emulator = Emulator(
        EmulatorOptions(
            guests=guests,
            groups=groups,
            apps=apps,
            latency_ms=LATENCY_MS,
            auto_approve_device_codes="admin",
        )
    ).start()
    print(
        f"  tenant: {guests} guests, {groups} groups, {apps} apps, up in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return emulator


def measure(emulator: Any, kind: str, runs: int) -> dict[str, Any]:
    rows = []
    for _ in range(runs):
        emulator.reset_requests()
        row = run_child(kind, emulator.info)
        row["tenant_requests"] = http_requests(emulator)
        rows.append(row)
        print(f"    {kind}: {row['seconds']:.2f} s, {row['requests']} requests", flush=True)
    out = dict(rows[-1])
    out["median_s"] = statistics.median(r["seconds"] for r in rows)
    out["runs"] = runs
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="full-refresh benchmark")
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=2_000)
    parser.add_argument("--apps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--activity-runs", type=int, default=1)
    parser.add_argument("--naive-guests", type=int, default=None, help="default: --guests")
    parser.add_argument(
        "--child", choices=("directory", "activity", "naive"), help=argparse.SUPPRESS
    )
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.child, json.loads(sys.stdin.read()), args.trace)))
        return 0

    print(f"latency {LATENCY_MS:.0f} ms per HTTP request")
    naive_guests = args.naive_guests or args.guests
    with tenant(args.guests, args.groups, args.apps) as emu:
        directory = measure(emu, "directory", args.runs)
        traced = run_child("directory", emu.info, trace=True)
        activity = measure(emu, "activity", args.activity_runs) if args.activity_runs else None
        if naive_guests == args.guests:
            naive, small = measure(emu, "naive", 1), directory
    if naive_guests != args.guests:
        scale = naive_guests / args.guests
        groups, apps = max(1, round(args.groups * scale)), max(1, round(args.apps * scale))
        with tenant(naive_guests, groups, apps) as emu:
            naive = measure(emu, "naive", 1)
            small = measure(emu, "directory", 1)

    d = directory
    print(
        f"\nTenant: {d['users']} users ({args.guests} guests), {d['groups']} groups, "
        f"{d['apps']} apps, {d['domains']} guest domains"
    )
    print(f"{'':<22}{'value':>12}  target")
    print(f"{'directory wall (s)':<22}{d['median_s']:>12.2f}  median of {d['runs']}")
    print(f"{'directory requests':<22}{d['tenant_requests']:>12}  client counted {d['requests']}")
    print(
        f"{'lower bound':<22}{d['lower_bound']:>12}  ratio "
        f"{d['tenant_requests'] / d['lower_bound']:.3f} (target <= 1.1)"
    )
    print(f"{'sub-requests':<22}{d['sub_requests']:>12}")
    print(f"{'client CPU (s)':<22}{d['cpu_seconds']:>12.2f}  (the tenant runs in the parent)")
    print(f"{'peak RSS (MB)':<22}{d['maxrss_kib'] / 1024:>12.0f}  target < 400 (untraced run)")
    print(
        f"{'traced peak (MB)':<22}{traced['traced_peak'] / 2**20:>12.1f}  Python heap, "
        f"tracemalloc run (its RSS {traced['maxrss_kib'] / 1024:.0f} MB includes the tracing)"
    )
    if activity:
        a = activity
        print(
            f"{'activity wall (s)':<22}{a['median_s']:>12.2f}  report pace bound "
            f"{a['min_seconds']:.0f} s ({a['pages'][1]} report pages at 5 per 10 s); "
            f"{a['runs']} run(s)"
        )
        print(
            f"{'':<22}{'':>12}  mfa {a['mfa']} ({a['mfa_source']}), sign-ins {a['sign_ins']}, "
            f"errors {a['errors']}"
        )
        # The activity child reads the directory first (untimed): count its client's requests.
        print(
            f"{'activity requests':<22}{a['requests']:>12}  lower bound {a['lower_bound']} "
            f"(max of {a['pages'][0]} sign-in / {a['pages'][1]} report pages: chains; seen "
            f"{a['seen_bound']}), ratio {a['requests'] / a['lower_bound']:.3f} (target <= 1.1)"
        )
        print(f"{'activity RSS (MB)':<22}{a['maxrss_kib'] / 1024:>12.0f}  target < 400")
        both, bound = d["tenant_requests"] + a["requests"], d["lower_bound"] + a["lower_bound"]
        print(
            f"{'full refresh reqs':<22}{both:>12}  lower bound {bound}, ratio "
            f"{both / bound:.3f} (target <= 1.1); wall {d['median_s'] + a['median_s']:.1f} s"
        )
    print(
        f"\nnaive loop on {naive['users']} users, {naive['groups']} groups, {naive['apps']} apps "
        f"(1 run): {naive['seconds']:.1f} s, {naive['tenant_requests']} requests"
    )
    print(
        f"app on the same tenant: {small['median_s']:.1f} s, {small['tenant_requests']} "
        f"requests -> {naive['seconds'] / small['median_s']:.1f}x faster, "
        f"{naive['tenant_requests'] / small['tenant_requests']:.1f}x fewer requests"
    )
    if d["errors"]:
        print(f"\nparts not read: {d['errors']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
