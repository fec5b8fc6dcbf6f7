"""Canary for Qt for Python defects that would crash the app rather than fail a test."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# PySide6 6.12.0's Signal.emit() dropped a reference to True on every call; on Python
# 3.11 CPython then aborts ("bool_dealloc") after a few hundred emits. Run it in a child
# process so a broken release fails this test instead of killing the whole run.
_EMIT_MANY = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Source(QObject):
        fired = Signal(object)

    app = QCoreApplication([])
    source = Source()
    source.fired.connect(lambda value: None)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(5000):
        source.fired.emit(1)
    after = sys.getrefcount(True), sys.getrefcount(None)
    print(after[0] - before[0], after[1] - before[1])
    """
)


def test_signal_emit_keeps_reference_counts():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _EMIT_MANY], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    true_delta, none_delta = (int(n) for n in done.stdout.split())
    # A few references may come and go with caches; a leak per emit would be thousands.
    assert abs(true_delta) < 100
    assert abs(none_delta) < 100
