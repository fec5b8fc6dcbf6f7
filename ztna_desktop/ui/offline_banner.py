"""The banner across the top of the window while the tenant cannot be reached."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

REASON_CHARS = 60
STYLE = (
    "QFrame#offlineBanner { background: #fff4ce; border-bottom: 1px solid #e0c36a; }"
    "QFrame#offlineBanner QLabel { color: #5c4400; }"
)


def banner_text(since: datetime | None) -> str:
    """ "Offline — showing data from <time>. Read-only." (or that nothing is saved yet)."""
    if since is None:
        return "Offline \u2014 no saved data for this tenant yet."
    stamp = since.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"Offline \u2014 showing data from {stamp}. Read-only."


class OfflineBanner(QFrame):
    """Hidden until ``show_offline``; the Retry button asks for a refresh.

    Signals:
        retry_requested(): the person pressed Retry.
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setStyleSheet(STYLE)
        self.label = QLabel(self)
        self.label.setObjectName("offlineText")
        self.label.setWordWrap(True)
        self.reason_label = QLabel(self)
        self.reason_label.setObjectName("offlineReason")
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.clicked.connect(self.retry_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.retry_button)
        self.hide()

    def show_offline(self, since: datetime | None, reason: str = "") -> None:
        self.label.setText(banner_text(since))
        width = self.fontMetrics().averageCharWidth() * REASON_CHARS
        self.reason_label.setText(
            self.fontMetrics().elidedText(reason, Qt.TextElideMode.ElideRight, width)
        )
        self.reason_label.setToolTip(reason)
        self.show()

    def reason(self) -> str:
        return self.reason_label.toolTip()

    def text(self) -> str:
        return self.label.text()
