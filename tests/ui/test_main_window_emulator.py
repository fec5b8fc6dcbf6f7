"""The main window end to end: real MSAL, real Graph client, the embedded tenant over HTTPS."""

from __future__ import annotations

import msal
import pytest

from tests.fakes import emulator_config
from ztna_desktop.app import make_guests_loader
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
from ztna_desktop.ui import status_bar as status
from ztna_desktop.ui.dialogs.device_code_dialog import DeviceCodeDialog
from ztna_desktop.ui.dialogs.sign_in_dialog import SignInDialog
from ztna_desktop.ui.main_window import MainWindow
from ztna_desktop.ui.models.table_model import ROW_ROLE
from ztna_desktop.ui.services import Services

pytestmark = pytest.mark.emulator

TIMEOUT = 20_000


def real_services(info, scopes=SIGN_IN_SCOPES) -> Services:
    config = emulator_config(info)
    auth = AuthClient(config, msal.SerializableTokenCache())
    wanted = qualified(config, scopes)
    return Services(
        auth=auth,
        scopes=wanted,
        load_guests=make_guests_loader(config, auth, wanted),
        tenant_hint=config.tenant_id,
        config_source="emulator",
    )


@pytest.fixture
def device_code_chosen(monkeypatch):
    monkeypatch.setattr(SignInDialog, "ask", classmethod(lambda cls, parent, tenant="": "device"))


@pytest.fixture
def make_window(qtbot, settings):
    windows = []

    def make(services):
        window = MainWindow(services, settings)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()  # joins its workers before the emulator goes away
        window._services.auth.close()  # MSAL's HTTP session


def sign_in_with_device_code(qtbot, window, emulator, persona="admin"):
    """Click Sign in, read the code off the dialog, approve it as ``persona``."""
    window.show()
    window.sign_in()
    qtbot.waitUntil(lambda: window.findChild(DeviceCodeDialog) is not None, timeout=TIMEOUT)
    dialog = window.findChild(DeviceCodeDialog)
    assert dialog.verification_uri.startswith(emulator.info["authority"].rsplit("/", 1)[0])
    emulator.approve_device_code(dialog.user_code, persona)


def test_device_code_sign_in_fills_table_with_the_tenants_guests(
    qtbot, make_window, emulator, device_code_chosen, shown_messages
):
    window = make_window(real_services(emulator.info))
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT) as loaded:
        sign_in_with_device_code(qtbot, window, emulator)
    expected = {u.id for u in emulator.state.tenant.users if u.user_type == "Guest"}
    model = window.guests_view.model
    shown = {model.index(r, 0).data(ROW_ROLE).id for r in range(model.rowCount())}
    assert loaded.args == [len(expected)]
    assert shown == expected
    assert window.guests_view.count_label.text() == f"{len(expected)} guests"
    assert window.status.connection() == status.CONNECTED
    assert window.status.account_label.text() == emulator.info["personas"]["admin"]
    assert window.status.tenant_label.text()  # the organization's display name
    assert shown_messages == []
    users_requests = [r for r in emulator.requests if r.path.endswith("/users")]
    assert len(users_requests) == 1  # 250 guests: one page of 999


def test_missing_scope_gives_a_readable_403_and_the_window_survives(
    qtbot, make_window, emulator, device_code_chosen, shown_messages
):
    window = make_window(real_services(emulator.info, scopes=("User.Read",)))
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT) as failed:
        sign_in_with_device_code(qtbot, window, emulator)
    assert getattr(failed.args[0], "status", None) == 403
    kind, title, text = shown_messages[-1]
    assert (kind, title) == ("error", "Could not load the guests")
    assert "privileges" in text.lower()
    assert "request id" in text
    assert window.status.connection() == status.CONNECTED
    assert window.window_actions.refresh.isEnabled()
    assert window.window_actions.sign_out.isEnabled()


def test_emulator_gone_mid_load_says_offline(
    qtbot, make_window, emulator_factory, device_code_chosen, shown_messages
):
    emu = emulator_factory(guests=30, seed=3)
    window = make_window(real_services(emu.info))
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT):
        sign_in_with_device_code(qtbot, window, emu)
    emu.faults.latency_ms = 300  # the next load sits in the server long enough to cut it
    emu.reset_requests()
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.refresh()
        qtbot.waitUntil(lambda: window.is_loading() and _graph_requests(emu) > 0)
        emu.stop()
    assert window.status.connection().startswith("Offline: ")
    assert window.banner.isVisibleTo(window)
    assert window.banner.text().startswith("Offline \u2014 showing data from ")
    assert window.banner.text().endswith(". Read-only.")
    assert shown_messages == []
    assert window.guests_view.model.rowCount() == 30  # the last good load stays visible
    assert not window.is_loading()
    assert window.window_actions.refresh.isEnabled()


def _graph_requests(emu) -> int:
    return sum(1 for r in emu.requests if "/v1.0/" in r.path)
