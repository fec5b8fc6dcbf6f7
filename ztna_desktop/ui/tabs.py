"""The window's tabs: builds the five views and hands each its part of a ViewData."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
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

    def set_data(self, data: ViewData) -> None:
        """Swap every view's rows (the only GUI-thread work of a refresh)."""
        self.data = data
        self.guests.set_reference_time(data.now)
        self.guests.set_rows(data.guests)
        sign_ins_known = data.directory.sign_ins is not None
        self.guests.set_sign_ins_available(
            sign_ins_known,
            "" if sign_ins_known else sign_ins_unavailable(data.errors.get("sign_ins")),
        )
        self.groups.set_data(data)
        self.apps.set_data(data)
        self.mfa.set_data(data)
        self.access.set_data(data)
        for name, view in self.views.items():
            label = view.freshness  # type: ignore[attr-defined]
            label.set_fetched(data.fetched_at.get(FRESHNESS_PART[name]), from_cache=data.from_cache)
        self.tick(data.now)

    def tick(self, now: datetime) -> None:
        """Re-word every "Updated ... ago"."""
        for view in self.views.values():
            view.freshness.tick(now)  # type: ignore[attr-defined]

    def clear(self) -> None:
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
