"""The Guests tab's columns and what its search box matches."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from ztna_desktop.core.models import GuestUser
from ztna_desktop.ui.models.rows import GuestRow
from ztna_desktop.ui.models.table_model import Column

_INVITATION_STATES = {"Accepted": "Accepted", "PendingAcceptance": "Pending acceptance"}
NONE = "\u2014"  # em dash: no value
NOT_AVAILABLE = "not available"


def invitation_state(user: GuestUser) -> str:
    """``Accepted`` / ``Pending acceptance`` / an em dash for users who were never invited."""
    state = user.external_user_state
    if not state:
        return NONE
    return _INVITATION_STATES.get(state, state)


def local_date(value: datetime | None) -> str:
    """The date part in the local time zone (ISO order, so it sorts and reads the same)."""
    if value is None:
        return NONE
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.date().isoformat()


def timestamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else 0.0


def user_search_text(user: GuestUser) -> str:
    """What a guest search matches: name, email and UPN (case is folded by the proxy)."""
    return "\n".join((user.display_name, user.email, user.user_principal_name))


def row_search_text(row: GuestRow) -> str:
    return user_search_text(row.user)


#: Kept for callers that search plain users.
search_text = user_search_text


def pending_for(row: GuestRow) -> str:
    days = row.pending_days
    if days is None:
        return ""
    return "1 day" if days == 1 else f"{days} days"


def last_sign_in(row: GuestRow) -> str:
    if not row.sign_ins_known:
        return NONE
    latest = row.last_sign_in
    return "Never" if latest is None else local_date(latest)


def _last_sign_in_tip(row: GuestRow) -> str:
    if not row.sign_ins_known:
        return "Sign-in activity is not available (needs Entra ID P1 and a role that may read it)"
    latest = row.last_sign_in
    return "Never signed in" if latest is None else latest.astimezone().strftime("%Y-%m-%d %H:%M")


def _name_tooltip(row: GuestRow) -> str:
    return f"{row.user.display_name}\n{row.user.user_principal_name}"


_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

GUEST_COLUMNS: tuple[Column[GuestRow], ...] = (
    Column(
        "Name",
        lambda r: r.user.display_name,
        sort_key=lambda r: r.user.display_name.casefold(),
        tooltip=_name_tooltip,
        width=22,
    ),
    Column(
        "Email",
        lambda r: r.user.email,
        sort_key=lambda r: r.user.email.casefold(),
        tooltip=lambda r: r.user.email,
        width=28,
    ),
    Column("Source", lambda r: r.user.source, width=24),
    Column("Invitation state", lambda r: invitation_state(r.user), width=17),
    Column(
        "Invited / created",
        lambda r: local_date(r.user.created),
        sort_key=lambda r: timestamp(r.user.created),
        width=14,
    ),
    Column(
        "Enabled",
        lambda r: "Yes" if r.user.account_enabled else "No",
        sort_key=lambda r: int(r.user.account_enabled),
        width=8,
        alignment=_CENTER,
    ),
    Column(
        "Pending for",
        pending_for,
        sort_key=lambda r: -1 if r.pending_days is None else r.pending_days,
        width=11,
        alignment=_RIGHT,
    ),
    Column(
        "Last sign-in",
        last_sign_in,
        sort_key=lambda r: timestamp(r.last_sign_in),
        tooltip=_last_sign_in_tip,
        width=13,
    ),
)
