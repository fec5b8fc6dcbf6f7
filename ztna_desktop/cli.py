"""The ``ztna-desktop`` command: the GUI by default, headless subcommands beside it.

Nothing on the headless paths (``--version``, ``emulator``) imports Qt; the GUI
is imported only when it is about to run.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from ztna_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ztna-desktop",
        description="Entra B2B guests and their Sophos ZTNA access.",
    )
    parser.add_argument("--version", action="version", version=f"ztna-desktop {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="run against the embedded demo tenant (no account)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="build the main window offscreen without network, then exit 0",
    )
    parser.add_argument("--config", type=Path, help="read settings from this file as well")
    parser.add_argument("--guests", type=int, default=250, help="demo tenant size (with --demo)")
    sub = parser.add_subparsers(dest="command")

    emu = sub.add_parser("emulator", help="serve the embedded tenant until interrupted")
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=0, help="0 picks a free port")
    emu.add_argument("--guests", type=int, default=250)
    emu.add_argument("--members", type=int, default=None, help="member users (default: guests/10)")
    emu.add_argument("--groups", type=int, default=None, help="groups (default: guests/50)")
    emu.add_argument("--apps", type=int, default=None, help="enterprise apps (default: guests/500)")
    emu.add_argument("--seed", type=int, default=1)
    emu.add_argument(
        "--no-premium", action="store_true", help="a tenant without Entra ID P1 (no reports)"
    )
    emu.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    emu.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency, 0..J")
    emu.add_argument("--fault-rate", type=float, default=0.0, help="share of 503/504 answers")
    emu.add_argument("--throttle-rate", type=float, default=0.0, help="share of 429 answers")
    emu.add_argument("--drop-rate", type=float, default=0.0, help="share of dropped connections")
    emu.add_argument("--write-config", type=Path, help="also write a config file for the app")
    return parser


def _emulator_options(args: argparse.Namespace) -> dict[str, object]:
    return {
        "host": args.host,
        "port": args.port,
        "guests": args.guests,
        "members": args.members,
        "groups": args.groups,
        "apps": args.apps,
        "seed": args.seed,
        "no_premium": args.no_premium,
        "latency_ms": args.latency_ms,
        "jitter_ms": args.jitter_ms,
        "fault_rate": args.fault_rate,
        "throttle_rate": args.throttle_rate,
        "drop_rate": args.drop_rate,
    }


def write_emulator_config(info: dict[str, object], path: Path) -> None:
    """Write a config file that points the app (and this CLI) at a running emulator."""
    from ztna_desktop import config

    settings = config.Config(
        tenant_id=str(info["tenant_id"]),
        client_id=str(info["public_client_id"]),
        authority_host=str(info["authority"]).rsplit("/", 1)[0],
        graph_url=str(info["graph"]),
        ca_file=str(info["ca_file"]),
    )
    path.write_text(config.to_toml(settings), encoding="utf-8")


def run_emulator(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; print one JSON line once ready."""
    from ztna_desktop.emulator import Emulator, EmulatorOptions

    emulator = Emulator(EmulatorOptions(**_emulator_options(args)))  # type: ignore[arg-type]
    emulator.start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        if args.write_config:
            write_emulator_config(emulator.info, args.write_config)
        sys.stdout.write(json.dumps(emulator.info) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "emulator":
        return run_emulator(args)
    from ztna_desktop.app import run_gui  # Qt is imported only from here on

    return run_gui(args)
