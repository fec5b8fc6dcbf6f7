"""Small pieces the tab views share: a heading label, a notice label, unknown users."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ztna_desktop.core.directory import Directory
from ztna_desktop.core.models import GuestUser

NOTICE_STYLE = (
    "QLabel { background: #eef3fb; border: 1px solid #c5d5ee; border-radius: 4px; padding: 6px; }"
)


def heading(text: str, parent: QWidget | None = None, *, size: float = 1.15) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * size)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def notice(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A boxed explanation (why something is missing); hidden while empty."""
    label = QLabel(text, parent)
    label.setObjectName("notice")
    label.setWordWrap(True)
    label.setStyleSheet(NOTICE_STYLE)
    label.setVisible(bool(text))
    return label


def set_notice(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def user_or_placeholder(directory: Directory, user_id: str) -> GuestUser:
    """The user, or a stand-in named by id (a member the read did not include)."""
    user = directory.users.get(user_id)
    if user is not None:
        return user
    return GuestUser(user_id, user_id, None, user_id, "Member", True)


def group_name(directory: Directory, group_id: str) -> str:
    group = directory.groups.get(group_id)
    return group.display_name if group is not None else group_id


def count_text(shown: int, total: int, noun: str) -> str:
    """``12 groups`` or ``3 of 12 shown``."""
    if shown == total:
        return f"{total} {noun}" if total != 1 else f"1 {noun.rstrip('s')}"
    return f"{shown} of {total} shown"
