"""Sign-in chooser, device-code dialog, plain-text consent."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.fakes import FakeAccount, FakeFlow
from ztna_desktop.core.errors import AuthError, Cancelled
from ztna_desktop.ui import messages
from ztna_desktop.ui.dialogs.device_code_dialog import DeviceCodeDialog
from ztna_desktop.ui.dialogs.plaintext_consent import PREF, plaintext_consent
from ztna_desktop.ui.dialogs.sign_in_dialog import BROWSER, DEVICE_CODE, SignInDialog
from ztna_desktop.ui.workers import JobRunner


@pytest.mark.parametrize(
    ("button", "choice"), [("browser_button", BROWSER), ("device_button", DEVICE_CODE)]
)
def test_sign_in_dialog_choices(qtbot, button, choice):
    dialog = SignInDialog("contoso.onmicrosoft.com")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.choice == choice


def test_sign_in_dialog_cancel(qtbot):
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.choice is None


@pytest.fixture
def runner(qapp):
    runner = JobRunner()
    yield runner
    runner.shutdown()


class Finisher:
    """The blocking half of a device flow, controlled by the test."""

    def __init__(self):
        self.approve = threading.Event()
        self.error = None
        self.saw_cancel = threading.Event()

    def __call__(self, cancel):
        while not self.approve.is_set():
            if cancel.wait(0.01):
                self.saw_cancel.set()
                raise Cancelled()
        if self.error:
            raise self.error
        return FakeAccount()


def make_dialog(qtbot, runner, finisher):
    dialog = DeviceCodeDialog(FakeFlow(), finisher, runner)
    qtbot.addWidget(dialog)
    return dialog


def test_device_code_dialog_shows_code_link_and_copies(qtbot, runner):
    finisher = Finisher()
    dialog = make_dialog(qtbot, runner, finisher)
    dialog.start()
    assert dialog.isVisible()
    assert dialog.code_label.text() == "ABCD-1234"
    assert 'href="https://login.example.test/device"' in dialog.link_label.text()
    assert dialog.link_label.openExternalLinks()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "ABCD-1234"
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as blocker:
        finisher.approve.set()
    assert blocker.args[0] == FakeAccount()
    assert not dialog.isVisible()


def test_device_code_dialog_cancel_stops_the_wait(qtbot, runner):
    finisher = Finisher()
    dialog = make_dialog(qtbot, runner, finisher)
    dialog.start()
    with (
        qtbot.waitSignal(dialog.cancelled, timeout=1000),
        qtbot.assertNotEmitted(dialog.sign_in_failed),
    ):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert finisher.saw_cancel.wait(5)
        qtbot.waitUntil(lambda: not runner.running())
    assert not dialog.isVisible()


def test_device_code_dialog_reports_failure(qtbot, runner):
    finisher = Finisher()
    finisher.error = AuthError("The code expired.", code="expired_token")
    dialog = make_dialog(qtbot, runner, finisher)
    dialog.start()
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=5000) as blocker:
        finisher.approve.set()
    assert "expired" in str(blocker.args[0])


def test_plaintext_consent_is_asked_once_and_remembered(settings, monkeypatch):
    monkeypatch.setattr(messages, "_log_only", False)
    asked = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: asked.append(k) or True)
    assert plaintext_consent(None, settings) is True
    assert settings.pref(PREF) == "yes"
    assert plaintext_consent(None, settings) is True
    assert len(asked) == 1
    assert asked[0]["default"] is False  # the safe answer is the default


def test_plaintext_consent_refusal_is_remembered(settings, monkeypatch):
    monkeypatch.setattr(messages, "_log_only", False)
    asked = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: asked.append(1) or False)
    assert plaintext_consent(None, settings) is False
    assert plaintext_consent(None, settings) is False
    assert asked == [1]


def test_plaintext_consent_in_log_only_mode_says_no_and_remembers_nothing(settings):
    assert messages.log_only()  # the autouse fixture
    assert plaintext_consent(None, settings) is False
    assert settings.pref(PREF) == ""
