"""Remembered choices (``prefs/``) and window state (``state/``) in one INI file.

Preferences are declared with their defaults in ``PREFS``; window state is opaque
(geometry and header blobs). Tokens and secrets never go here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

#: Every preference with its default. Values are strings: INI files have no types.
PREFS: dict[str, str] = {
    # "" = not asked yet, "yes" / "no" = the answer to "store tokens unencrypted?"
    "plaintext_cache_consent": "",
    # Guests tab: "stale" means no sign-in for this many days.
    "stale_after_days": "90",
}


class Settings:
    """A QSettings (IniFormat) at ``path``; pass a tmp path in tests."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        self.path = path

    # prefs/ -------------------------------------------------------------
    def pref(self, name: str) -> str:
        default = PREFS[name]  # KeyError: undeclared preference (a bug)
        value = self._qsettings.value(f"prefs/{name}", default)
        return str(value) if value is not None else default

    def set_pref(self, name: str, value: str) -> None:
        if name not in PREFS:
            raise KeyError(name)
        self._qsettings.setValue(f"prefs/{name}", value)
        self._qsettings.sync()

    def pref_int(self, name: str) -> int:
        """A preference read as an integer (its default when the stored value is not one)."""
        try:
            return int(self.pref(name))
        except ValueError:
            return int(PREFS[name])

    # state/ -------------------------------------------------------------
    def state_bytes(self, name: str) -> QByteArray | None:
        value = self._qsettings.value(f"state/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state_bytes(self, name: str, value: QByteArray) -> None:
        self._qsettings.setValue(f"state/{name}", value)

    def state_int(self, name: str, default: int = 0) -> int:
        value = self._qsettings.value(f"state/{name}", default)
        try:
            return int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return default

    def set_state_int(self, name: str, value: int) -> None:
        self._qsettings.setValue(f"state/{name}", value)

    def sync(self) -> None:
        self._qsettings.sync()
