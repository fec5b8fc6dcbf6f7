"""The MFA tab's columns: one per method (a check mark), registered, preferred, trust."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from ztna_desktop.core.mfa import MfaMethod, preferred_method_label
from ztna_desktop.ui.models.rows import MfaRow
from ztna_desktop.ui.models.table_model import Column

CHECK = "\u2713"
_CENTER = Qt.AlignmentFlag.AlignCenter

#: Short headers; the tooltip of each cell names the method in full.
SHORT_NAMES = {
    MfaMethod.AUTHENTICATOR: "Authenticator",
    MfaMethod.WINDOWS_HELLO: "Windows Hello",
    MfaMethod.OATH_HARDWARE: "OATH hardware",
    MfaMethod.OATH_SOFTWARE: "OATH software",
    MfaMethod.FIDO2: "FIDO2 key",
    MfaMethod.VOICE: "Voice call",
    MfaMethod.SMS: "SMS",
}


def search_text(row: MfaRow) -> str:
    return f"{row.user.display_name}\n{row.user.email}\n{row.user.user_principal_name}"


def has(row: MfaRow, method: MfaMethod) -> bool:
    return row.registration is not None and method in row.registration.methods


def _method_column(method: MfaMethod) -> Column[MfaRow]:
    text: Callable[[MfaRow], str] = lambda r: CHECK if has(r, method) else ""  # noqa: E731
    return Column(
        SHORT_NAMES[method],
        text,
        sort_key=lambda r: int(has(r, method)),
        tooltip=lambda r: f"{method.value}: {'registered' if has(r, method) else 'not registered'}",
        width=max(len(SHORT_NAMES[method]) + 1, 6),
        alignment=_CENTER,
    )


def registered_text(row: MfaRow) -> str:
    if row.registration is None:
        return "No"
    return "Yes" if row.registration.is_mfa_registered else "No"


def preferred_text(row: MfaRow) -> str:
    if row.registration is None:
        return preferred_method_label(None)
    return preferred_method_label(row.registration.preferred)


MFA_COLUMNS: tuple[Column[MfaRow], ...] = (
    Column(
        "Guest",
        lambda r: r.user.display_name,
        sort_key=lambda r: r.user.display_name.casefold(),
        tooltip=lambda r: f"{r.user.display_name}\n{r.user.email}",
        width=22,
    ),
    *(_method_column(m) for m in MfaMethod),
    Column(
        "MFA registered",
        registered_text,
        sort_key=lambda r: int(r.registered),
        width=13,
        alignment=_CENTER,
    ),
    Column("Preferred method", preferred_text, tooltip=preferred_text, width=31),
    Column(
        "Home MFA trusted",
        lambda r: "Yes" if r.trusted else "",
        sort_key=lambda r: int(r.trusted),
        tooltip=lambda r: (
            "This tenant accepts MFA done in the guest's home tenant" if r.trusted else ""
        ),
        width=15,
        alignment=_CENTER,
    ),
)
