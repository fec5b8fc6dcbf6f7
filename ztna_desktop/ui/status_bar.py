"""The status bar: account, tenant and connection state, plus passing messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar, QWidget

SIGNED_OUT = "Signed out"
SIGNING_IN = "Signing in\u2026"
LOADING = "Loading\u2026"
CONNECTED = "Connected"
MAX_STATE_CHARS = 60


def offline(reason: str) -> str:
    return f"Offline: {reason}"


class StatusBar(QStatusBar):
    """Three permanent fields on the right; ``showMessage`` for passing news on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connection = ""
        self.account_label = self._field("statusAccount", "Account")
        self.tenant_label = self._field("statusTenant", "Tenant")
        self.connection_label = self._field("statusConnection", "Connection state")
        self.set_account("")
        self.set_tenant("")
        self.set_connection(SIGNED_OUT)

    def _field(self, name: str, tip: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setToolTip(tip)
        label.setFrameShape(QFrame.Shape.NoFrame)
        label.setContentsMargins(8, 0, 8, 0)
        self.addPermanentWidget(label)
        return label

    def set_account(self, username: str) -> None:
        self.account_label.setText(username or "No account")

    def set_tenant(self, name: str) -> None:
        self.tenant_label.setText(name)
        self.tenant_label.setVisible(bool(name))

    def set_connection(self, state: str) -> None:
        # A long "Offline: ..." reason must not push the other fields off screen:
        # show it elided, the whole text in the tooltip.
        self._connection = state
        width = self.fontMetrics().averageCharWidth() * MAX_STATE_CHARS
        shown = self.fontMetrics().elidedText(state, Qt.TextElideMode.ElideRight, width)
        self.connection_label.setText(shown)
        self.connection_label.setToolTip(state)

    def connection(self) -> str:
        """The whole state text (the label may show it elided)."""
        return self._connection
