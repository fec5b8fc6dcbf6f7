"""Loading the views' data: the local snapshot first, then the directory, then the activity.

Each step runs in its own worker; each worker also saves what it read to the
snapshot and builds the rows and indexes the views need, so the GUI thread only
swaps models when a ``ViewData`` arrives.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from ztna_desktop.core.directory import Directory
from ztna_desktop.core.errors import Cancelled, ZtnaError
from ztna_desktop.core.protocols import Progress
from ztna_desktop.store.directory_store import ACTIVITY_PARTS, DIRECTORY_PARTS
from ztna_desktop.ui.services import ActivityLoad, DirectoryLoad, Services
from ztna_desktop.ui.view_data import ViewData, build_view_data
from ztna_desktop.ui.workers import Job, JobRunner

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

#: How long the activity read waits for the directory to be shown (seconds).
ACTIVITY_START_DELAY_S = 0.3


def utc_now() -> datetime:
    return datetime.now(UTC)


_gc_lock = threading.Lock()
_gc_state = {"holders": 0, "was_enabled": True}


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic GC while a load runs; afterwards what it built is left out of it.

    A directory of 100k guests is a few million objects. A full collection walks all of
    them while holding the GIL: the GUI thread stalled 170-330 ms at a time during a
    refresh. The rows are acyclic, so reference counting still frees them when the next
    load replaces them; ``gc.freeze()`` only stops the collector from re-walking them.
    """
    with _gc_lock:
        if _gc_state["holders"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["holders"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["holders"] -= 1
            if _gc_state["holders"] == 0:
                gc.freeze()
                if _gc_state["was_enabled"]:
                    gc.enable()


def _quietly(task: Callable[[threading.Event, Progress], Any]) -> Any:
    """``task`` run under ``quiet_gc``."""

    def run(cancel: threading.Event, progress: Progress) -> Any:
        with quiet_gc():
            return task(cancel, progress)

    return run


class RefreshController(QObject):
    """Runs the loads and hands each finished ``ViewData`` to the window.

    Signals:
        data_ready(object, str): a ViewData to show and where it came from: "snapshot",
            "directory" or "activity".
        directory_failed(object): the directory read failed (the exception; Cancelled too).
        activity_failed(object): the activity read failed as a whole (the exception).
        progressed(int, object, str): done, total (None: unknown), text of the running read.
        busy_changed(bool): a directory or activity read started or ended.
    """

    data_ready = Signal(object, str)
    directory_failed = Signal(object)
    activity_failed = Signal(object)
    progressed = Signal(int, object, str)
    busy_changed = Signal(bool)

    def __init__(
        self, services: Services, runner: JobRunner, clock: Clock = utc_now, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._services, self._runner, self._clock = services, runner, clock
        self.data: ViewData | None = None
        self.organization: Any = None
        self._directory_job: Job | None = None
        self._activity_job: Job | None = None
        self._snapshot_job: Job | None = None
        self._generation = 0  # bumped by sign-out: a snapshot load still running is dropped

    # --- state -----------------------------------------------------------------
    def can_refresh(self) -> bool:
        s = self._services
        return s.load_directory is not None or s.load_guests is not None

    def is_loading(self) -> bool:
        """A directory read runs (the activity read does not count: it never blocks)."""
        return self._directory_job is not None

    def activity_running(self) -> bool:
        return self._activity_job is not None

    def snapshot_running(self) -> bool:
        return self._snapshot_job is not None

    # --- snapshot --------------------------------------------------------------
    def load_snapshot(self) -> bool:
        """Show the local snapshot (if any) as soon as it is read; False if there is none."""
        store = self._services.snapshot
        if store is None or self._snapshot_job is not None:
            return False
        clock = self._clock

        def task(cancel: threading.Event, progress: Progress) -> ViewData | None:
            loaded = store.load()
            if loaded is None or cancel.is_set():
                return None
            directory, fetched_at = loaded
            if not fetched_at:
                return None
            data = build_view_data(directory, now=clock(), fetched_at=fetched_at, from_cache=True)
            return data

        generation = self._generation
        self._snapshot_job = self._runner.start(
            "load-snapshot",
            _quietly(task),
            succeeded=lambda data: self._on_snapshot_loaded(data, generation),
            failed=self._on_snapshot_failed,
        )
        return True

    def _on_snapshot_loaded(self, data: ViewData | None, generation: int) -> None:
        self._snapshot_job = None
        if data is None or generation != self._generation or self.data is not None:
            return  # nothing saved yet, or a live read got there first
        self.data = data
        self.data_ready.emit(data, "snapshot")

    def _on_snapshot_failed(self, exc: BaseException) -> None:
        self._snapshot_job = None
        log.warning("could not read the local snapshot: %s", exc)

    # --- directory ---------------------------------------------------------------
    def refresh(self) -> bool:
        """Read the directory, then the activity; False if a read runs or none is possible."""
        if self._directory_job is not None or not self.can_refresh():
            return False
        self._cancel_activity()
        task = self._directory_task()
        self._directory_job = self._runner.start(
            "load-directory",
            _quietly(task),
            succeeded=self._on_directory_succeeded,
            failed=self._on_directory_failed,
            progress=self._on_progress,
        )
        self.busy_changed.emit(True)
        return True

    def _directory_task(
        self,
    ) -> Callable[[threading.Event, Progress], tuple[DirectoryLoad, ViewData]]:
        services, clock, previous = self._services, self._clock, self.data
        load_directory, load_guests = services.load_directory, services.load_guests
        store = services.snapshot

        def task(cancel: threading.Event, progress: Progress) -> tuple[DirectoryLoad, ViewData]:
            if load_directory is not None:
                load = load_directory(cancel, progress)
            else:
                assert load_guests is not None
                guests = load_guests(cancel, progress)
                load = DirectoryLoad(
                    Directory(users={g.id: g for g in guests.guests}),
                    clock(),
                    organization=guests.organization,
                )
            if cancel.is_set():
                raise Cancelled("Loading cancelled.")
            read = [p for p in DIRECTORY_PARTS if p not in load.errors]
            directory = load.directory
            fetched_at = dict(previous.fetched_at) if previous is not None else {}
            fetched_at.update(dict.fromkeys(read, load.fetched_at))
            if previous is not None:  # keep the last activity until the new one arrives
                directory = dataclasses.replace(
                    directory, mfa=previous.directory.mfa, sign_ins=previous.directory.sign_ins
                )
            else:
                for part in ACTIVITY_PARTS:
                    fetched_at.pop(part, None)
            if store is not None and read:
                progress(0, None, "Saving the local copy")
                store.save(load.directory, read, load.fetched_at)
            progress(0, None, "Preparing the views")
            errors = {
                k: v
                for k, v in (previous.errors if previous else {}).items()
                if k in ACTIVITY_PARTS
            }
            errors.update(load.errors)
            data = build_view_data(
                directory,
                now=clock(),
                fetched_at=fetched_at,
                errors=errors,
                owned=load.owned,
            )
            return load, data

        return task

    def _on_directory_succeeded(self, result: tuple[DirectoryLoad, ViewData]) -> None:
        self._directory_job = None
        load, data = result
        self.organization = load.organization
        self.data = data
        self._start_activity()
        self.busy_changed.emit(False)
        self.data_ready.emit(data, "directory")

    def _on_directory_failed(self, exc: BaseException) -> None:
        self._directory_job = None
        self.busy_changed.emit(False)
        self.directory_failed.emit(exc)

    def _on_progress(self, done: int, total: int | None, text: str) -> None:
        self.progressed.emit(done, total, text)

    # --- activity ----------------------------------------------------------------
    def _start_activity(self) -> None:
        loader = self._services.load_activity
        if loader is None or self.data is None:
            return
        base, store, clock = self.data, self._services.snapshot, self._clock

        def task(cancel: threading.Event, progress: Progress) -> ViewData:
            # Let the GUI put the directory on screen first: the tabs take it over a few
            # event-loop turns, and a worker busy with Python meanwhile makes each of the
            # repaints' data() calls wait for the GIL (stalls over 50 ms at 100k guests).
            # The activity read takes minutes anyway; a cancel ends the wait at once.
            if cancel.wait(ACTIVITY_START_DELAY_S):
                raise Cancelled("Loading cancelled.")
            activity: ActivityLoad = loader(cancel, progress, base.directory)
            if cancel.is_set():
                raise Cancelled("Loading cancelled.")
            directory = dataclasses.replace(
                base.directory, mfa=activity.mfa, sign_ins=activity.sign_ins
            )
            read = [p for p in ACTIVITY_PARTS if getattr(activity, p) is not None]
            if store is not None and read:
                store.save(directory, read, activity.fetched_at)
            fetched_at = dict(base.fetched_at)
            for part in ACTIVITY_PARTS:
                if part in read:
                    fetched_at[part] = activity.fetched_at
                else:
                    fetched_at.pop(part, None)
            errors = {k: v for k, v in base.errors.items() if k not in ACTIVITY_PARTS}
            errors.update(activity.errors)
            data = build_view_data(
                directory,
                now=clock(),
                fetched_at=fetched_at,
                errors=errors,
                owned=base.owned,
            )
            return data

        self._activity_job = self._runner.start(
            "load-activity",
            _quietly(task),
            succeeded=self._on_activity_succeeded,
            failed=self._on_activity_failed,
        )

    def _on_activity_succeeded(self, data: ViewData) -> None:
        self._activity_job = None
        self.data = data
        self.data_ready.emit(data, "activity")

    def _on_activity_failed(self, exc: BaseException) -> None:
        self._activity_job = None
        if not isinstance(exc, Cancelled):
            log.info("activity read failed: %s", exc)
        self.activity_failed.emit(exc)

    # --- cancel --------------------------------------------------------------------
    def cancel(self) -> bool:
        """Stop the directory read (and the activity read); True if one ran."""
        ran = self._directory_job is not None
        if self._directory_job is not None:
            self._directory_job.cancel()
            self._directory_job = None
            self.busy_changed.emit(False)
        self._cancel_activity()
        return ran

    def _cancel_activity(self) -> None:
        if self._activity_job is not None:
            self._activity_job.cancel()
            self._activity_job = None

    def clear(self) -> None:
        """Forget the data (sign-out)."""
        self.cancel()
        self.data = None
        self._generation += 1


def error_of(data: ViewData | None, part: str) -> ZtnaError | None:
    return None if data is None else data.errors.get(part)
