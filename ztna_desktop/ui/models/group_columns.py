"""The Groups tab's columns."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ztna_desktop.ui.models.rows import GroupRow
from ztna_desktop.ui.models.table_model import Column

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def search_text(row: GroupRow) -> str:
    return f"{row.group.display_name}\n{row.group.description or ''}"


def _name_tip(row: GroupRow) -> str:
    tip = row.group.display_name
    if row.group.description:
        tip += f"\n{row.group.description}"
    if row.owned:
        tip += "\nYou own this group"
    return tip


GROUP_COLUMNS: tuple[Column[GroupRow], ...] = (
    Column(
        "Name",
        lambda r: r.group.display_name,
        sort_key=lambda r: r.group.display_name.casefold(),
        tooltip=_name_tip,
        width=26,
    ),
    Column("Type", lambda r: r.group.kind, tooltip=lambda r: r.group.kind, width=14),
    Column(
        "Members", lambda r: str(r.members), sort_key=lambda r: r.members, width=9, alignment=_RIGHT
    ),
    Column(
        "Guests",
        lambda r: str(r.guests),
        sort_key=lambda r: r.guests,
        width=8,
        alignment=_RIGHT,
        tooltip=lambda r: "Guests directly in the group or in nested groups",
    ),
    Column("Dynamic", lambda r: "Yes" if r.group.is_dynamic else "", width=8, alignment=_CENTER),
    Column("Owned by me", lambda r: "Yes" if r.owned else "", width=11, alignment=_CENTER),
)
