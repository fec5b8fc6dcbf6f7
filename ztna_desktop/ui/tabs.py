"""The window's tabs: builds the five views and hands each its part of a ViewData."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTabWidget, QWidget

from ztna_desktop.ui.data_table import DataTable
from ztna_desktop.ui.explain import sign_ins_unavailable
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.views.access_view import AccessView
from ztna_desktop.ui.views.apps_view import AppsView
from ztna_desktop.ui.views.groups_view import GroupsView
from ztna_desktop.ui.views.guests_view import GuestsView
from ztna_desktop.ui.views.mfa_view import MfaView

#: Which snapshot part's age each tab shows.
FRESHNESS_PART = {
    "guests": "users",
    "groups": "groups",
    "apps": "apps",
    "mfa": "mfa",
    "access": "users",
}


class Tabs(QTabWidget):
    """Guests, Groups, App access, MFA and Access check."""

    def __init__(self, parent: QWidget | None = None, *, stale_days: int = 90) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.guests = GuestsView(self, stale_days=stale_days)
        self.groups = GroupsView(self)
        self.apps = AppsView(self)
        self.mfa = MfaView(self)
        self.access = AccessView(self)
        self.views: dict[str, QWidget] = {
            "guests": self.guests,
            "groups": self.groups,
            "apps": self.apps,
            "mfa": self.mfa,
            "access": self.access,
        }
        for name, title in (
            ("guests", "Guests"),
            ("groups", "Groups"),
            ("apps", "App access"),
            ("mfa", "MFA"),
            ("access", "Access check"),
        ):
            self.views[name].setObjectName(f"{name}View")
            self.addTab(self.views[name], title)
        self.data: ViewData | None = None
        self._pending: deque[Callable[[], None]] = deque()
        self._done: Callable[[], None] | None = None
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._on_step_timer_timeout)

    def set_data(self, data: ViewData) -> None:
        """Swap every view's rows now, in one go (``apply_data`` spreads the work)."""
        self._flush()
        for step in self._steps(data):
            step()

    def apply_data(self, data: ViewData, done: Callable[[], None] | None = None) -> None:
        """Like ``set_data``, but one view per event-loop turn; then ``done()``.

        Each view's swap costs 5-20 ms on 100k guests: all at once they stalled the
        GUI thread for 40+ ms. The Guests tab is swapped at once, the others follow,
        one per turn. A new ``apply_data``/``set_data`` first finishes the pending
        one; ``clear()`` drops it (and its ``done``).
        """
        self._flush()
        steps = deque(self._steps(data))
        steps.popleft()()
        self._pending, self._done = steps, done
        self._step_timer.start()

    def applying(self) -> bool:
        """Views still wait for their part of the last ``apply_data``."""
        return bool(self._pending) or self._done is not None

    def when_applied(self, callback: Callable[[], None]) -> None:
        """``callback()`` now, or once the pending ``apply_data`` is done (after its ``done``)."""
        if not self.applying():
            callback()
            return
        done = self._done

        def both() -> None:
            if done is not None:
                done()
            callback()

        self._done = both

    def _steps(self, data: ViewData) -> list[Callable[[], None]]:
        return [
            lambda: self._set_guests(data),
            lambda: self.groups.set_data(data),
            lambda: self.apps.set_data(data),
            lambda: self.mfa.set_data(data),
            lambda: self.access.set_data(data),
            lambda: self._set_freshness(data),
        ]

    def _set_guests(self, data: ViewData) -> None:
        self.guests.set_reference_time(data.now)
        self.guests.set_rows(data.guests)
        sign_ins_known = data.directory.sign_ins is not None
        self.guests.set_sign_ins_available(
            sign_ins_known,
            "" if sign_ins_known else sign_ins_unavailable(data.errors.get("sign_ins")),
        )

    def _set_freshness(self, data: ViewData) -> None:
        for name, view in self.views.items():
            label = view.freshness  # type: ignore[attr-defined]
            label.set_fetched(data.fetched_at.get(FRESHNESS_PART[name]), from_cache=data.from_cache)
        self.tick(data.now)
        self.data = data  # last: every view now shows it

    def _on_step_timer_timeout(self) -> None:
        if self._pending:
            self._pending.popleft()()
        if self._pending:
            self._step_timer.start()
        else:
            self._finish()

    def _flush(self) -> None:
        self._step_timer.stop()
        while self._pending:
            self._pending.popleft()()
        self._finish()

    def _finish(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()

    def tick(self, now: datetime) -> None:
        """Re-word every "Updated ... ago"."""
        for view in self.views.values():
            view.freshness.tick(now)  # type: ignore[attr-defined]

    def clear(self) -> None:
        self._step_timer.stop()
        self._pending.clear()
        self._done = None
        self.data = None
        for table in self.tables():
            table.set_rows([])

    def tables(self) -> list[DataTable]:
        return list(self.findChildren(DataTable))

    def export_table(self) -> DataTable | None:
        """The table Ctrl+E exports: the focused one of the current tab, else its main one."""
        view = self.currentWidget()
        return view.export_table() if view is not None else None  # type: ignore[attr-defined]

    def focus_search(self) -> None:
        """Ctrl+F: the current tab's search box (the Guests tab's when it has none)."""
        view = self.currentWidget()
        if view is self.access:
            self.access.focus_search()
            return
        edit = getattr(view, "search_edit", None)
        if view is self.guests or edit is None:
            self.setCurrentWidget(self.guests)
            self.guests.focus_search()
        else:
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            edit.selectAll()

    def tab_name(self) -> str:
        current = self.currentWidget()
        return next((n for n, v in self.views.items() if v is current), "")
