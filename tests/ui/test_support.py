"""Settings, messages, logging and the crash handler."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QByteArray, qWarning

from ztna_desktop.core.errors import AccessDenied
from ztna_desktop.ui import messages
from ztna_desktop.ui.crash import CrashHandler
from ztna_desktop.ui.logs import LoggingSetup, RedactingFilter, redact
from ztna_desktop.ui.settings import Settings


def test_prefs_have_defaults_and_persist(tmp_path):
    settings = Settings(tmp_path / "s.ini")
    assert settings.pref("plaintext_cache_consent") == ""
    settings.set_pref("plaintext_cache_consent", "no")
    assert Settings(tmp_path / "s.ini").pref("plaintext_cache_consent") == "no"
    with pytest.raises(KeyError):
        settings.set_pref("undeclared", "x")
    with pytest.raises(KeyError):
        settings.pref("undeclared")


def test_state_lives_in_its_own_group(tmp_path):
    settings = Settings(tmp_path / "s.ini")
    settings.set_state_bytes("geometry", QByteArray(b"\x01\x02"))
    settings.set_state_int("last_tab", 3)
    settings.sync()
    again = Settings(tmp_path / "s.ini")
    assert bytes(again.state_bytes("geometry").data()) == b"\x01\x02"
    assert again.state_int("last_tab") == 3
    assert again.state_bytes("missing") is None
    text = (tmp_path / "s.ini").read_text()
    assert "[state]" in text
    assert "token" not in text.lower()


def test_error_text_carries_the_request_id():
    exc = AccessDenied("Insufficient privileges.", status=403, request_id="abc-123")
    assert messages.error_text(exc) == "Insufficient privileges. (request id abc-123)"


def test_log_only_questions_get_the_default(monkeypatch, caplog):
    monkeypatch.setattr(messages, "_log_only", True)
    caplog.set_level(logging.INFO)
    assert messages.ask_yes_no(None, "Q", "Sure?", default=True) is True
    assert messages.ask_yes_no(None, "Q", "Sure?") is False
    assert "Sure?" in caplog.text


@pytest.mark.parametrize(
    "secret",
    [
        "Authorization: Bearer abcdefghijklmnop.qrstuv",
        '{"access_token": "opaque-secret-value"}',
        "refresh_token=opaque-secret-value&x=1",
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here",
    ],
)
def test_redact_removes_tokens(secret):
    cleaned = redact(secret)
    assert "opaque-secret-value" not in cleaned
    assert "eyJzdWIiOiJ4In0" not in cleaned
    assert "abcdefghijklmnop" not in cleaned


def test_redacting_filter_cleans_args_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "got %s", ("Bearer s3cr3t-t0ken-value",), None
    )
    try:
        raise ValueError("refresh_token=s3cr3t-t0ken-value")
    except ValueError:
        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert "s3cr3t" not in record.getMessage()
    assert "s3cr3t" not in record.exc_text


def test_logging_setup_writes_file_routes_qt_and_uninstalls(tmp_path):
    setup = LoggingSetup(tmp_path, stderr_level=logging.CRITICAL)
    root = logging.getLogger()
    before = list(root.handlers)
    setup.install()
    try:
        logging.getLogger("ztna_desktop.test").warning("hello Bearer abcdefgh12345678")
        qWarning("a qt warning for the log")
    finally:
        setup.uninstall()
    assert root.handlers == before
    text = setup.log_path.read_text(encoding="utf-8")
    assert "hello Bearer <redacted>" in text
    assert "a qt warning for the log" in text


def test_crash_handler_logs_and_shows(shown_messages, caplog, tmp_path):
    handler = CrashHandler(str(tmp_path / "app.log"))
    previous = sys.excepthook
    handler.install()
    try:
        try:
            raise RuntimeError("kaboom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        handler.uninstall()
    assert sys.excepthook is previous
    assert "kaboom" in caplog.text
    assert "Traceback" in caplog.text
    kind, _title, text = shown_messages[-1]
    assert kind == "crash"
    assert "RuntimeError: kaboom" in text
