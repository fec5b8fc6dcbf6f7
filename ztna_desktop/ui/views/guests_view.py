"""The Guests tab: a searchable, sortable table of the tenant's B2B guests."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.core.models import GuestUser
from ztna_desktop.ui.models.guest_columns import GUEST_COLUMNS, search_text
from ztna_desktop.ui.models.table_model import FILTER_ROLE, SORT_ROLE, RowTableModel

SIGNED_OUT_TEXT = "Sign in to see your tenant's guests"
NO_GUESTS_TEXT = "This tenant has no guests yet"
LOADING_TEXT = "Loading guests\u2026"


def count_text(shown: int, total: int) -> str:
    """``250 guests`` when nothing is filtered out, else ``12 of 250 shown``."""
    if shown == total:
        return f"{total} guest" if total == 1 else f"{total} guests"
    return f"{shown} of {total} shown"


class GuestsView(QWidget):
    """Search box, guests table, row count, and a progress strip while loading.

    Signals:
        cancel_requested(): the person pressed the Cancel button of the progress strip.
        sign_in_requested(): the person pressed the Sign in button of the empty page.
    """

    cancel_requested = Signal()
    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[GuestUser] = RowTableModel(GUEST_COLUMNS, search_text, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterKeyColumn(0)  # FILTER_ROLE is the same for every column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("guestSearch")
        self.search_edit.setPlaceholderText("Search name, email or UPN  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("guestCount")

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Until the person (or a remembered state) sets widths, share the width out once.
        self._fit_pending = True
        self.apply_default_widths()

        self.empty_label = QLabel(SIGNED_OUT_TEXT, self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.sign_in_button = QPushButton("Sign in\u2026", self)
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        self.empty_page = QWidget(self)
        empty = QVBoxLayout(self.empty_page)
        empty.addStretch(1)
        empty.addWidget(self.empty_label)
        empty.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self.table)

        self.progress_label = QLabel(self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.progress_strip = QWidget(self)
        strip = QHBoxLayout(self.progress_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.progress_label)
        strip.addWidget(self.progress_bar, 1)
        strip.addWidget(self.cancel_button)
        self.progress_strip.hide()

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.progress_strip)

        self._signed_in = False
        self._loading = False
        self._can_sign_in = True
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        self._update_count()
        self._update_empty_state()

    # --- state the main window drives --------------------------------------
    def set_signed_in(self, signed_in: bool) -> None:
        self._signed_in = signed_in
        if not signed_in:
            self.model.clear()
        self._update_empty_state()

    def set_can_sign_in(self, can: bool) -> None:
        """Offer the Sign in button on the empty page (not while a sign-in runs)."""
        self._can_sign_in = can
        self._update_empty_state()

    def set_guests(self, guests: Iterable[GuestUser]) -> None:
        self.model.set_rows(guests)
        self._update_empty_state()

    def set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.progress_strip.setVisible(loading)
        if loading:
            self.progress_label.setText("Loading guests")
            self.progress_bar.setRange(0, 0)  # busy until a total is known
        self._update_empty_state()

    def set_progress(self, done: int, total: int | None, text: str) -> None:
        if total:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.progress_bar.setFormat("%v of %m")
        else:
            self.progress_bar.setRange(0, 0)
        if text:
            self.progress_label.setText(text)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def shown_count(self) -> int:
        return self.proxy.rowCount()

    # --- header state ------------------------------------------------------
    def apply_default_widths(self, available: int = 0) -> None:
        """Widths from each column's size in characters, scaled to ``available`` pixels.

        Cheap (no content measuring, unlike ResizeToContents): fine for 100k rows.
        """
        char = self.fontMetrics().averageCharWidth()
        widths = [max(column.width, 6) * char + 16 for column in GUEST_COLUMNS]
        if available > 0:
            scale = available / sum(widths)
            # Grow to fill the table; shrink no more than to 70 %, then scroll.
            scale = max(scale, 0.7)
            widths = [int(w * scale) for w in widths]
        for section, width in enumerate(widths):
            self.table.setColumnWidth(section, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_pending and self.isVisible():
            # The table may be hidden behind the empty-state page: measure the stack,
            # and leave room for the vertical scroll bar that a full table shows.
            scroll_bar = self.table.verticalScrollBar().sizeHint().width()
            available = self.stack.width() - scroll_bar - 2 * self.table.frameWidth() - 2
            if available > 100:
                self._fit_pending = False
                self.apply_default_widths(available)

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray) -> bool:
        header = self.table.horizontalHeader()
        if not header.restoreState(state):
            return False
        self._fit_pending = False
        # restoreState sets the indicator; the proxy sorts only when told.
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    # --- internals -----------------------------------------------------------
    def _update_count(self) -> None:
        total = self.model.rowCount()
        if total == 0 and (not self._signed_in or self._loading):
            self.count_label.setText("")
            return
        self.count_label.setText(count_text(self.proxy.rowCount(), total))

    def _update_empty_state(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
        else:
            if not self._signed_in:
                text = SIGNED_OUT_TEXT
            elif self._loading:
                text = LOADING_TEXT
            else:
                text = NO_GUESTS_TEXT
            self.empty_label.setText(text)
            self.sign_in_button.setVisible(not self._signed_in and self._can_sign_in)
            self.stack.setCurrentWidget(self.empty_page)
        self._update_count()
