"""Run blocking work (MSAL, Graph) off the GUI thread and report back with signals.

A task is a plain function ``task(cancel: threading.Event, progress: Progress) -> result``.
It runs in a ``Worker`` moved to its own ``QThread``; the clients it needs are built
inside the task, so each thread has its own ``requests.Session``. Cancelling sets the
event directly from the GUI thread (a queued slot would run only after the task ended).
"""

from __future__ import annotations

import logging
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ztna_desktop.core.errors import Cancelled, ZtnaError
from ztna_desktop.core.protocols import Progress

log = logging.getLogger(__name__)

#: Longest time a worker thread keeps the GIL while the GUI thread waits for it.
GUI_SWITCH_INTERVAL_S = 0.001

Task = Callable[[threading.Event, Progress], Any]

_live_jobs: weakref.WeakSet[Job] = weakref.WeakSet()


def running_jobs() -> list[Job]:
    """Jobs whose task has not returned yet (tests check that none is left over)."""
    return [job for job in list(_live_jobs) if job.is_running()]


class Worker(QObject):
    """Runs one task.

    Signals:
        progress(int, object, str): done, total (None when unknown), text.
        succeeded(object): the task's result.
        failed(object): the exception; ``Cancelled`` when the cancel event was set.
    """

    progress = Signal(int, object, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, task: Task, name: str) -> None:
        super().__init__()
        self._task = task
        self.name = name
        self.cancel_event = threading.Event()
        self.returned = threading.Event()

    def _report(self, done: int, total: int | None, text: str) -> None:
        self.progress.emit(done, total, text)

    @Slot()
    def run(self) -> None:
        try:
            result = self._task(self.cancel_event, self._report)
        except ZtnaError as exc:  # expected: the UI shows it calmly
            log.info("%s failed: %s: %s", self.name, type(exc).__name__, exc)
            self.returned.set()
            self.failed.emit(exc)
        except Exception as exc:  # a bug: logged, then handed to the crash handler
            log.exception("%s failed with an unexpected error", self.name)
            self.returned.set()
            self.failed.emit(exc)
        else:
            self.returned.set()
            if self.cancel_event.is_set():
                self.failed.emit(Cancelled())
            else:
                self.succeeded.emit(result)


class Job(QObject):
    """One running task: its worker, its thread, and the callbacks that get the outcome.

    Callbacks run on the GUI thread. After cancel() they are not called any more
    (the task may still be finishing in the background).
    """

    def __init__(
        self,
        task: Task,
        name: str,
        *,
        succeeded: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        progress: Progress | None = None,
        detached: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.worker = Worker(task, name)
        self._succeeded, self._failed, self._progress = succeeded, failed, progress
        self._abandoned = False
        self._detached = detached
        self.qthread: QThread | None = None
        self._pythread: threading.Thread | None = None
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.progress.connect(self._on_worker_progress)
        _live_jobs.add(self)

    def start(self) -> None:
        if self._detached:
            # WORKAROUND: MSAL's interactive sign-in cannot be interrupted (it waits for the
            # browser's redirect until its timeout). A daemon thread does not hold up quitting;
            # its signals are queued to this object on the GUI thread.
            self._pythread = threading.Thread(
                target=self.worker.run, name=f"ztna-{self.name}", daemon=True
            )
            self._pythread.start()
            return
        self.qthread = QThread()
        self.qthread.setObjectName(f"ztna-{self.name}")
        self.worker.moveToThread(self.qthread)
        self.qthread.started.connect(self.worker.run)
        # quit() from the worker thread itself (it is thread-safe): a queued call would
        # wait for the GUI thread, which may be blocked in wait() during shutdown.
        direct = Qt.ConnectionType.DirectConnection
        self.worker.succeeded.connect(self.qthread.quit, direct)
        self.worker.failed.connect(self.qthread.quit, direct)
        self.qthread.finished.connect(self._on_thread_finished)
        self.qthread.start()

    @property
    def cancel_event(self) -> threading.Event:
        return self.worker.cancel_event

    def cancel(self) -> None:
        """Ask the task to stop and drop its outcome."""
        self._abandoned = True
        self.worker.cancel_event.set()

    def is_running(self) -> bool:
        """True until the task has returned and (for a QThread) the thread has ended."""
        if not self.worker.returned.is_set():
            return True
        return self.qthread is not None and self.qthread.isRunning()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the thread to end; detached tasks are not waited for."""
        if self.qthread is None:
            return True
        if self.worker.returned.is_set():
            self.qthread.quit()
        if timeout_ms < 0:
            return self.qthread.wait()
        return self.qthread.wait(timeout_ms)

    @Slot()
    def _on_thread_finished(self) -> None:
        # Let the finished job (and its thread) be collected once nobody holds it.
        self.setParent(None)

    @Slot(int, object, str)
    def _on_worker_progress(self, done: int, total: int | None, text: str) -> None:
        if not self._abandoned and self._progress is not None:
            self._progress(done, total, text)

    @Slot(object)
    def _on_worker_succeeded(self, result: object) -> None:
        if not self._abandoned:
            self._succeeded(result)

    @Slot(object)
    def _on_worker_failed(self, exc: BaseException) -> None:
        if not self._abandoned:
            self._failed(exc)


class JobRunner(QObject):
    """Starts jobs, remembers the running ones, cancels and joins them on shutdown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        # A busy worker keeps the GIL until the switch interval (5 ms) runs out each time
        # the GUI thread comes back into Python: painting 100k-row tables calls data()
        # hundreds of times, which stretched one repaint to 60+ ms during a refresh.
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))

    def start(
        self,
        name: str,
        task: Task,
        *,
        succeeded: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        progress: Progress | None = None,
        detached: bool = False,
    ) -> Job:
        self._jobs = [job for job in self._jobs if job.is_running()]
        job = Job(
            task,
            name,
            succeeded=succeeded,
            failed=failed,
            progress=progress,
            detached=detached,
            parent=self,
        )
        self._jobs.append(job)
        job.start()
        return job

    def running(self, name: str | None = None) -> list[Job]:
        return [j for j in self._jobs if j.is_running() and (name is None or j.name == name)]

    def cancel(self, name: str | None = None) -> None:
        for job in self.running(name):
            job.cancel()

    def shutdown(self, warn_after_ms: int = 5000) -> None:
        """Cancel everything and wait for every QThread to end (never leave one running)."""
        for job in self._jobs:
            job.cancel()
        for job in self._jobs:
            if not job.wait(warn_after_ms):
                log.warning("still waiting for %s to stop", job.name)
                job.wait()
        self._jobs = [job for job in self._jobs if job.is_running()]
