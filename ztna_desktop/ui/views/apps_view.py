"""The App access tab: apps that require assignment, their assignments and who gets in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.core.access import guests_with_access, transitive_members
from ztna_desktop.ui.data_table import DataTable
from ztna_desktop.ui.freshness import FreshnessLabel
from ztna_desktop.ui.models import app_columns
from ztna_desktop.ui.models.detail_columns import (
    ACCESS_COLUMNS,
    ASSIGNMENT_COLUMNS,
    access_search_text,
)
from ztna_desktop.ui.models.rows import AccessRow, AppRow, AssignmentRow
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.views.common import count_text, group_name, heading, notice, set_notice

PICK_TEXT = "Select an application to see who is assigned and which guests get in."
GATEWAY_LINE = (
    "{name} is the Sophos ZTNA gateway's app registration: the door to Sophos ZTNA. Only guests "
    "assigned to it (directly, or as direct members of an assigned group) can reach ZTNA."
)
NESTED_EXPLAINED = (
    "Entra passes a group's app assignment to its direct members only: these guests are in an "
    "assigned group only through a nested group, so they do NOT get access."
)


def assignment_rows(data: ViewData, app_id: str) -> list[AssignmentRow]:
    directory = data.directory
    app = directory.apps[app_id]
    rows = []
    for a in directory.assignments.get(app_id, ()):
        guests = 0
        if a.principal_type == "Group":
            guests = sum(
                1
                for m in directory.members.get(a.principal_id, ())
                if m.kind == "user" and (u := directory.users.get(m.id)) is not None and u.is_guest
            )
        rows.append(
            AssignmentRow(
                a.principal_id,
                a.principal_type,
                a.principal_name,
                app.role_name(a.app_role_id),
                guests,
            )
        )
    return rows


def access_rows(data: ViewData, app_id: str) -> tuple[list[AccessRow], list[AccessRow]]:
    """(guests who can sign in, guests only in nested groups of an assigned group)."""
    directory = data.directory
    effective = guests_with_access(directory, app_id)
    can = []
    for user_id, access in effective.items():
        how = (
            f"Member of group {group_name(directory, access.through_group)}"
            if access.through_group
            else "Assigned directly"
        )
        can.append(AccessRow(directory.users[user_id], how, access))
    cannot: dict[str, AccessRow] = {}
    for a in directory.assignments.get(app_id, ()):
        if a.principal_type != "Group":
            continue
        for user_id, via in transitive_members(directory, a.principal_id).items():
            user = directory.users.get(user_id)
            if not via or user is None or not user.is_guest or user_id in effective:
                continue
            path = " \u203a ".join(group_name(directory, g) for g in via)
            how = f"In {group_name(directory, a.principal_id)} only via {path}"
            cannot.setdefault(user_id, AccessRow(user, how))
    return can, list(cannot.values())


class AppsView(QWidget):
    """Apps on the left (the ZTNA gateway pinned first); assignments and access on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ViewData | None = None
        self.table = DataTable(
            app_columns.APP_COLUMNS,
            search_text=app_columns.search_text,
            export_name="apps",
            parent=self,
        )
        self.table.setObjectName("appsTable")
        self.table.proxy.set_pinned(lambda row: row.app.is_ztna_gateway)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search applications")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.count_label = QLabel(self)
        self.freshness = FreshnessLabel(self)
        self.gateway_label = QLabel(self)
        self.gateway_label.setObjectName("gatewayLine")
        self.gateway_label.setWordWrap(True)
        self.gateway_label.setStyleSheet(
            "QLabel { background: #e8f4ea; border: 1px solid #9fcfa8; border-radius: 4px;"
            " padding: 6px; font-weight: bold; }"
        )
        self.gateway_icon = QLabel(self)
        self.gateway_icon.setPixmap(app_columns.gateway_icon().pixmap(24, 24))
        self.gateway_box = QWidget(self)
        gl = QHBoxLayout(self.gateway_box)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addWidget(self.gateway_icon, 0, Qt.AlignmentFlag.AlignTop)
        gl.addWidget(self.gateway_label, 1)
        self.gateway_box.hide()
        self.problem = notice("", self)

        self.title_label = heading(PICK_TEXT, self)
        self.title_label.setWordWrap(True)
        self.assignments = DataTable(ASSIGNMENT_COLUMNS, export_name="app-assignments", parent=self)
        self.assignments.setObjectName("appAssignments")
        self.can = DataTable(
            ACCESS_COLUMNS,
            search_text=access_search_text,
            export_name="app-guests-with-access",
            parent=self,
        )
        self.can.setObjectName("appGuestsWithAccess")
        self.cannot = DataTable(
            ACCESS_COLUMNS,
            search_text=access_search_text,
            export_name="app-guests-nested-only",
            parent=self,
        )
        self.cannot.setObjectName("appGuestsNestedOnly")
        self.assignments_title = heading("Assignments", self, size=1.0)
        self.can_title = heading("Guests who can sign in", self, size=1.0)
        self.cannot_title = heading("Guests in nested groups: NO access", self, size=1.0)
        self.cannot_title.setStyleSheet("color: #a4262c;")
        self.cannot_title.setToolTip(NESTED_EXPLAINED)
        self.cannot_note = QLabel(NESTED_EXPLAINED, self)
        self.cannot_note.setWordWrap(True)

        detail = QWidget(self)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(8, 0, 0, 0)
        dl.addWidget(self.title_label)
        sections = QSplitter(Qt.Orientation.Vertical, detail)
        for title, table, note in (
            (self.assignments_title, self.assignments, None),
            (self.can_title, self.can, None),
            (self.cannot_title, self.cannot, self.cannot_note),
        ):
            box = QWidget(sections)
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 4, 0, 0)
            bl.addWidget(title)
            if note is not None:
                bl.addWidget(note)
            bl.addWidget(table, 1)
            sections.addWidget(box)
        dl.addWidget(sections, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([540, 700])

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.freshness)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.gateway_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.splitter, 1)

        self.table.row_selected.connect(self._on_table_row_selected)
        self.table.proxy.modelReset.connect(self._update_count)
        self._update_count()

    def set_data(self, data: ViewData) -> None:
        self.data = data
        gateways = [r.app for r in data.apps.rows if r.app.is_ztna_gateway]
        self.gateway_box.setVisible(bool(gateways))
        if gateways:
            self.gateway_label.setText(GATEWAY_LINE.format(name=gateways[0].display_name))
        error = data.errors.get("apps") or data.errors.get("assignments")
        set_notice(self.problem, f"Applications could not be read: {error}" if error else "")
        self.table.set_prepared(data.apps)
        self._show_app(self.table.selected_row())

    def select_app(self, app_id: str) -> bool:
        return self.table.select_row(lambda row: row.id == app_id)

    def export_table(self) -> DataTable:
        for table in (self.assignments, self.can, self.cannot):
            if table.hasFocus():
                return table
        return self.table

    def _on_table_row_selected(self, row: AppRow | None) -> None:
        self._show_app(row)

    def _show_app(self, row: AppRow | None) -> None:
        data = self.data
        if row is None or data is None or row.app.id not in data.directory.apps:
            self.title_label.setText(PICK_TEXT)
            for table in (self.assignments, self.can, self.cannot):
                table.set_rows([])
            self._update_titles()
            return
        suffix = f"  \u2014 {app_columns.GATEWAY_NOTE}" if row.app.is_ztna_gateway else ""
        self.title_label.setText(row.app.display_name + suffix)
        self.assignments.set_rows(assignment_rows(data, row.app.id))
        can, cannot = access_rows(data, row.app.id)
        self.can.set_rows(can)
        self.cannot.set_rows(cannot)
        self._update_titles()

    def _update_titles(self) -> None:
        self.assignments_title.setText(f"Assignments ({self.assignments.total_count()})")
        self.can_title.setText(f"Guests who can sign in ({self.can.total_count()})")
        self.cannot_title.setText(
            f"Guests in nested groups of an assigned group: NO access ({self.cannot.total_count()})"
        )

    def _update_count(self) -> None:
        self.count_label.setText(
            count_text(self.table.shown_count(), self.table.total_count(), "applications")
        )
