"""The Guests tab's columns and what its search box matches."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from ztna_desktop.core.models import GuestUser
from ztna_desktop.ui.models.table_model import Column

_INVITATION_STATES = {"Accepted": "Accepted", "PendingAcceptance": "Pending acceptance"}
_NONE = "\u2014"  # em dash: no value


def invitation_state(user: GuestUser) -> str:
    """``Accepted`` / ``Pending acceptance`` / an em dash for users who were never invited."""
    state = user.external_user_state
    if not state:
        return _NONE
    return _INVITATION_STATES.get(state, state)


def local_date(value: datetime | None) -> str:
    """The date part in the local time zone (ISO order, so it sorts and reads the same)."""
    if value is None:
        return _NONE
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.date().isoformat()


def _timestamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else 0.0


def search_text(user: GuestUser) -> str:
    """What the search box matches: name, email and UPN (case is folded by the proxy)."""
    return "\n".join((user.display_name, user.email, user.user_principal_name))


def _name_tooltip(user: GuestUser) -> str:
    return f"{user.display_name}\n{user.user_principal_name}"


_CENTER = Qt.AlignmentFlag.AlignCenter

GUEST_COLUMNS: tuple[Column[GuestUser], ...] = (
    Column(
        "Name",
        lambda u: u.display_name,
        sort_key=lambda u: u.display_name.casefold(),
        tooltip=_name_tooltip,
        width=22,
    ),
    Column(
        "Email",
        lambda u: u.email,
        sort_key=lambda u: u.email.casefold(),
        tooltip=lambda u: u.email,
        width=30,
    ),
    Column("Source", lambda u: u.source, width=30),
    Column("Invitation state", invitation_state, width=19),
    Column(
        "Invited / created",
        lambda u: local_date(u.created),
        sort_key=lambda u: _timestamp(u.created),
        width=16,
    ),
    Column(
        "Enabled",
        lambda u: "Yes" if u.account_enabled else "No",
        sort_key=lambda u: int(u.account_enabled),
        width=9,
        alignment=_CENTER,
    ),
)
