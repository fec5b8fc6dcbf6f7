"""Columns of the detail tables: group members, app assignments, guests with access."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ztna_desktop.ui.models.rows import AccessRow, AssignmentRow, MemberRow
from ztna_desktop.ui.models.table_model import Column

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_GUEST = QColor("#1d5fa8")


def member_search_text(row: MemberRow) -> str:
    return f"{row.user.display_name}\n{row.user.email}"


def how_member(row: MemberRow) -> str:
    if not row.via:
        return "Direct"
    return "via " + " \u203a ".join(row.via)


MEMBER_COLUMNS: tuple[Column[MemberRow], ...] = (
    Column(
        "Name",
        lambda r: r.user.display_name,
        sort_key=lambda r: r.user.display_name.casefold(),
        width=16,
        foreground=lambda r: _GUEST if r.user.is_guest else None,
    ),
    Column("Email", lambda r: r.user.email, tooltip=lambda r: r.user.email, width=18),
    Column("Guest", lambda r: "Guest" if r.user.is_guest else "", width=5),
    Column(
        "Membership",
        how_member,
        sort_key=lambda r: f"{len(r.via):03d} {' '.join(r.via).casefold()}",
        tooltip=how_member,
        width=26,
    ),
)

ASSIGNMENT_COLUMNS: tuple[Column[AssignmentRow], ...] = (
    Column("Assigned to", lambda r: r.principal_name, width=24),
    Column("Type", lambda r: r.principal_type, width=8),
    Column("Role", lambda r: r.role, width=14),
    Column(
        "Guests let in",
        lambda r: str(r.guests) if r.principal_type == "Group" else "",
        sort_key=lambda r: r.guests,
        width=11,
        alignment=_RIGHT,
    ),
)

ACCESS_COLUMNS: tuple[Column[AccessRow], ...] = (
    Column(
        "Guest",
        lambda r: r.user.display_name,
        sort_key=lambda r: r.user.display_name.casefold(),
        width=20,
    ),
    Column("Email", lambda r: r.user.email, width=24),
    Column("How", lambda r: r.how, tooltip=lambda r: r.how, width=26),
)


def access_search_text(row: AccessRow) -> str:
    return f"{row.user.display_name}\n{row.user.email}"
