"""JobRunner: success, expected failure, bug, cancel, progress, shutdown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject

from ztna_desktop.core.errors import AccessDenied, Cancelled
from ztna_desktop.ui.workers import JobRunner, running_jobs


class Recorder(QObject):
    """Receives outcomes on the GUI thread (bound methods, as the app does)."""

    def __init__(self):
        super().__init__()
        self.results, self.errors, self.progress = [], [], []
        self.threads = []

    def on_succeeded(self, result):
        self.threads.append(threading.current_thread())
        self.results.append(result)

    def on_failed(self, exc):
        self.errors.append(exc)

    def on_progress(self, done, total, text):
        self.progress.append((done, total, text))

    def outcomes(self):
        return len(self.results) + len(self.errors)


@pytest.fixture
def runner(qapp):
    runner = JobRunner()
    yield runner
    runner.shutdown()


def start(runner, rec, task, **kwargs):
    return runner.start(
        "test",
        task,
        succeeded=rec.on_succeeded,
        failed=rec.on_failed,
        progress=rec.on_progress,
        **kwargs,
    )


def test_success_reports_progress_then_result_on_gui_thread(qtbot, runner):
    rec = Recorder()
    worker_threads = []

    def task(cancel, progress):
        worker_threads.append(threading.current_thread())
        progress(1, 2, "one")
        progress(2, 2, "two")
        return "done"

    job = start(runner, rec, task)
    qtbot.waitUntil(lambda: rec.outcomes() == 1)
    qtbot.waitUntil(lambda: not job.is_running())
    assert rec.results == ["done"]
    assert rec.progress == [(1, 2, "one"), (2, 2, "two")]
    assert worker_threads[0] is not threading.main_thread()
    assert rec.threads == [threading.main_thread()]


def test_expected_failure_is_handed_over(qtbot, runner):
    rec = Recorder()

    def task(cancel, progress):
        raise AccessDenied("Insufficient privileges.", status=403, request_id="r-1")

    start(runner, rec, task)
    qtbot.waitUntil(lambda: rec.outcomes() == 1)
    assert isinstance(rec.errors[0], AccessDenied)
    assert "r-1" in str(rec.errors[0])


def test_bug_is_logged_and_handed_over(qtbot, runner, caplog):
    rec = Recorder()

    def task(cancel, progress):
        raise ZeroDivisionError("boom")

    start(runner, rec, task)
    qtbot.waitUntil(lambda: rec.outcomes() == 1)
    assert isinstance(rec.errors[0], ZeroDivisionError)
    assert "unexpected error" in caplog.text
    assert "ZeroDivisionError" in caplog.text


def test_cancel_stops_the_task_and_drops_its_outcome(qtbot, runner):
    rec = Recorder()
    entered, left = threading.Event(), threading.Event()

    def task(cancel, progress):
        entered.set()
        try:
            if cancel.wait(10):
                raise Cancelled()
            return "too late"
        finally:
            left.set()

    job = start(runner, rec, task)
    assert entered.wait(5)
    job.cancel()
    assert left.wait(5)
    qtbot.waitUntil(lambda: not job.is_running())
    qapp_process(qtbot)
    assert rec.outcomes() == 0


def test_task_that_ignores_cancel_still_reports_cancelled_not_success(qtbot, runner):
    rec = Recorder()
    gate = threading.Event()

    def task(cancel, progress):
        gate.wait(5)
        return "result"

    job = runner.start("t", task, succeeded=rec.on_succeeded, failed=rec.on_failed)
    job.worker.cancel_event.set()  # cancel without abandoning: the outcome is Cancelled
    gate.set()
    qtbot.waitUntil(lambda: rec.outcomes() == 1)
    assert isinstance(rec.errors[0], Cancelled)


def test_detached_job_reports_back(qtbot, runner):
    rec = Recorder()
    job = start(runner, rec, lambda cancel, progress: 42, detached=True)
    qtbot.waitUntil(lambda: rec.outcomes() == 1)
    assert rec.results == [42]
    assert job.qthread is None
    qtbot.waitUntil(lambda: not job.is_running())


def test_shutdown_cancels_and_joins(qtbot, qapp):
    runner = JobRunner()
    rec = Recorder()
    seen_cancel = threading.Event()

    def task(cancel, progress):
        cancel.wait(10)
        seen_cancel.set()
        raise Cancelled()

    job = start(runner, rec, task)
    runner.shutdown()
    assert seen_cancel.is_set()
    assert not job.is_running()
    assert running_jobs() == []


def qapp_process(qtbot):
    """Let queued signals arrive (a no-op wait that returns as soon as events ran)."""
    with qtbot.waitSignal(_Ping.instance().pinged, timeout=1000):
        _Ping.instance().pinged.emit()


class _Ping(QObject):
    from PySide6.QtCore import Signal

    pinged = Signal()
    _one = None

    @classmethod
    def instance(cls):
        if cls._one is None:
            cls._one = cls()
        return cls._one


def test_a_job_runner_bounds_how_long_a_worker_keeps_the_gil_from_the_gui():
    import sys

    from ztna_desktop.ui.workers import GUI_SWITCH_INTERVAL_S

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        JobRunner()
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
