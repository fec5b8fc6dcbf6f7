"""The sign-in flow: silent first, then browser or device code, every call in a worker."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ztna_desktop.core.errors import Cancelled, InteractionRequired
from ztna_desktop.core.protocols import Progress
from ztna_desktop.ui.dialogs.device_code_dialog import DeviceCodeDialog
from ztna_desktop.ui.dialogs.sign_in_dialog import BROWSER, DEVICE_CODE, SignInDialog
from ztna_desktop.ui.services import Authenticator
from ztna_desktop.ui.workers import Job, JobRunner

log = logging.getLogger(__name__)

INTERACTIVE_TIMEOUT_S = 180


class SignInController(QObject):
    """Drives one sign-in at a time.

    Signals:
        signed_in(object): the account.
        signed_out(): the account was removed.
        failed(object, bool): the exception, and whether the person asked for this
            sign-in (False for the quiet check at start-up).
        cancelled(): the person gave up (chooser closed, Cancel, Esc).
        progressed(str): what is happening now, for the status bar.
    """

    signed_in = Signal(object)
    signed_out = Signal()
    failed = Signal(object, bool)
    cancelled = Signal()
    progressed = Signal(str)

    def __init__(
        self,
        auth: Authenticator,
        scopes: Sequence[str],
        runner: JobRunner,
        parent_widget: QWidget,
        *,
        method: str | None = None,
        tenant: str = "",
    ) -> None:
        super().__init__(parent_widget)
        self._auth, self._scopes, self._runner = auth, list(scopes), runner
        self._widget, self._method, self._tenant = parent_widget, method, tenant
        self._job: Job | None = None
        self._dialog: DeviceCodeDialog | None = None
        self._interactive = False
        self._busy = False

    def is_busy(self) -> bool:
        return self._busy

    def start(self, *, interactive: bool = True) -> None:
        """Sign in silently if the cache allows; else (if ``interactive``) ask how."""
        if self._busy:
            return
        self._busy, self._interactive = True, interactive
        self.progressed.emit("Signing in\u2026")
        auth, scopes = self._auth, self._scopes
        self._job = self._runner.start(
            "silent-sign-in",
            lambda _cancel, _progress: _silent(auth, scopes),
            succeeded=self._on_signed_in,
            failed=self._on_silent_failed,
        )

    def cancel(self) -> None:
        """Give up the running sign-in (a browser sign-in is left to time out unseen)."""
        if not self._busy:
            return
        if self._dialog is not None:
            self._dialog.reject()  # cancels its job and emits cancelled -> _on_cancelled
            return
        if self._job is not None:
            self._job.cancel()
        self._on_cancelled()

    def sign_out(self) -> None:
        """Remove the account from the token cache (in a worker: keyrings may be slow)."""
        self.cancel()
        auth = self._auth

        def task(_cancel: threading.Event, _progress: Progress) -> None:
            auth.sign_out()

        self._runner.start(
            "sign-out", task, succeeded=self._on_signed_out, failed=self._on_sign_out_failed
        )

    # --- steps ---------------------------------------------------------------
    def _on_silent_failed(self, exc: BaseException) -> None:
        if isinstance(exc, InteractionRequired) and self._interactive:
            self._choose_method()
        else:
            self._fail(exc)

    def _choose_method(self) -> None:
        method = self._method or SignInDialog.ask(self._widget, self._tenant)
        if method == BROWSER:
            self._start_browser()
        elif method == DEVICE_CODE:
            self._start_device_code()
        else:
            self._on_cancelled()

    def _start_browser(self) -> None:
        self.progressed.emit("Waiting for the browser sign-in\u2026 (Esc cancels)")
        auth, scopes = self._auth, self._scopes
        self._job = self._runner.start(
            "browser-sign-in",
            lambda _cancel, _progress: auth.sign_in_interactive(
                scopes, timeout=INTERACTIVE_TIMEOUT_S
            ),
            succeeded=self._on_signed_in,
            failed=self._on_interactive_failed,
            detached=True,
        )

    def _start_device_code(self) -> None:
        self.progressed.emit("Asking for a device code\u2026")
        auth, scopes = self._auth, self._scopes
        self._job = self._runner.start(
            "device-code-start",
            lambda _cancel, _progress: auth.start_device_flow(scopes),
            succeeded=self._on_device_flow_started,
            failed=self._on_interactive_failed,
        )

    def _on_device_flow_started(self, flow: Any) -> None:
        auth = self._auth
        self.progressed.emit(f"Enter the code {flow.user_code} at {flow.verification_uri}")
        self._dialog = DeviceCodeDialog(
            flow, lambda cancel: auth.finish_device_flow(flow, cancel), self._runner, self._widget
        )
        self._dialog.signed_in.connect(self._on_signed_in)
        self._dialog.sign_in_failed.connect(self._on_interactive_failed)
        self._dialog.cancelled.connect(self._on_cancelled)
        self._dialog.start()

    # --- outcomes ------------------------------------------------------------
    def _finish_step(self) -> None:
        self._busy = False
        self._job = None
        if self._dialog is not None:
            self._dialog.deleteLater()
            self._dialog = None

    def _on_signed_in(self, account: object) -> None:
        self._finish_step()
        log.info("signed in")
        self.signed_in.emit(account)

    def _on_interactive_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._on_cancelled()
        else:
            self._fail(exc, user_initiated=True)

    def _fail(self, exc: BaseException, *, user_initiated: bool | None = None) -> None:
        self._finish_step()
        self.failed.emit(exc, self._interactive if user_initiated is None else user_initiated)

    def _on_cancelled(self) -> None:
        if not self._busy:
            return
        self._finish_step()
        self.cancelled.emit()

    def _on_signed_out(self, _result: object) -> None:
        self.signed_out.emit()

    def _on_sign_out_failed(self, exc: BaseException) -> None:
        self.failed.emit(exc, True)


def _silent(auth: Authenticator, scopes: Sequence[str]) -> Any:
    """The account, if the cache holds one with a usable token (refreshing it if needed)."""
    account = auth.account
    if account is None:
        raise InteractionRequired("Not signed in.")
    auth.access_token(scopes)
    return account
