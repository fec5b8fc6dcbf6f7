"""Benchmark: the GUI thread under 100k guests (offscreen), run by hand.

    python tests/bench/bench_gui.py                  # 100k guests, 2,000 groups, 200 apps
    python tests/bench/bench_gui.py --guests 20000 --skip-refresh

Measures, each printed next to its target:
1. loading 100k guest rows into the Guests table: the worker's preparation (keys, sort
   order) and the GUI thread's model swap; also the swap of unprepared rows;
2. keystroke latency in the Guests search box on 100k rows (p50/p95/max over typed
   sequences, each keystroke = setText + the event processing and repaint it causes);
3. the GUI thread's longest stall during a full demo refresh (sign-in, directory read,
   snapshot save, activity read): a 10 ms heartbeat QTimer records the largest gap
   between its ticks. The tenant runs in a child process (so its server threads do not
   compete with the GUI for this process's GIL) at 20 ms latency per request.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LOAD_TARGET_S = 1.0
KEY_TARGET_MS = 50.0
STALL_TARGET_MS = 50.0

FIRST = [
    "Ann",
    "Bob",
    "Chen",
    "Dana",
    "Eva",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jana",
    "Karl",
    "Lea",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sam",
    "Tara",
    "Uwe",
    "Vera",
    "Yuki",
]
LAST = [
    "Smith",
    "Müller",
    "Garcia",
    "Ito",
    "Khan",
    "Nagy",
    "Okafor",
    "Rossi",
    "Tanaka",
    "Walker",
    "Dubois",
    "Andersen",
    "Novak",
    "Silva",
    "Kowalski",
    "Moreau",
    "Patel",
]
DOMAINS = ["gmail.com", "fabrikam.com", "northwind.com", "outlook.com", "gmx.de", "litware.com"]


def make_guests(n: int, seed: int = 1) -> list[Any]:
    from ztna_desktop.core.models import GuestUser

    rng = random.Random(seed)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        first, last, domain = rng.choice(FIRST), rng.choice(LAST), rng.choice(DOMAINS)
        mail = f"{first}.{last}{i}@{domain}".lower()
        out.append(
            GuestUser(
                id=f"id-{i:06d}",
                display_name=f"{first} {last}",
                mail=mail,
                user_principal_name=mail.replace("@", "_") + "#EXT#@contoso.onmicrosoft.com",
                user_type="Guest",
                account_enabled=rng.random() > 0.05,
                external_user_state="Accepted" if rng.random() > 0.1 else "PendingAcceptance",
                created=base + timedelta(minutes=rng.randrange(600_000)),
            )
        )
    return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def bench_load(app: Any, n: int) -> dict[str, float]:
    from ztna_desktop.ui.models.guest_columns import GUEST_COLUMNS, row_search_text
    from ztna_desktop.ui.models.prepared import prepare_rows
    from ztna_desktop.ui.models.rows import GuestRow
    from ztna_desktop.ui.views.guests_view import GuestsView

    users = make_guests(n)
    rows = [GuestRow(u) for u in users]
    view = GuestsView()
    view.resize(1200, 700)
    view.set_signed_in(True)
    view.show()
    app.processEvents()
    t0 = time.perf_counter()
    prepared = prepare_rows(GUEST_COLUMNS, rows, row_search_text, (0,))
    t1 = time.perf_counter()
    view.set_rows(prepared)
    app.processEvents()
    t2 = time.perf_counter()
    view.set_rows(prepare_rows(GUEST_COLUMNS, [], None))
    app.processEvents()
    t3 = time.perf_counter()
    view.table.set_rows(rows)  # nothing prepared: keys and order computed on this thread
    app.processEvents()
    t4 = time.perf_counter()
    view.close()
    return {"prepare_s": t1 - t0, "swap_s": t2 - t1, "unprepared_s": t4 - t3}


def bench_keys(app: Any, n: int) -> dict[str, Any]:
    from ztna_desktop.ui.models.guest_columns import GUEST_COLUMNS, row_search_text
    from ztna_desktop.ui.models.prepared import prepare_rows
    from ztna_desktop.ui.models.rows import GuestRow
    from ztna_desktop.ui.views.guests_view import GuestsView

    view = GuestsView()
    view.resize(1200, 700)
    view.set_signed_in(True)
    view.set_rows(
        prepare_rows(GUEST_COLUMNS, [GuestRow(u) for u in make_guests(n)], row_search_text, (0,))
    )
    view.show()
    app.processEvents()
    timings: list[float] = []
    for word in ("ann", "okafor", "fabrikam.com", "paul.rossi1", "zzz", "gmx"):
        for text in [word[:i] for i in range(1, len(word) + 1)] + [
            word[:i] for i in range(len(word) - 1, -1, -1)
        ]:
            t0 = time.perf_counter()
            view.search_edit.setText(text)
            app.processEvents()
            timings.append((time.perf_counter() - t0) * 1000)
    view.close()
    return {
        "count": len(timings),
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "max": max(timings),
    }


_EMULATOR_CHILD = """
import json, sys
from ztna_desktop.emulator import Emulator, EmulatorOptions
opts = EmulatorOptions(guests={guests}, groups={groups}, apps={apps}, latency_ms={latency},
                       auto_approve_device_codes="admin")
with Emulator(opts) as emu:
    print(json.dumps(emu.info), flush=True)
    sys.stdin.read()
