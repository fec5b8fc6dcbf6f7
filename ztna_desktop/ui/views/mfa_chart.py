"""A horizontal bar chart of MFA coverage, painted with QPainter (QtCharts is not shipped)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOR = QColor("#2b7bd6")
NONE_COLOR = QColor("#c4314b")
TRACK_COLOR = QColor(0, 0, 0, 18)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    alarm: bool = False  # drawn red ("no MFA")


def bar_text(count: int, total: int) -> str:
    """``123 (45%)``; percentages rounded, "<1%" for a few in a big tenant."""
    if total <= 0:
        return str(count)
    share = 100.0 * count / total
    pct = "<1%" if 0 < share < 1 else f"{share:.0f}%"
    return f"{count} ({pct})"


class MfaChart(QWidget):
    """One labelled bar per method plus "No MFA", each with its count and share of guests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mfaChart")
        self._bars: list[Bar] = []
        self._total = 0
        self._title = "Guests per MFA method"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(360)

    def set_bars(self, bars: list[Bar], total: int, title: str = "") -> None:
        self._bars, self._total = list(bars), total
        if title:
            self._title = title
        self.setAccessibleDescription(
            "; ".join(f"{b.label}: {bar_text(b.count, total)}" for b in self._bars)
        )
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        rows = max(len(self._bars), 1) + 1  # + the title
        return QSize(460, rows * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        row_h = self._row_height()
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_color)
        painter.drawText(
            QRectF(0, 0, self.width(), row_h),
            Qt.AlignmentFlag.AlignVCenter,
            f"{self._title} ({self._total} guests)",
        )
        painter.setFont(self.font())
        if not self._bars:
            return
        label_w = max(metrics.horizontalAdvance(b.label) for b in self._bars) + 12
        value_w = metrics.horizontalAdvance("100000 (100%)") + 8
        bar_w = max(self.width() - label_w - value_w, 40)
        for i, bar in enumerate(self._bars):
            y = (i + 1) * row_h
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y, label_w - 8, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                bar.label,
            )
            track = QRectF(label_w, y + 4, bar_w, row_h - 8)
            painter.fillRect(track, TRACK_COLOR)
            share = bar.count / self._total if self._total else 0.0
            filled = QRectF(
                track.x(),
                track.y(),
                max(track.width() * share, 1 if bar.count else 0),
                track.height(),
            )
            painter.fillRect(filled, NONE_COLOR if bar.alarm else BAR_COLOR)
            painter.setPen(NONE_COLOR if bar.alarm and bar.count else text_color)
            painter.drawText(
                QRectF(label_w + bar_w + 8, y, value_w, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                bar_text(bar.count, self._total),
            )
        painter.end()
