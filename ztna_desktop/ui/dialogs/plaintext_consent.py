"""Ask once whether tokens may be stored unencrypted when the OS offers no encryption."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ztna_desktop.ui import messages
from ztna_desktop.ui.settings import Settings

PREF = "plaintext_cache_consent"

QUESTION = (
    "This computer offers no way to encrypt the sign-in token cache (no keyring or "
    "Secret Service is available).\n\n"
    "Store the tokens in a file only you can read (not encrypted), so you stay signed in "
    "between sessions?\n\n"
    "If you choose No, tokens are kept in memory only and you sign in each time."
)


def plaintext_consent(parent: QWidget | None, settings: Settings, detail: str = "") -> bool:
    """Return the remembered answer, asking (and remembering) the first time.

    In log-only mode (tests, smoke runs) the answer is No and nothing is remembered.
    """
    remembered = settings.pref(PREF)
    if remembered in ("yes", "no"):
        return remembered == "yes"
    text = QUESTION if not detail else f"{QUESTION}\n\n({detail})"
    answer = messages.ask_yes_no(parent, "Store sign-in tokens unencrypted?", text, default=False)
    if not messages.log_only():
        settings.set_pref(PREF, "yes" if answer else "no")
    return answer