"""


def bench_refresh(app: Any, guests: int, groups: int, apps: int, latency: float) -> dict[str, Any]:
    import msal
    from PySide6.QtCore import QTimer

    from tests.fakes import emulator_config
    from ztna_desktop.app import make_activity_loader, make_directory_loader
    from ztna_desktop.auth.client import AuthClient
    from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
    from ztna_desktop.ui import messages
    from ztna_desktop.ui.main_window import MainWindow
    from ztna_desktop.ui.services import Services
    from ztna_desktop.ui.settings import Settings
    from ztna_desktop.ui.snapshot_store import SqliteSnapshot

    messages.set_log_only(True)
    code = _EMULATOR_CHILD.format(guests=guests, groups=groups, apps=apps, latency=latency)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        info = json.loads(child.stdout.readline())
        seeded = time.perf_counter() - started
        config = emulator_config(info)
        auth = AuthClient(config, msal.SerializableTokenCache())
        scopes = qualified(config, SIGN_IN_SCOPES)
        with tempfile.TemporaryDirectory() as tmp:
            services = Services(
                auth=auth,
                scopes=scopes,
                sign_in_method="device",
                auto_sign_in=True,
                load_directory=make_directory_loader(config, auth, scopes),
                load_activity=make_activity_loader(config, auth, scopes),
                snapshot=SqliteSnapshot(Path(tmp) / "snapshot.sqlite3"),
            )
            window = MainWindow(services, Settings(Path(tmp) / "settings.ini"))
            window.show()
            gaps: list[float] = []
            marks: dict[str, float] = {}
            last = [time.perf_counter()]

            def beat() -> None:
                now = time.perf_counter()
                gaps.append((now - last[0]) * 1000)
                last[0] = now

            import gc
            import threading

            pauses: list[tuple[float, str]] = []
            gc_start: dict[int, float] = {}

            def on_gc(phase: str, info: dict[str, int]) -> None:
                if info.get("generation") != 2:
                    return
                ident = threading.get_ident()
                if phase == "start":
                    gc_start[ident] = time.perf_counter()
                elif ident in gc_start:
                    pauses.append(
                        (
                            (time.perf_counter() - gc_start.pop(ident)) * 1000,
                            threading.current_thread().name,
                        )
                    )

            gc.callbacks.append(on_gc)
            heart = QTimer()
            heart.setInterval(10)
            heart.timeout.connect(beat)
            done = [False]
            window.guests_loaded.connect(
                lambda n: marks.setdefault("directory", time.perf_counter())
            )
            window.refresh_finished.connect(lambda: done.__setitem__(0, True))
            t0 = time.perf_counter()
            heart.start()
            window.start()
            while not done[0] and time.perf_counter() - t0 < 900:
                app.processEvents()
                time.sleep(0.001)  # the bench's own loop; the timer measures the gaps
            heart.stop()
            gc.callbacks.remove(on_gc)
            total = time.perf_counter() - t0
            shown = window.tabs.guests.model.rowCount()
            window.close()
            auth.close()
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.wait(60)
    return {
        "seed_s": seeded,
        "total_s": total,
        "directory_s": marks.get("directory", t0) - t0,
        "guests_shown": shown,
        "ticks": len(gaps),
        "max_gap_ms": max(gaps) if gaps else float("nan"),
        "p99_gap_ms": percentile(gaps, 99) if gaps else float("nan"),
        "gaps_over_50": sum(1 for g in gaps if g > 50),
        "gc_full": len(pauses),
        "gc_max_ms": max((p for p, _ in pauses), default=0.0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--apps", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--skip-refresh", action="store_true")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    import ztna_desktop.ui  # noqa: F401  (the PySide 6.12 workaround)

    app = QApplication.instance() or QApplication([])
    n = args.guests
    load = bench_load(app, n)
    target = f"target < {LOAD_TARGET_S:.1f} s"
    print(f"Loading {n} guest rows into the Guests table")
    print(
        f"  worker: prepare keys + sort order   {load['prepare_s']:7.3f} s   (off the GUI thread)"
    )
    print(f"  GUI: swap prepared rows + repaint   {load['swap_s']:7.3f} s   {target}")
    print(f"  GUI: set_rows unprepared + repaint  {load['unprepared_s']:7.3f} s   {target}")
    keys = bench_keys(app, n)
    print(f"Keystrokes in the search box on {n} rows ({keys['count']} keystrokes)")
    print(
        f"  p50 {keys['p50']:6.1f} ms   p95 {keys['p95']:6.1f} ms   "
        f"target p95 < {KEY_TARGET_MS:.0f} ms"
        f"   (max {keys['max']:.1f} ms)"
    )
    if not args.skip_refresh:
        r = bench_refresh(app, n, args.groups, args.apps, args.latency_ms)
        print(
            f"Full demo refresh: {n} guests, {args.groups} groups, {args.apps} apps, "
            f"{args.latency_ms:.0f} ms latency (tenant seeded in {r['seed_s']:.1f} s)"
        )
        print(
            f"  directory shown after {r['directory_s']:.1f} s; refresh incl. MFA and "
            f"sign-ins {r['total_s']:.1f} s; {r['guests_shown']} guests shown"
        )
        print(
            f"  GUI heartbeat (10 ms): max gap {r['max_gap_ms']:.1f} ms   target < "
            f"{STALL_TARGET_MS:.0f} ms   (p99 {r['p99_gap_ms']:.1f} ms, "
            f"{r['gaps_over_50']} of {r['ticks']} gaps over 50 ms)"
        )
        print(
            f"  full GC collections during the refresh: {r['gc_full']}, longest "
            f"{r['gc_max_ms']:.1f} ms (none: gc is off while a load runs, then gc.freeze())"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
