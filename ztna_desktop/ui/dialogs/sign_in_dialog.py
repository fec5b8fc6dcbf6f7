"""Ask how to sign in: in the browser (default) or with a device code."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

BROWSER = "browser"
DEVICE_CODE = "device"


class SignInDialog(QDialog):
    """Two ways to sign in; ``choice`` holds the one picked (None when cancelled)."""

    def __init__(self, tenant: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in")
        self.choice: str | None = None
        where = f" to <b>{tenant}</b>" if tenant else ""
        text = QLabel(
            f"Sign in{where} with an account that may read the directory's users.<br><br>"
            "Your browser opens Microsoft's sign-in page. If this computer has no browser, "
            "use a device code and sign in on another device.",
            self,
        )
        text.setWordWrap(True)
        self.browser_button = QPushButton("Sign in with browser", self)
        self.browser_button.setDefault(True)
        self.device_button = QPushButton("Use a device code instead", self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.browser_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.device_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.browser_button.clicked.connect(self._on_browser_button_clicked)
        self.device_button.clicked.connect(self._on_device_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _on_browser_button_clicked(self) -> None:
        self.choice = BROWSER
        self.accept()

    def _on_device_button_clicked(self) -> None:
        self.choice = DEVICE_CODE
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, tenant: str = "") -> str | None:
        """Run the dialog modally; tests patch this classmethod."""
        dialog = cls(tenant, parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()
