"""The window's refresh: snapshot first, directory then activity in workers, offline, export."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.ui.directory_fakes import (
    NO_PREMIUM,
    NOW,
    FakeActivityLoader,
    FakeDirectoryLoader,
    MemorySnapshot,
    small_directory,
)
from tests.ui.fakes import FakeAccount, FakeAuth
from ztna_desktop.core.errors import NetworkError
from ztna_desktop.ui import export
from ztna_desktop.ui import status_bar as status
from ztna_desktop.ui.main_window import MainWindow
from ztna_desktop.ui.services import Services

TIMEOUT = 5000


@pytest.fixture
def world(qtbot, settings):
    class World:
        auth = FakeAuth(FakeAccount())
        directory = FakeDirectoryLoader()
        activity = FakeActivityLoader()
        snapshot = MemorySnapshot()

        def window(self):
            services = Services(
                auth=self.auth,
                scopes=["User.Read"],
                load_directory=self.directory,
                load_activity=self.activity,
                snapshot=self.snapshot,
                tenant_hint="contoso.onmicrosoft.com",
            )
            window = MainWindow(services, settings)
            qtbot.addWidget(window)
            return window

    return World()


def test_refresh_reads_directory_then_activity_and_saves_both_off_the_gui_thread(qtbot, world):
    window = world.window()
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.start()
    assert world.activity.calls == 1
    data = window.tabs.data
    assert data.directory.mfa is not None
    assert data.directory.sign_ins is not None
    assert window.tabs.mfa.table.total_count() == 12
    assert window.tabs.guests.never_box.isEnabled()
    parts = [set(p) for p, _ in world.snapshot.saves]
    assert {"users", "groups", "members", "apps", "assignments"} <= parts[0]
    assert parts[1] == {"mfa", "sign_ins"}
    gui = threading.main_thread().name
    assert all(thread != gui for _, thread in world.snapshot.saves)
    assert window.status.connection() == status.CONNECTED
    assert window.status.tenant_label.text() == "Contoso Ltd"


def test_snapshot_is_shown_at_start_before_any_read(qtbot, world):
    world.snapshot = MemorySnapshot(
        small_directory(), {"users": NOW - timedelta(days=2), "groups": NOW, "mfa": NOW}
    )
    world.auth = FakeAuth(None)  # nobody signed in: only the cache can show anything
    window = world.window()
    with qtbot.waitSignal(window.data_shown, timeout=TIMEOUT) as shown:
        window.start()
    assert shown.args[0].from_cache
    assert window.guests_view.model.rowCount() == 12
    assert window.tabs.guests.freshness.text().startswith("From cache, ")
    assert world.directory.calls == 0
    qtbot.waitUntil(lambda: not window.sign_in_controller.is_busy())


def test_unreachable_tenant_shows_the_offline_banner_over_the_snapshot(
    qtbot, world, shown_messages
):
    saved = NOW - timedelta(days=1)
    world.snapshot = MemorySnapshot(small_directory(), {"users": saved, "groups": saved})
    world.directory = FakeDirectoryLoader(error=NetworkError("Cannot reach graph.example.test"))
    window = world.window()
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.start()
    qtbot.waitUntil(lambda: window.tabs.data is not None)
    assert window.banner.isVisibleTo(window)
    stamp = saved.astimezone().strftime("%Y-%m-%d %H:%M")
    assert window.banner.text() == f"Offline \u2014 showing data from {stamp}. Read-only."
    assert window.status.connection().startswith("Offline: Cannot reach")
    assert window.tabs.groups.table.total_count() == 4  # still usable
    assert window.tabs.access.show_guest("id-0001")
    assert shown_messages == []
    world.directory.error = None
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.banner.retry_button.click()
    assert not window.banner.isVisibleTo(window)


def test_activity_errors_do_not_block_the_other_tabs(qtbot, world):
    world.activity = FakeActivityLoader(
        mfa=None, sign_ins=False, errors={"mfa": NO_PREMIUM, "sign_ins": NO_PREMIUM}
    )
    window = world.window()
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.start()
    assert window.tabs.groups.table.total_count() == 4
    assert not window.tabs.guests.never_box.isEnabled()
    assert "Entra ID P1" in window.tabs.mfa.explanation.text()
    assert [p for p, _ in world.snapshot.saves][1:] == []  # nothing of the activity to save


def test_activity_that_fails_as_a_whole_keeps_the_directory(qtbot, world):
    world.activity = FakeActivityLoader(error=NetworkError("reports timed out"))
    window = world.window()
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.start()
    assert window.tabs.apps.table.total_count() == 2
    assert "MFA and sign-ins could not be read" in window.status.currentMessage()


def test_export_writes_the_current_view_as_csv(qtbot, world, tmp_path, monkeypatch):
    target = tmp_path / "groups.csv"
    asked = []
    monkeypatch.setattr(
        export, "ask_save_path", lambda parent, suggested: asked.append(suggested) or target
    )
    window = world.window()
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.start()
    window.tabs.setCurrentWidget(window.tabs.groups)
    window.tabs.groups.search_edit.setText("=")  # nothing matches: an empty export is fine
    window.tabs.groups.search_edit.setText("p")
    with qtbot.waitSignal(window.exported, timeout=TIMEOUT):
        window.window_actions.export.trigger()
    assert asked[0].startswith("groups-")
    assert asked[0].endswith(".csv")
    text = target.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("Name,Type,Members,Guests")
    assert [line.split(",")[0] for line in lines[1:-1]] == [
        "Helpdesk Team",
        "Partner Engineers",
        "Project Apollo",
    ]
    assert not list(tmp_path.glob(".groups.csv.*"))  # the temporary file is gone


def test_export_neutralises_formulas_and_follows_the_sort(qtbot, world, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from tests.ui.fakes import guest

    d = small_directory()
    d.users["id-0001"] = guest(1, display_name="=HYPERLINK(1)")
    world.directory = FakeDirectoryLoader(d)
    target = tmp_path / "guests.csv"
    monkeypatch.setattr(export, "ask_save_path", lambda parent, suggested: target)
    window = world.window()
    with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
        window.start()
    window.guests_view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    with qtbot.waitSignal(window.exported, timeout=TIMEOUT):
        window.export_current_view()
    rows = target.read_bytes().decode("utf-8-sig").split("\r\n")[1:-1]
    assert rows[0].startswith("Guest 0012")
    assert rows[-1].startswith("'=HYPERLINK(1)")


def test_access_tab_has_nothing_to_export(qtbot, world):
    window = world.window()
    window.tabs.setCurrentWidget(window.tabs.access)
    assert not window.window_actions.export.isEnabled()


def test_quiet_gc_nests_and_restores_the_collector():
    import gc

    from ztna_desktop.ui.refresh import quiet_gc

    assert gc.isenabled()
    try:
        with quiet_gc():
            assert not gc.isenabled()
            with quiet_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer load still runs
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
