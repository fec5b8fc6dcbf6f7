"""The main window against fakes at its seams: sign-in, loading, errors, cancel, state."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from tests.ui.fakes import FakeAccount
from ztna_desktop.core.errors import AccessDenied, InteractionRequired, NetworkError
from ztna_desktop.ui import status_bar as status
from ztna_desktop.ui.dialogs.device_code_dialog import DeviceCodeDialog
from ztna_desktop.ui.dialogs.sign_in_dialog import SignInDialog
from ztna_desktop.ui.main_window import MainWindow
from ztna_desktop.ui.services import Services
from ztna_desktop.ui.views.guests_view import SIGNED_OUT_TEXT

TIMEOUT = 5000


@pytest.fixture
def make_window(qtbot, settings):
    def make(services, settings_=None):
        window = MainWindow(services, settings_ or settings)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def choose(monkeypatch):
    """Answer the sign-in chooser without showing it."""
    answers = []

    def ask(cls, parent, tenant=""):
        answers.append(tenant)
        return choose.answer

    choose.answer = "device"
    monkeypatch.setattr(SignInDialog, "ask", classmethod(ask))
    choose.asked = answers
    return choose


def current_dialog(window):
    return window.findChild(DeviceCodeDialog)


def test_start_without_cached_account_stays_signed_out_quietly(
    qtbot, make_window, services, shown_messages, choose
):
    window = make_window(services)
    window.start()
    qtbot.waitUntil(lambda: not window.sign_in_controller.is_busy())
    assert window.status.connection() == status.SIGNED_OUT
    assert window.guests_view.empty_label.text() == SIGNED_OUT_TEXT
    assert choose.asked == []  # start-up never pops the chooser
    assert shown_messages == []
    assert window.window_actions.sign_in.isEnabled()
    assert not window.window_actions.refresh.isEnabled()


def test_cached_account_signs_in_silently_and_loads(qtbot, make_window, services, fake_auth):
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT) as blocker:
        window.start()
    assert blocker.args == [25]
    assert window.guests_view.model.rowCount() == 25
    assert window.guests_view.count_label.text() == "25 guests"
    assert window.status.connection() == status.CONNECTED
    assert window.status.account_label.text() == FakeAccount().username
    assert window.status.tenant_label.text() == "Contoso Ltd"
    assert window.window_actions.sign_out.isEnabled()
    assert not window.window_actions.sign_in.isEnabled()


def test_device_code_sign_in_then_load(qtbot, make_window, services, fake_auth, choose):
    window = make_window(services)
    window.show()
    window.sign_in()
    qtbot.waitUntil(lambda: current_dialog(window) is not None, timeout=TIMEOUT)
    dialog = current_dialog(window)
    assert dialog.code_label.text() == "ABCD-1234"
    assert "login.example.test/device" in dialog.link_label.text()
    assert choose.asked == ["contoso.onmicrosoft.com"]
    assert window.status.connection() == status.SIGNING_IN
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT):
        fake_auth.approved.set()
    assert window.guests_view.model.rowCount() == 25
    qtbot.waitUntil(lambda: current_dialog(window) is None or not dialog.isVisible())


def test_cancelling_the_device_code_dialog(qtbot, make_window, services, fake_auth, choose):
    window = make_window(services)
    window.show()
    window.sign_in()
    qtbot.waitUntil(lambda: current_dialog(window) is not None, timeout=TIMEOUT)
    assert fake_auth.finish_started.wait(5)
    current_dialog(window).reject()
    assert fake_auth.finish_returned.wait(5)  # the worker saw the cancel event
    assert window.status.connection() == status.SIGNED_OUT
    assert window.status.currentMessage() == "Sign-in cancelled"
    assert not window.sign_in_controller.is_busy()
    assert window.window_actions.sign_in.isEnabled()


def test_chooser_cancelled(qtbot, make_window, services, choose, shown_messages):
    choose.answer = None
    window = make_window(services)
    window.sign_in()
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Sign-in cancelled")
    assert shown_messages == []


def test_browser_sign_in(qtbot, make_window, services, fake_auth, choose):
    choose.answer = "browser"
    window = make_window(services)
    window.sign_in()
    qtbot.waitUntil(lambda: "interactive" in fake_auth.calls, timeout=TIMEOUT)
    assert window.window_actions.cancel.isEnabled()
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT):
        fake_auth.approved.set()


def test_escape_abandons_browser_sign_in(qtbot, make_window, services, fake_auth, choose):
    choose.answer = "browser"
    window = make_window(services)
    window.show()
    window.sign_in()
    qtbot.waitUntil(lambda: "interactive" in fake_auth.calls, timeout=TIMEOUT)
    with qtbot.assertNotEmitted(window.signed_in):
        window.cancel()
        assert window.status.connection() == status.SIGNED_OUT
        fake_auth.approved.set()  # the browser finishes later: ignored
        qtbot.waitUntil(lambda: not window.runner.running())


def test_sign_in_error_is_shown(qtbot, make_window, services, fake_auth, choose, shown_messages):
    from ztna_desktop.core.errors import AuthError

    fake_auth.device_error = AuthError("AADSTS700016: App not found.", code="invalid_client")
    fake_auth.approved.set()
    window = make_window(services)
    window.sign_in()
    qtbot.waitUntil(lambda: bool(shown_messages), timeout=TIMEOUT)
    assert shown_messages[0][1] == "Sign-in failed"
    assert "AADSTS700016" in shown_messages[0][2]
    assert window.status.connection() == status.SIGNED_OUT


def test_silent_network_error_at_start_says_offline(
    qtbot, make_window, services, fake_auth, shown_messages
):
    fake_auth._account = FakeAccount()
    fake_auth.silent_error = NetworkError("Cannot reach login.microsoftonline.com")
    window = make_window(services)
    window.start()
    qtbot.waitUntil(lambda: window.status.connection().startswith("Offline"))
    assert "Cannot reach" in window.status.connection()
    assert shown_messages == []  # start-up stays quiet


def signed_in_window(qtbot, make_window, services, fake_auth):
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.guests_loaded, timeout=TIMEOUT):
        window.start()
    return window


def test_cancel_loading_with_escape(qtbot, make_window, services, fake_auth, fake_loader):
    window = signed_in_window(qtbot, make_window, services, fake_auth)
    fake_loader.release.clear()
    fake_loader.started.clear()
    fake_loader.returned.clear()
    window.show()
    qtbot.waitExposed(window)
    window.refresh()
    assert fake_loader.started.wait(5)
    assert window.window_actions.cancel.isEnabled()
    assert window.status.connection() == status.LOADING
    assert window.window_actions.cancel.shortcut().toString() == "Esc"
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.window_actions.cancel.trigger()  # what Esc does (offscreen has no focus)
    assert fake_loader.returned.wait(5)
    assert not window.is_loading()
    assert window.status.connection() == status.CONNECTED
    assert window.guests_view.model.rowCount() == 25  # the last load stays
    assert not window.guests_view.progress_strip.isVisible()


def test_load_access_denied_is_readable(
    qtbot, make_window, services, fake_auth, fake_loader, shown_messages
):
    fake_loader.error = AccessDenied(
        "Insufficient privileges to complete the operation.",
        status=403,
        code="Authorization_RequestDenied",
        request_id="req-42",
    )
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.start()
    assert shown_messages[-1][1] == "Could not load the guests"
    assert "Insufficient privileges" in shown_messages[-1][2]
    assert "req-42" in shown_messages[-1][2]
    assert window.status.connection() == status.CONNECTED
    assert window.window_actions.refresh.isEnabled()  # the window survives; try again


def test_load_network_error_goes_offline(
    qtbot, make_window, services, fake_auth, fake_loader, shown_messages
):
    fake_loader.error = NetworkError("Cannot reach graph.microsoft.com: connection refused")
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.start()
    assert window.status.connection().startswith("Offline: Cannot reach graph")
    assert window.banner.isVisibleTo(window)
    assert window.banner.text() == "Offline \u2014 no saved data for this tenant yet."
    assert shown_messages == []  # the banner says it; no dialog to click away


def test_expired_sign_in_during_load_signs_out(
    qtbot, make_window, services, fake_auth, fake_loader, shown_messages
):
    fake_loader.error = InteractionRequired("Sign in again.")
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.start()
    assert window.status.connection() == status.SIGNED_OUT
    assert window.window_actions.sign_in.isEnabled()
    assert shown_messages[-1][1] == "Please sign in again"


def test_bug_in_loader_reaches_the_crash_handler(
    qtbot, make_window, services, fake_auth, fake_loader, monkeypatch
):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: seen.append(e))
    fake_loader.error = KeyError("displayName")
    fake_auth._account = FakeAccount()
    window = make_window(services)
    with qtbot.waitSignal(window.load_failed, timeout=TIMEOUT):
        window.start()
    assert isinstance(seen[0], KeyError)


def test_sign_out_clears_the_table(qtbot, make_window, services, fake_auth):
    window = signed_in_window(qtbot, make_window, services, fake_auth)
    with qtbot.waitSignal(window.signed_out, timeout=TIMEOUT):
        window.sign_out()
    assert fake_auth.account is None
    assert window.guests_view.model.rowCount() == 0
    assert window.guests_view.empty_label.text() == SIGNED_OUT_TEXT
    assert window.status.connection() == status.SIGNED_OUT
    assert window.status.account_label.text() == "No account"


def test_no_auth_means_sign_in_disabled(qtbot, make_window):
    window = make_window(Services(auth=None))
    window.start()
    assert not window.window_actions.sign_in.isEnabled()
    assert window.status.connection() == status.SIGNED_OUT


def test_about_names_version_and_config_source(qtbot, make_window, services, shown_messages):
    from ztna_desktop import __version__

    window = make_window(services)
    window.show_about()
    kind, _title, text = shown_messages[-1]
    assert kind == "about"
    assert __version__ in text
    assert "tests" in text


def test_window_state_round_trip(qtbot, make_window, settings, tmp_path):
    services = Services(auth=None)
    first = make_window(services)
    first.show()
    qtbot.waitExposed(first)
    first.resize(760, 530)  # the offscreen screen is 800x600
    header = first.guests_view.table.horizontalHeader()
    header.resizeSection(0, 321)
    first.guests_view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    first.close()

    from ztna_desktop.ui.settings import Settings

    second = make_window(services, Settings(settings.path))  # a fresh read of the file
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (760, 530)
    h2 = second.guests_view.table.horizontalHeader()
    assert h2.sectionSize(0) == 321
    assert h2.sortIndicatorSection() == 4
    assert h2.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert second.tabs.currentIndex() == 0


def test_close_joins_running_load(qtbot, make_window, services, fake_auth, fake_loader):
    window = signed_in_window(qtbot, make_window, services, fake_auth)
    fake_loader.release.clear()
    fake_loader.started.clear()
    window.refresh()
    assert fake_loader.started.wait(5)
    window.close()
    assert not window.runner.running()


def test_empty_page_sign_in_button_starts_sign_in(qtbot, make_window, services, choose):
    choose.answer = None
    window = make_window(services)
    window.show()
    button = window.guests_view.sign_in_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: choose.asked == ["contoso.onmicrosoft.com"], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.sign_in_controller.is_busy())


def test_long_offline_reason_is_elided_with_full_tooltip(qtbot, make_window, services):
    window = make_window(services)
    reason = "Offline: " + "Cannot reach graph.microsoft.com because " * 5
    window.status.set_connection(reason)
    assert window.status.connection() == reason
    assert window.status.connection_label.toolTip() == reason
    shown = window.status.connection_label.text()
    assert len(shown) < len(reason)
    assert shown.endswith("\u2026")
