"""What the hand-run benchmarks share: measuring each client in a child process of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_child(script: str, kind: str, info: dict[str, Any], trace: bool = False) -> dict[str, Any]:
    """Run ``script --child KIND`` with ``info`` on stdin; its last stdout line is JSON.

    A child per measurement keeps each client's peak memory its own (ru_maxrss never
    goes down in a process that already held another client's data).
    """
    proc = subprocess.run(
        [sys.executable, script, "--child", kind, *(["--trace"] if trace else [])],
        input=json.dumps(info),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{proc.stderr[-5000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
