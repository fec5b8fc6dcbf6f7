"""app.run_gui: smoke test, config errors, the demo with a screenshot, the token-cache choice."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

import msal
import pytest

from ztna_desktop import app, paths
from ztna_desktop.cli import build_parser
from ztna_desktop.config import Config
from ztna_desktop.ui import messages
from ztna_desktop.ui.settings import Settings

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ROOT = Path(__file__).resolve().parent.parent


def args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


@pytest.fixture
def recorded_errors(monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, exc: shown.append(str(exc)))
    return shown


def test_smoke_test_returns_0(qapp, capsys):
    assert app.run_gui(args("--smoke-test")) == 0
    assert "smoke test ok" in capsys.readouterr().out
    assert not messages.log_only()  # switched back after the run


def test_logging_is_installed_for_the_run_only(qapp, capsys):
    root = logging.getLogger()
    before = list(root.handlers)
    assert app.run_gui(args("--smoke-test")) == 0
    assert root.handlers == before
    log_file = paths.log_dir() / "ztna-desktop.log"
    assert "starting (smoke test)" in log_file.read_text(encoding="utf-8")


def test_bad_config_file_exits_2_with_a_clear_message(qapp, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[entra]\nclient_id = 42\n", encoding="utf-8")
    assert app.run_gui(args("--smoke-test", "--config", str(bad))) == 2
    err = capsys.readouterr().err
    assert "configuration problem" in err
    assert "client_id must be a string" in err
    assert "Traceback" not in err


def test_missing_config_file_exits_2(qapp, tmp_path, capsys):
    assert app.run_gui(args("--smoke-test", "--config", str(tmp_path / "nope.toml"))) == 2
    assert "no such config file" in capsys.readouterr().err


def test_unconfigured_gui_explains_and_exits_2(qapp, recorded_errors):
    assert app.run_gui(args()) == 2
    assert "No client id is configured" in recorded_errors[0]
    assert "--demo" in recorded_errors[0]


@pytest.mark.emulator
def test_demo_signs_in_loads_and_saves_a_screenshot(qapp, tmp_path, monkeypatch):
    shot = tmp_path / "shot.png"
    monkeypatch.setenv(app.SCREENSHOT_ENV, str(shot))
    assert app.run_gui(args("--demo", "--guests", "40")) == 0
    assert shot.stat().st_size > 1000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    log_text = (paths.log_dir() / "ztna-desktop.log").read_text(encoding="utf-8")
    assert "Directory read:" in log_text
    # Demo mode writes no token cache.
    assert not list(paths.user_data_dir().rglob("msal_cache.bin"))
    assert "eyJ" not in log_text  # no token in the log


def test_smoke_test_as_a_subprocess():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "ztna_desktop", "--smoke-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "smoke test ok"
    assert result.stderr == ""


class _FakeHandle:
    def __init__(self, encrypted: bool):
        self.cache = msal.SerializableTokenCache()
        self.encrypted = encrypted
        self.description = "libsecret" if encrypted else "plain file"


@pytest.fixture
def cache_world(monkeypatch, tmp_path):
    """open_token_cache refusing plain text (no encryption here) and a recorded question."""
    from ztna_desktop.auth import token_cache

    calls, questions = [], []

    def open_token_cache(path, *, allow_plaintext):
        calls.append((path, allow_plaintext))
        if not allow_plaintext:
            raise token_cache.PlaintextCacheNotAllowed("No OS encryption is available.")
        return _FakeHandle(encrypted=False)

    monkeypatch.setattr(token_cache, "open_token_cache", open_token_cache)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: questions.append(a) or answer[0])
    answer = [False]
    settings = Settings(tmp_path / "settings.ini")
    config = Config(tenant_id="contoso.onmicrosoft.com", client_id="x")
    return calls, questions, answer, settings, config


def test_token_cache_refused_consent_keeps_tokens_in_memory(qapp, cache_world):
    calls, questions, _answer, settings, config = cache_world
    cache, description, notice = app._token_cache(config, settings)
    assert isinstance(cache, msal.SerializableTokenCache)
    assert "memory" in description
    assert "memory only" in notice
    assert len(questions) == 1
    assert calls[0][0].parts[-2:] == ("contoso.onmicrosoft.com", "msal_cache.bin")
    app._token_cache(config, settings)  # remembered: not asked again
    assert len(questions) == 1


def test_token_cache_consent_given_once_is_remembered(qapp, cache_world):
    calls, questions, answer, settings, config = cache_world
    answer[0] = True
    _handle, description, notice = app._token_cache(config, settings)
    assert description == "plain file"
    assert "unencrypted" in notice
    assert settings.pref("plaintext_cache_consent") == "yes"
    app._token_cache(config, settings)
    assert len(questions) == 1
    assert calls[-1][1] is True  # straight to plain text the second time


def test_event_loops_still_work_after_run_gui(qapp, qtbot, capsys):
    from PySide6.QtCore import QTimer

    assert app.run_gui(args("--smoke-test")) == 0
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=2000):
        timer.start(20)
