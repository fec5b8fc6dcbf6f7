"""UI test fixtures: no modal dialogs, settings in tmp_path, no QThread left running."""

from __future__ import annotations

import traceback
import weakref

import pytest
from PySide6.QtCore import QThread

from tests.ui.fakes import FakeAuth, FakeLoader, guests
from ztna_desktop.ui import messages, workers
from ztna_desktop.ui.services import Services
from ztna_desktop.ui.settings import Settings

#: Platform-plugin chatter that says nothing about our code (offscreen and xcb).
QT_NOISE = ("This plugin does not support propagateSizeHints",)


def pytest_collection_modifyitems(items):
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch, qtbot):
    """Fail a test that leaves a QThread (or a detached worker) running, as napari does."""
    started: weakref.WeakKeyDictionary[QThread, str] = weakref.WeakKeyDictionary()
    base_start = QThread.start

    def start(self, *args):
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    dangling = []
    for thread, where in list(started.items()):
        try:
            running = thread.isRunning()
        except RuntimeError:  # already deleted on the C++ side
            continue
        if running:
            dangling.append(where)
            thread.quit()
            thread.wait(2000)
    jobs = workers.running_jobs()
    for job in jobs:
        job.cancel()
    if dangling or jobs:
        pytest.fail(
            f"{len(dangling)} QThread(s) and {len(jobs)} job(s) left running; started at:\n"
            + "\n".join(dangling)
        )


class MessageLog(list):
    """(kind, title, text) of every message the app tried to show."""

    def titles(self) -> list[str]:
        return [title for _kind, title, _text in self]


@pytest.fixture(autouse=True)
def shown_messages(monkeypatch) -> MessageLog:
    """Record message boxes instead of showing them (and never block on one)."""
    log = MessageLog()
    monkeypatch.setattr(messages, "_log_only", True)

    def recorder(kind):
        def record(parent, title, body, *rest, **kwargs):
            text = body if isinstance(body, str) else messages.error_text(body)
            log.append((kind, title, text))

        return record

    monkeypatch.setattr(messages, "show_error", recorder("error"))
    monkeypatch.setattr(messages, "show_info", recorder("info"))
    monkeypatch.setattr(messages, "show_about", recorder("about"))
    monkeypatch.setattr(messages, "show_crash", recorder("crash"))
    return log


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def fake_auth() -> FakeAuth:
    return FakeAuth()


@pytest.fixture
def fake_loader() -> FakeLoader:
    return FakeLoader(guests(25))


@pytest.fixture
def services(fake_auth, fake_loader) -> Services:
    return Services(
        auth=fake_auth,
        scopes=["https://graph.example.test/User.Read"],
        load_guests=fake_loader,
        tenant_hint="contoso.onmicrosoft.com",
        config_source="tests",
        cache_description="in memory (tests)",
    )
