"""Shared fixtures: isolation of every test, the offscreen Qt platform, the embedded tenant."""

from __future__ import annotations

import os

# Before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest_plugins = ["tests.emulator_fixtures"]


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point HOME and the XDG dirs at a fresh folder so no test touches the real profile."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    for name in list(os.environ):
        if name.startswith("ZTNA_"):
            monkeypatch.delenv(name)
    return home


def pytest_collection_modifyitems(items):
    """Mark every test that uses a QApplication as ``gui`` (``-m "not gui"`` skips them)."""
    for item in items:
        if {"qapp", "qtbot"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
