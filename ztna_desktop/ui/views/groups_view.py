"""The Groups tab: all groups or mine, filters, and the selected group's members and owners."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.core.access import transitive_members
from ztna_desktop.ui.data_table import DataTable
from ztna_desktop.ui.freshness import FreshnessLabel
from ztna_desktop.ui.models import group_columns
from ztna_desktop.ui.models.detail_columns import MEMBER_COLUMNS, member_search_text
from ztna_desktop.ui.models.rows import GroupRow, MemberRow
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.views.common import (
    count_text,
    group_name,
    heading,
    notice,
    set_notice,
    user_or_placeholder,
)

PICK_TEXT = "Select a group to see its members and owners."
MINE_UNKNOWN_TIP = "The groups you own could not be read"


def member_rows(data: ViewData, group_id: str) -> list[MemberRow]:
    """Users in the group, direct first, each with the nested groups it comes through."""
    directory = data.directory
    found = transitive_members(directory, group_id)
    return [
        MemberRow(
            user_or_placeholder(directory, user_id),
            tuple(group_name(directory, g) for g in via),
        )
        for user_id, via in found.items()
    ]


class GroupsView(QWidget):
    """Groups table on the left; the selected group's members and owners on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ViewData | None = None
        self.table = DataTable(
            group_columns.GROUP_COLUMNS,
            search_text=group_columns.search_text,
            export_name="groups",
            parent=self,
        )
        self.table.setObjectName("groupsTable")
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search groups")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.all_radio = QRadioButton("All groups", self)
        self.mine_radio = QRadioButton("Only groups I own", self)
        self.all_radio.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.all_radio)
        scope.addButton(self.mine_radio)
        self.security_box = QCheckBox("Security-enabled", self)
        self.guests_box = QCheckBox("Has guests", self)
        for button in (self.mine_radio, self.security_box, self.guests_box):
            button.toggled.connect(self._apply_filters)
        self.count_label = QLabel(self)
        self.freshness = FreshnessLabel(self)

        # Detail pane.
        self.title_label = heading(PICK_TEXT, self)
        self.title_label.setWordWrap(True)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.owners_label = QLabel(self)
        self.owners_label.setWordWrap(True)
        self.owners_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.members_guests_box = QCheckBox("Guests only", self)
        self.members_guests_box.toggled.connect(self._apply_member_filter)
        self.members = DataTable(
            MEMBER_COLUMNS,
            search_text=member_search_text,
            export_name="group-members",
            parent=self,
        )
        self.members.setObjectName("groupMembers")
        self.members_count = QLabel(self)
        self.problem = notice("", self)
        detail = QWidget(self)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(8, 0, 0, 0)
        dl.addWidget(self.title_label)
        dl.addWidget(self.info_label)
        dl.addWidget(self.owners_label)
        bar = QHBoxLayout()
        bar.addWidget(heading("Members", self, size=1.0))
        bar.addWidget(self.members_count)
        bar.addStretch(1)
        bar.addWidget(self.members_guests_box)
        dl.addLayout(bar)
        dl.addWidget(self.members, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 640])

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.all_radio)
        top.addWidget(self.mine_radio)
        top.addSpacing(12)
        top.addWidget(self.security_box)
        top.addWidget(self.guests_box)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        status = QHBoxLayout()
        status.addWidget(self.problem, 1)
        status.addStretch(0)
        status.addWidget(self.freshness)
        layout.addLayout(status)
        layout.addWidget(self.splitter, 1)

        self.table.row_selected.connect(self._on_table_row_selected)
        self.table.proxy.modelReset.connect(self._update_count)
        self.members.proxy.modelReset.connect(self._update_member_count)
        self._update_count()

    # --- data ----------------------------------------------------------------
    def set_data(self, data: ViewData) -> None:
        self.data = data
        known = data.owned is not None
        self.mine_radio.setEnabled(known)
        self.mine_radio.setToolTip("" if known else MINE_UNKNOWN_TIP)
        if not known and self.mine_radio.isChecked():
            self.all_radio.setChecked(True)
        error = data.errors.get("groups")
        set_notice(self.problem, f"Groups could not be read: {error}" if error else "")
        self.table.set_prepared(data.groups)
        self._show_group(self.table.selected_row())

    def select_group(self, group_id: str) -> bool:
        return self.table.select_row(lambda row: row.id == group_id)

    def export_table(self) -> DataTable:
        return self.members if self.members.hasFocus() else self.table

    # --- internals -------------------------------------------------------------
    def _apply_filters(self) -> None:
        mine, security, guests = (
            self.mine_radio.isChecked(),
            self.security_box.isChecked(),
            self.guests_box.isChecked(),
        )

        def keep(row: GroupRow) -> bool:
            return (
                (not mine or row.owned)
                and (not security or row.group.security_enabled)
                and (not guests or row.guests > 0)
            )

        self.table.set_predicate(keep if (mine or security or guests) else None)

    def _apply_member_filter(self, guests_only: bool) -> None:
        self.members.set_predicate((lambda r: r.user.is_guest) if guests_only else None)

    def _on_table_row_selected(self, row: GroupRow | None) -> None:
        self._show_group(row)

    def _show_group(self, row: GroupRow | None) -> None:
        data = self.data
        if row is None or data is None:
            self.title_label.setText(PICK_TEXT)
            self.info_label.clear()
            self.owners_label.clear()
            self.members.set_rows([])
            return
        group, directory = row.group, data.directory
        self.title_label.setText(group.display_name)
        nested = [m for m in directory.members.get(group.id, ()) if m.kind == "group"]
        bits = [group.kind + (" (dynamic membership)" if group.is_dynamic else "")]
        if group.description:
            bits.append(group.description)
        if nested:
            names = ", ".join(sorted(group_name(directory, m.id) for m in nested))
            bits.append(f"Nested groups: {names}")
        self.info_label.setText("\n".join(bits))
        owners = [
            user_or_placeholder(directory, o).display_name
            for o in directory.owners.get(group.id, ())
        ]
        if "owners" in data.errors:
            owners_text = f"Owners: could not be read ({data.errors['owners']})"
        else:
            owners_text = "Owners: " + (", ".join(sorted(owners)) if owners else "none")
        self.owners_label.setText(owners_text)
        self.members.set_rows(member_rows(data, group.id))

    def _update_count(self) -> None:
        self.count_label.setText(
            count_text(self.table.shown_count(), self.table.total_count(), "groups")
        )

    def _update_member_count(self) -> None:
        rows = self.members.model_.rows_view()
        guests = sum(1 for r in rows if r.user.is_guest)
        nested = sum(1 for r in rows if r.via)
        self.members_count.setText(
            f"{len(rows)} ({guests} guests, {nested} through nested groups)" if rows else ""
        )
