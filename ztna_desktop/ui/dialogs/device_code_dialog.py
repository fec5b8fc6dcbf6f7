"""Show a device code, wait (in a worker) for the person to enter it elsewhere, allow Cancel."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.ui.workers import Job, JobRunner

#: Blocks until the flow is approved (returns the account) or ``cancel`` is set.
Finish = Callable[[threading.Event], Any]


class DeviceCodeDialog(QDialog):
    """Non-blocking dialog (open() it) that completes a device-code sign-in.

    Signals:
        signed_in(object): the account, once the person has entered the code.
        sign_in_failed(object): the exception (expired, declined, network ...).
        cancelled(): the person pressed Cancel or closed the dialog.
    """

    signed_in = Signal(object)
    sign_in_failed = Signal(object)
    cancelled = Signal()

    def __init__(
        self, flow: Any, finish: Finish, runner: JobRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in with a device code")
        self._finish, self._runner = finish, runner
        self._job: Job | None = None
        self._done = False
        self.user_code = str(flow.user_code)
        self.verification_uri = str(flow.verification_uri)

        intro = QLabel("On any device, open this page and enter the code below:", self)
        intro.setWordWrap(True)
        self.link_label = QLabel(
            f'<a href="{html.escape(self.verification_uri, quote=True)}">'
            f"{html.escape(self.verification_uri)}</a>",
            self,
        )
        self.link_label.setTextFormat(Qt.TextFormat.RichText)
        self.link_label.setOpenExternalLinks(True)
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.code_label = QLabel(self.user_code, self)
        self.code_label.setObjectName("deviceCode")
        font = QFont(self.code_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamily("monospace")
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton("Copy code", self)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_label, 1)
        code_row.addWidget(self.copy_button)

        self.status_label = QLabel("Waiting for you to finish signing in\u2026", self)
        busy = QProgressBar(self)
        busy.setRange(0, 0)
        busy.setTextVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.link_label)
        layout.addLayout(code_row)
        layout.addWidget(self.status_label)
        layout.addWidget(busy)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def start(self) -> None:
        """Show the dialog (window-modal, non-blocking) and start waiting in a worker."""
        finish = self._finish  # the task runs on the worker thread: capture, don't touch self
        self._job = self._runner.start(
            "device-code-sign-in",
            lambda cancel, _progress: finish(cancel),
            succeeded=self._on_job_succeeded,
            failed=self._on_job_failed,
        )
        self.open()

    def reject(self) -> None:
        """Cancel: stop waiting (the worker notices the event) and close."""
        if not self._done:
            self._done = True
            if self._job is not None:
                self._job.cancel()
            self.cancelled.emit()
        super().reject()

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.user_code)
        self.copy_button.setText("Copied")

    def _on_job_succeeded(self, account: object) -> None:
        if self._done:
            return
        self._done = True
        self.signed_in.emit(account)
        self.accept()

    def _on_job_failed(self, exc: BaseException) -> None:
        if self._done:
            return
        self._done = True
        self.sign_in_failed.emit(exc)
        self.accept()
