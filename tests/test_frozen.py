"""The PyInstaller build runs: --version, --smoke-test (offscreen and on X11 via Xvfb), --demo.

Build first (python build_spec/build.py); ZTNA_FROZEN_DIR points at another dist folder. Without a
build these tests skip, except under CI=true, where a missing build is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ztna_desktop import __version__

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parent.parent
# Read at import: the autouse isolation fixture removes ZTNA_* variables before each test runs.
FROZEN_DIR = Path(os.environ.get("ZTNA_FROZEN_DIR") or ROOT / "dist" / "ztna-desktop")
EXE = FROZEN_DIR / ("ztna-desktop.exe" if sys.platform == "win32" else "ztna-desktop")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def exe() -> Path:
    if not EXE.is_file():
        if IN_CI:
            pytest.fail(f"CI=true but there is no frozen build at {EXE}")
        pytest.skip(f"no frozen build at {EXE} (python build_spec/build.py)")
    return EXE


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZTNA_", "QT_"))}
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _assert_clean(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, f"rc {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr


def test_version(exe):
    proc = _run([str(exe), "--version"], _env())
    _assert_clean(proc)
    assert proc.stdout.strip() == f"ztna-desktop {__version__}"


def test_smoke_test_offscreen(exe):
    proc = _run([str(exe), "--smoke-test"], _env(QT_QPA_PLATFORM="offscreen"))
    _assert_clean(proc)


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server; yields its DISPLAY value."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if IN_CI:
            pytest.fail("CI=true but Xvfb is missing (apt-get install xvfb)")
        pytest.skip("Xvfb not installed")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # Xvfb writes the display number once it is ready
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_smoke_test_on_x11(exe, xvfb_display):
    """The bundled xcb platform plugin and its libraries load (the real desktop path)."""
    env = _env(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display)
    proc = _run([str(exe), "--smoke-test"], env)
    _assert_clean(proc)


def test_demo_loads_guests_headless(exe, tmp_path):
    """--demo starts the embedded tenant, signs in and lists guests inside the frozen app.

    ZTNA_SCREENSHOT makes the app save the main window once the guests are shown and quit.
    """
    shot = tmp_path / "guests.png"
    env = _env(QT_QPA_PLATFORM="offscreen", ZTNA_SCREENSHOT=str(shot))
    proc = subprocess.Popen(
        [str(exe), "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    try:
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"--demo did not save a screenshot and quit within 90 s\n{out}\n{err}")
    assert proc.returncode == 0, f"rc {proc.returncode}\n{out}\n{err}"
    assert "Traceback" not in err, err
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
