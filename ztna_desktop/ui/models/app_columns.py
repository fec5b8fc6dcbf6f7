"""The App access tab's columns; the ZTNA gateway app is bold with a key icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ztna_desktop import paths
from ztna_desktop.ui.models.rows import AppRow
from ztna_desktop.ui.models.table_model import Column

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GATEWAY_NOTE = "the door to Sophos ZTNA"


def search_text(row: AppRow) -> str:
    return f"{row.app.display_name}\n{row.app.app_id}"


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


@cache
def gateway_icon() -> QIcon:
    """A small green shield: drawn here, so no font or file is needed."""
    path = paths.resource_path("icons", "ztna-gateway.svg")
    if path.is_file():
        return QIcon(str(path))
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shield = QPainterPath()
    shield.moveTo(16, 2)
    shield.lineTo(29, 7)
    shield.cubicTo(29, 19, 24, 26, 16, 30)
    shield.cubicTo(8, 26, 3, 19, 3, 7)
    shield.closeSubpath()
    painter.fillPath(shield, QColor("#107c10"))
    painter.setPen(QPen(QColor("white"), 3.5))
    painter.drawPolyline([QPointF(10, 16), QPointF(14.5, 21), QPointF(22, 11)])
    painter.end()
    return QIcon(pixmap)


def _name_tip(row: AppRow) -> str:
    tip = f"{row.app.display_name}\nApplication id {row.app.app_id}"
    if row.app.is_ztna_gateway:
        tip += "\nThe Sophos ZTNA gateway's app registration: who is assigned here can reach ZTNA."
    return tip


APP_COLUMNS: tuple[Column[AppRow], ...] = (
    Column(
        "Application",
        lambda r: r.app.display_name,
        sort_key=lambda r: r.app.display_name.casefold(),
        tooltip=_name_tip,
        width=30,
        font=lambda r: _bold() if r.app.is_ztna_gateway else None,
        icon=lambda r: gateway_icon() if r.app.is_ztna_gateway else None,
    ),
    Column(
        "Users",
        lambda r: str(r.users),
        sort_key=lambda r: r.users,
        tooltip=lambda r: f"{r.users} users assigned directly",
        width=7,
        alignment=_RIGHT,
    ),
    Column(
        "Groups",
        lambda r: str(r.groups),
        sort_key=lambda r: r.groups,
        tooltip=lambda r: f"{r.groups} groups assigned (their direct members get in)",
        width=7,
        alignment=_RIGHT,
    ),
    Column(
        "Guests with access",
        lambda r: str(r.guests),
        sort_key=lambda r: r.guests,
        width=16,
        alignment=_RIGHT,
    ),
)
