"""Screenshots of every tab for the README, taken under a private Xvfb at 1280x800.

    python build_spec/screenshots.py [OUT_DIR]      # default: resources/screenshots/

Starts Xvfb on a free display (``-displayfd``), runs the demo tenant with
``ZTNA_SCREENSHOT=<OUT_DIR>`` on the xcb platform (the app selects an example group,
the ZTNA gateway app and a guest for the access check, then saves guests.png,
groups.png, apps.png, mfa.png and access.png once MFA and sign-ins have loaded) with a
throw-away HOME, and checks every PNG was written. Needs ``apt-get install xvfb``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABS = ("guests", "groups", "apps", "mfa", "access")
SIZE = "1280x800x24"
START_TIMEOUT_S = 10.0
RUN_TIMEOUT_S = 300


def start_xvfb(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display it picks itself; returns (process, ":N")."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("screenshots: Xvfb is missing (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SIZE, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    deadline = time.monotonic() + START_TIMEOUT_S
    number = b""
    with os.fdopen(read_fd, "rb") as pipe:
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip():
        proc.kill()
        raise SystemExit("screenshots: Xvfb did not start")
    return proc, f":{number.decode().strip()}"


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ztna-shots-") as tmp_name:
        tmp = Path(tmp_name)
        xvfb, display = start_xvfb(tmp)
        try:
            shots = tmp / "shots"
            env = {
                **os.environ,
                "DISPLAY": display,
                "QT_QPA_PLATFORM": "xcb",
                "HOME": str(tmp),
                "XDG_CONFIG_HOME": str(tmp / "config"),
                "XDG_DATA_HOME": str(tmp / "data"),
                "XDG_STATE_HOME": str(tmp / "state"),
                "XDG_CACHE_HOME": str(tmp / "cache"),
                "ZTNA_SCREENSHOT": str(shots),
            }
            result = subprocess.run(
                [sys.executable, "-m", "ztna_desktop", "--demo"],
                cwd=ROOT,
                env=env,
                timeout=RUN_TIMEOUT_S,
                check=False,
            )
            if result.returncode != 0:
                raise SystemExit(f"screenshots: the demo exited with {result.returncode}")
            written = []
            for name in TABS:
                source = shots / f"{name}.png"
                if not source.is_file() or source.stat().st_size < 1000:
                    raise SystemExit(f"screenshots: {name}.png was not written")
                target = out / source.name
                shutil.copyfile(source, target)
                written.append(target)
            return written
        finally:
            xvfb.terminate()
            xvfb.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "resources" / "screenshots")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
