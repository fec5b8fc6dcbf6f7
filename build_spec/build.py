"""Build the frozen app: dist/ztna-desktop/ (onedir) and dist/ztna-desktop-<ver>-<os>-<arch>.tar.gz.

Usage: python build_spec/build.py [--no-check] [--no-archive]
Runs make_version_info, PyInstaller with build_spec/ztna_desktop.spec, then smoke-checks the result
(--version, and --smoke-test on the offscreen platform) and prints sizes and times.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
APP_DIR = DIST / "ztna-desktop"


def tree_size(path: Path) -> int:
    """Bytes of all regular files under path (symlinks not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def executable() -> Path:
    return APP_DIR / ("ztna-desktop.exe" if sys.platform == "win32" else "ztna-desktop")


def check(exe: Path) -> None:
    """Run the frozen app's --version and offscreen --smoke-test; raise if either fails."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for args in (["--version"], ["--smoke-test"]):
        started = time.perf_counter()
        proc = subprocess.run(
            [str(exe), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        took = time.perf_counter() - started
        print(f"check {' '.join(args)}: rc {proc.returncode} in {took:.2f} s {proc.stdout.strip()}")
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"frozen app failed: {exe} {' '.join(args)}")


def archive(version: str) -> Path:
    """Pack dist/ztna-desktop into a tar.gz named after version, OS and machine."""
    system = platform.system().lower()
    machine = platform.machine().lower().replace("amd64", "x86_64")
    target = DIST / f"ztna-desktop-{version}-{system}-{machine}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(APP_DIR, arcname=f"ztna-desktop-{version}")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-check", action="store_true", help="skip the frozen smoke checks")
    parser.add_argument("--no-archive", action="store_true", help="skip the tar.gz")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from ztna_desktop import __version__

    started = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "make_version_info.py")], check=True)
    shutil.rmtree(APP_DIR, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build"),
            str(HERE / "ztna_desktop.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    built = time.perf_counter() - started
    print(f"built {APP_DIR.relative_to(ROOT)}: {mib(tree_size(APP_DIR))} in {built:.1f} s")
    if not args.no_check:
        check(executable())
    if not args.no_archive:
        tar = archive(__version__)
        print(f"archive {tar.relative_to(ROOT)}: {mib(tar.stat().st_size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
