"""Every tab end to end: real MSAL, the real readers, the embedded tenant over HTTPS."""

from __future__ import annotations

import msal
import pytest

from tests.fakes import emulator_config
from ztna_desktop.app import make_activity_loader, make_directory_loader
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
from ztna_desktop.ui.dialogs.device_code_dialog import DeviceCodeDialog
from ztna_desktop.ui.dialogs.sign_in_dialog import SignInDialog
from ztna_desktop.ui.explain import P1_REPORT_NOTE, ROLE_MFA
from ztna_desktop.ui.main_window import MainWindow
from ztna_desktop.ui.services import Services
from ztna_desktop.ui.snapshot_store import SqliteSnapshot

pytestmark = pytest.mark.emulator

TIMEOUT = 30_000


@pytest.fixture(autouse=True)
def _device_code_chosen(monkeypatch):
    monkeypatch.setattr(SignInDialog, "ask", classmethod(lambda cls, parent, tenant="": "device"))


@pytest.fixture
def open_window(qtbot, settings, tmp_path):
    opened = []

    def open_(emu, persona="admin"):
        config = emulator_config(emu.info)
        auth = AuthClient(config, msal.SerializableTokenCache())
        scopes = qualified(config, SIGN_IN_SCOPES)
        services = Services(
            auth=auth,
            scopes=scopes,
            load_directory=make_directory_loader(config, auth, scopes),
            load_activity=make_activity_loader(config, auth, scopes),
            snapshot=SqliteSnapshot.for_tenant(tmp_path / "data", config.tenant_id),
            tenant_hint=config.tenant_id,
        )
        window = MainWindow(services, settings)
        qtbot.addWidget(window)
        opened.append(window)
        window.show()
        with qtbot.waitSignal(window.refresh_finished, timeout=TIMEOUT):
            window.sign_in()
            qtbot.waitUntil(lambda: window.findChild(DeviceCodeDialog) is not None, timeout=TIMEOUT)
            emu.approve_device_code(window.findChild(DeviceCodeDialog).user_code, persona)
        return window

    yield open_
    for window in opened:
        window.close()
        window._services.auth.close()


def guests_of(emu):
    return {u.id for u in emu.state.tenant.users if u.user_type == "Guest"}


def test_admin_sees_every_tab_filled(qtbot, open_window, emulator_factory, shown_messages):
    emu = emulator_factory(guests=60, seed=5)
    window = open_window(emu)
    tabs, data = window.tabs, window.tabs.data
    assert {r.id for r in data.guests.rows} == guests_of(emu)
    assert tabs.guests.never_box.isEnabled()
    assert tabs.groups.table.total_count() > 3
    gateway = [r for r in data.apps.rows if r.app.is_ztna_gateway]
    assert len(gateway) == 1
    assert tabs.apps.table.proxy.row_at(0).app.is_ztna_gateway  # pinned first
    assert tabs.apps.select_app(gateway[0].id)
    assert tabs.apps.can.total_count() > 0
    assert tabs.mfa.explanation.text() == ""
    bars = {b.label: b.count for b in tabs.mfa.chart.bars()}
    assert sum(bars.values()) > 0
    assert bars["No MFA"] > 0
    assert data.directory.mfa_trust_partners  # partner names shown beside the chart
    assert "trusted" in tabs.mfa.trust_label.text()
    can = tabs.apps.can.model_.rows()[0]
    assert tabs.access.show_guest(can.user.id)
    assert tabs.access.verdict_text()
    assert shown_messages == []
    # every tab's data was saved for the next start
    saved = window._services.snapshot.load()
    assert saved is not None
    assert {"users", "groups", "mfa", "sign_ins"} <= set(saved[1])


def test_nested_only_guest_is_told_no(qtbot, open_window, emulator_factory):
    emu = emulator_factory(guests=60, seed=5)
    window = open_window(emu)
    tabs, data = window.tabs, window.tabs.data
    gateway = next(r for r in data.apps.rows if r.app.is_ztna_gateway)
    tabs.apps.select_app(gateway.id)
    nested = tabs.apps.cannot.model_.rows()
    assert nested, "the seed has a guest in a nested group of an assigned group"
    tabs.access.show_guest(nested[0].user.id)
    verdict = tabs.access.verdict_text()
    if "invitation" not in verdict and "disabled" not in verdict:
        assert "nested group" in verdict


def test_helpdesk_sees_403s_honestly_and_the_rest_works(
    qtbot, open_window, emulator_factory, shown_messages
):
    emu = emulator_factory(guests=40, seed=2)
    window = open_window(emu, "helpdesk")
    tabs = window.tabs
    assert tabs.guests.model.rowCount() == len(guests_of(emu))
    assert tabs.groups.table.total_count() > 0
    assert tabs.apps.table.total_count() > 0
    assert tabs.mfa.explanation.text() == ROLE_MFA
    assert not tabs.guests.never_box.isEnabled()
    assert "your role" in tabs.guests.never_box.toolTip()
    guest_id = tabs.data.guests.rows[0].id
    tabs.access.show_guest(guest_id)
    assert "not available: your role" in tabs.access.details.toPlainText()
    assert shown_messages == []


def test_tenant_without_p1_explains_and_shows_per_user_methods(
    qtbot, open_window, emulator_factory
):
    emu = emulator_factory(guests=30, seed=4, no_premium=True)
    window = open_window(emu)
    tabs = window.tabs
    assert tabs.mfa.explanation.text() == P1_REPORT_NOTE
    assert tabs.data.directory.mfa is not None
    assert sum(b.count for b in tabs.mfa.chart.bars() if b.label != "No MFA") > 0
    assert not tabs.guests.stale_box.isEnabled()
    assert "Entra ID P1" in tabs.guests.stale_box.toolTip()


def test_emulator_stopped_shows_banner_and_snapshot(
    qtbot, open_window, emulator_factory, settings, tmp_path
):
    emu = emulator_factory(guests=30, seed=6)
    window = open_window(emu)
    before = window.tabs.groups.table.total_count()
    emu.stop()
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.refresh()
    assert window.banner.text().startswith("Offline \u2014 showing data from ")
    assert window.tabs.groups.table.total_count() == before

    # A fresh start with the tenant gone opens the snapshot at once.
    fresh = MainWindow(window._services, settings)
    qtbot.addWidget(fresh)
    with qtbot.waitSignal(fresh.data_shown, timeout=TIMEOUT) as shown:
        fresh.refresher.load_snapshot()
    assert shown.args[0].from_cache
    assert fresh.tabs.groups.table.total_count() == before
    assert fresh.tabs.mfa.table.total_count() == 30
    fresh.close()
