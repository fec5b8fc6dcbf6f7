"""The main window: tabs, actions, offline banner and status bar; owns the workers."""

from __future__ import annotations

import html
import logging
import sys
from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from ztna_desktop import __version__
from ztna_desktop.core.errors import (
    Cancelled,
    InteractionRequired,
    NetworkError,
    Throttled,
    ZtnaError,
)
from ztna_desktop.ui import export, messages
from ztna_desktop.ui import status_bar as status
from ztna_desktop.ui.actions import Actions
from ztna_desktop.ui.offline_banner import OfflineBanner
from ztna_desktop.ui.refresh import RefreshController
from ztna_desktop.ui.services import Services
from ztna_desktop.ui.settings import Settings
from ztna_desktop.ui.sign_in import SignInController
from ztna_desktop.ui.tabs import Tabs
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.workers import JobRunner

log = logging.getLogger(__name__)

APP_TITLE = "ZTNA Desktop"
TICK_MS = 30_000  # re-word "Updated 3 min ago"


class MainWindow(QMainWindow):
    """The application window.

    Signals:
        signed_in(object): an account is signed in (silently or interactively).
        signed_out(): the account was removed.
        guests_loaded(int): a directory read finished; the Guests tab shows this many guests.
        load_failed(object): the directory read failed (the exception; Cancelled too).
        data_shown(object): the views now show this ViewData (snapshot, directory or activity).
        refresh_finished(): a refresh is over, activity included (whatever the outcome).
        exported(object): a CSV export was written (its path).
    """

    signed_in = Signal(object)
    signed_out = Signal()
    guests_loaded = Signal(int)
    load_failed = Signal(object)
    data_shown = Signal(object)
    refresh_finished = Signal()
    exported = Signal(object)

    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        title_suffix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._settings = services, settings
        self._title = f"{APP_TITLE} {title_suffix}".strip()
        self.setWindowTitle(self._title)
        self.setObjectName("mainWindow")
        self.resize(1180, 720)

        self.runner = JobRunner(self)
        self._account: object | None = None
        self.refresher = RefreshController(services, self.runner, parent=self)
        self.exporter = export.Exporter(self.runner, self)
        self.exporter.exported.connect(self._on_exporter_exported)

        self.tabs = Tabs(self, stale_days=settings.pref_int("stale_after_days"))
        self.guests_view = self.tabs.guests
        self.banner = OfflineBanner(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.window_actions = Actions(self)
        self.toolbar = self.window_actions.install(self)
        self.status = status.StatusBar(self)
        self.setStatusBar(self.status)
        self.status.set_tenant(services.tenant_hint)

        self.sign_in_controller: SignInController | None = None
        if services.auth is not None:
            self.sign_in_controller = SignInController(
                services.auth,
                services.scopes,
                self.runner,
                self,
                method=services.sign_in_method,
                tenant=services.tenant_hint,
            )
            c = self.sign_in_controller
            c.signed_in.connect(self._on_sign_in_signed_in)
            c.signed_out.connect(self._on_sign_in_signed_out)
            c.failed.connect(self._on_sign_in_failed)
            c.cancelled.connect(self._on_sign_in_cancelled)
            c.progressed.connect(self._on_sign_in_progressed)

        r = self.refresher
        r.data_ready.connect(self._on_refresher_data_ready)
        r.directory_failed.connect(self._on_refresher_directory_failed)
        r.activity_failed.connect(self._on_refresher_activity_failed)
        r.progressed.connect(self._on_refresher_progressed)

        a = self.window_actions
        a.sign_in.triggered.connect(self.sign_in)
        a.sign_out.triggered.connect(self.sign_out)
        a.refresh.triggered.connect(self.refresh)
        a.cancel.triggered.connect(self.cancel)
        a.export.triggered.connect(self.export_current_view)
        a.find.triggered.connect(self._on_find_triggered)
        a.quit.triggered.connect(self.close)
        a.about.triggered.connect(self.show_about)
        self.guests_view.cancel_requested.connect(self.cancel)
        self.guests_view.sign_in_requested.connect(self.sign_in)
        self.guests_view.stale_days_changed.connect(self._on_guests_stale_days_changed)
        self.banner.retry_requested.connect(self._on_banner_retry_requested)
        self.tabs.currentChanged.connect(self._update_actions)

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        self._ticker.start()

        self.restore_state()
        self._update_actions()
        if services.notice:
            self.status.showMessage(services.notice)

    # --- public API (bound to the actions) -------------------------------------
    def start(self) -> None:
        """First thing after show(): show the local snapshot, then sign in silently."""
        self.refresher.load_snapshot()
        if self.sign_in_controller is None:
            self._set_connection(status.SIGNED_OUT)
            return
        self.sign_in_controller.start(interactive=self._services.auto_sign_in)
        self._update_actions()

    def sign_in(self) -> None:
        if self.sign_in_controller is None or self.sign_in_controller.is_busy():
            return
        self.sign_in_controller.start(interactive=True)
        self._update_actions()

    def sign_out(self) -> None:
        if self.sign_in_controller is None:
            return
        self.cancel_load()
        self.sign_in_controller.sign_out()
        self._account = None
        self.refresher.clear()
        self.tabs.clear()
        self.guests_view.set_signed_in(False)
        self.banner.hide()
        self.status.set_account("")
        self._set_connection(status.SIGNED_OUT)
        self._update_actions()

    def refresh(self) -> None:
        """Read the directory again (ignored while a read runs or when signed out)."""
        if self._account is None or self.is_loading():
            return
        if not self.refresher.refresh():
            return
        self.guests_view.set_loading(True)
        self._set_connection(status.LOADING)
        self._update_actions()

    def cancel(self) -> None:
        """Esc / Cancel: stop whatever runs (a load, or a sign-in)."""
        if self.is_loading():
            self.cancel_load()
        elif self.sign_in_controller is not None and self.sign_in_controller.is_busy():
            self.sign_in_controller.cancel()

    def cancel_load(self) -> None:
        if not self.refresher.cancel():
            return
        self.guests_view.set_loading(False)
        self._set_connection(status.CONNECTED if self._account else status.SIGNED_OUT)
        self.status.showMessage("Loading cancelled", 5000)
        self.load_failed.emit(Cancelled("Loading cancelled."))
        self._update_actions()

    def is_loading(self) -> bool:
        return self.refresher.is_loading()

    def export_current_view(self) -> None:
        """File > Export current view: the shown rows of the current table, as CSV."""
        if not self.exporter.export(self.tabs.export_table()):
            self.status.showMessage("Nothing exported", 5000)

    def show_about(self) -> None:
        s = self._services
        rows = {
            "Version": __version__,
            "Settings from": s.config_source,
            "Token cache": s.cache_description or "\u2014",
            **s.extra_about,
        }
        table = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in rows.items()
        )
        messages.show_about(
            self,
            f"About {APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>Entra B2B guests and their Sophos ZTNA access.</p>"
            f"<table>{table}</table>",
        )

    # --- remembered state ----------------------------------------------------
    def restore_state(self) -> None:
        s = self._settings
        if (geometry := s.state_bytes("geometry")) is not None:
            self.restoreGeometry(geometry)
        if (window_state := s.state_bytes("window_state")) is not None:
            self.restoreState(window_state)
        if (header := s.state_bytes("guests_header")) is not None:
            self.guests_view.restore_header_state(header)
        tab = s.state_int("last_tab", 0)
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def save_state(self) -> None:
        s = self._settings
        s.set_state_bytes("geometry", self.saveGeometry())
        s.set_state_bytes("window_state", self.saveState())
        s.set_state_bytes("guests_header", self.guests_view.header_state())
        s.set_state_int("last_tab", self.tabs.currentIndex())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        self.save_state()
        self.runner.shutdown()
        super().closeEvent(event)

    # --- sign-in outcomes -------------------------------------------------------
    def _on_sign_in_progressed(self, text: str) -> None:
        self._set_connection(status.SIGNING_IN)
        self.status.showMessage(text)

    def _on_sign_in_signed_in(self, account: object) -> None:
        self._account = account
        self.status.set_account(str(getattr(account, "username", "") or "Signed in"))
        self.status.clearMessage()
        self.guests_view.set_signed_in(True)
        self._set_connection(status.CONNECTED)
        self.signed_in.emit(account)
        self._update_actions()
        self.refresh()

    def _on_sign_in_signed_out(self) -> None:
        self.status.showMessage("Signed out", 5000)
        self.signed_out.emit()

    def _on_sign_in_cancelled(self) -> None:
        self._set_connection(status.SIGNED_OUT)
        self.status.showMessage("Sign-in cancelled", 5000)
        self._update_actions()

    def _on_sign_in_failed(self, exc: BaseException, user_initiated: bool) -> None:
        self._update_actions()
        if not isinstance(exc, ZtnaError):
            self._set_connection(status.SIGNED_OUT)
            _report_bug(exc)
            return
        if isinstance(exc, NetworkError):
            self._go_offline(exc)
        else:
            self._set_connection(status.SIGNED_OUT)
        if isinstance(exc, InteractionRequired) and not user_initiated:
            self.status.showMessage("Sign in to see your tenant's guests")
            return
        if user_initiated:
            messages.show_error(self, "Sign-in failed", exc)
        else:
            self.status.showMessage(f"Could not sign in: {messages.error_text(exc)}")

    # --- loading outcomes -----------------------------------------------------
    def _on_refresher_progressed(self, done: int, total: int | None, text: str) -> None:
        self.guests_view.set_progress(done, total, text)

    def _on_refresher_data_ready(self, data: ViewData, kind: str) -> None:
        more = kind == "directory" and self.refresher.activity_running()
        self.tabs.apply_data(data, lambda: self._on_data_applied(data, kind, more))

    def _on_data_applied(self, data: ViewData, kind: str, more: bool) -> None:
        """The tabs show ``data``; ``more``: an activity read was running when it arrived."""
        self.data_shown.emit(data)
        guests = len(data.guests.rows)
        if kind == "snapshot":
            self.status.showMessage(f"Showing the saved copy: {guests} guests", 5000)
            if not self.banner.isHidden():  # offline before the copy was read: say from when
                self.banner.show_offline(data.fetched_at.get("users"), self.banner.reason())
            return
        if kind == "activity":
            self.status.showMessage("MFA and sign-in activity updated", 5000)
            self.refresh_finished.emit()
            return
        self.guests_view.set_loading(False)
        self.banner.hide()
        if self.refresher.organization is not None:
            self.status.set_tenant(self.refresher.organization.display_name)
        self._set_connection(status.CONNECTED)
        self.status.showMessage(
            f"Loaded {guests} guests" + ("; reading MFA and sign-ins\u2026" if more else ""), 5000
        )
        self._update_actions()
        self.guests_loaded.emit(guests)
        if not more:
            self.refresh_finished.emit()

    def _on_refresher_activity_failed(self, exc: BaseException) -> None:
        self.tabs.when_applied(lambda: self._on_activity_failed(exc))

    def _on_activity_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            self.status.showMessage(
                f"MFA and sign-ins could not be read: {_first_line(exc)}", 10000
            )
            if not isinstance(exc, ZtnaError):
                _report_bug(exc)
        self.refresh_finished.emit()

    def _on_refresher_directory_failed(self, exc: BaseException) -> None:
        self.guests_view.set_loading(False)
        self.load_failed.emit(exc)
        if isinstance(exc, Cancelled):
            self._set_connection(status.CONNECTED)
            self.status.showMessage("Loading cancelled", 5000)
        elif isinstance(exc, InteractionRequired):
            self._account = None
            self.guests_view.set_signed_in(False)
            self.status.set_account("")
            self._set_connection(status.SIGNED_OUT)
            messages.show_error(self, "Please sign in again", exc)
        elif isinstance(exc, NetworkError):
            self._go_offline(exc)
        elif isinstance(exc, Throttled):
            self._set_connection(status.offline(_first_line(exc)))
            messages.show_error(self, "Could not load the guests", exc)
        elif isinstance(exc, ZtnaError):
            self._set_connection(status.CONNECTED)
            self.status.showMessage("Loading the guests failed", 10000)
            messages.show_error(self, "Could not load the guests", exc)
        else:
            self._set_connection(status.CONNECTED)
            _report_bug(exc)
        self._update_actions()
        self.refresh_finished.emit()

    def _on_exporter_exported(self, path: object, count: int) -> None:
        self.status.showMessage(f"Exported {count} rows to {path}", 10000)
        self.exported.emit(path)

    # --- helpers ----------------------------------------------------------------
    def _go_offline(self, exc: BaseException) -> None:
        """The tenant cannot be reached: say so across the top; the views stay readable."""
        data = self.refresher.data
        since = data.fetched_at.get("users") if data is not None else None
        reason = _first_line(exc)
        self.banner.show_offline(since, reason)
        self._set_connection(status.offline(reason))

    def _on_banner_retry_requested(self) -> None:
        if self._account is None:
            self.sign_in() if self._services.auto_sign_in else self.start_silent()
        else:
            self.refresh()

    def start_silent(self) -> None:
        if self.sign_in_controller is not None and not self.sign_in_controller.is_busy():
            self.sign_in_controller.start(interactive=False)
            self._update_actions()

    def _on_find_triggered(self) -> None:
        self.tabs.focus_search()

    def _on_guests_stale_days_changed(self, days: int) -> None:
        self._settings.set_pref("stale_after_days", str(days))

    def _on_ticker_timeout(self) -> None:
        self.tabs.tick(datetime.now(UTC))

    def _set_connection(self, state: str) -> None:
        self.status.set_connection(state)

    def _update_actions(self) -> None:
        has_auth = self.sign_in_controller is not None
        busy = has_auth and self.sign_in_controller.is_busy()  # type: ignore[union-attr]
        signed_in = self._account is not None
        self.window_actions.sign_in.setEnabled(has_auth and not busy and not signed_in)
        self.window_actions.sign_out.setEnabled(has_auth and signed_in)
        self.window_actions.refresh.setEnabled(signed_in and not self.is_loading())
        self.window_actions.cancel.setEnabled(self.is_loading() or bool(busy))
        self.window_actions.export.setEnabled(self.tabs.export_table() is not None)
        self.guests_view.set_can_sign_in(has_auth and not busy)


def _first_line(exc: BaseException) -> str:
    return messages.error_text(exc).splitlines()[0]


def _report_bug(exc: BaseException) -> None:
    """Hand a bug from a worker to the crash handler (sys.excepthook)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
