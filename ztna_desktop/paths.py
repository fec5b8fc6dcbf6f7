"""Where things live: resources (from source or a PyInstaller bundle), data, logs, config."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "ztna-desktop"
APP_AUTHOR = "ZTNA Desktop"

IS_FROZEN = bool(getattr(sys, "frozen", False))


def resource_path(*parts: str) -> Path:
    """Return a path under resources/, from source or from a PyInstaller bundle."""
    root = getattr(sys, "_MEIPASS", None) or Path(__file__).resolve().parent.parent
    return Path(root, "resources", *parts)


def executable_dir() -> Path:
    """The folder of the frozen executable, or of the package when run from source."""
    if IS_FROZEN:
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def user_data_dir() -> Path:
    """Per-user data (token cache, SQLite stores); created on first use."""
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def user_config_dir() -> Path:
    """Per-user configuration (``config.toml``)."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def site_config_dir() -> Path:
    """System-wide configuration that IT deploys."""
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """Rotating log files."""
    path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
