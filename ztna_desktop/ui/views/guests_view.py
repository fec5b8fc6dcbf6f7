"""The Guests tab: a searchable, sortable, filterable table of the tenant's B2B guests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.core.models import GuestUser
from ztna_desktop.ui.data_table import DataTable
from ztna_desktop.ui.freshness import FreshnessLabel
from ztna_desktop.ui.models.guest_columns import GUEST_COLUMNS, row_search_text
from ztna_desktop.ui.models.prepared import PreparedRows
from ztna_desktop.ui.models.rows import GuestRow
from ztna_desktop.ui.view_data import pending_days

SIGNED_OUT_TEXT = "Sign in to see your tenant's guests"
NO_GUESTS_TEXT = "This tenant has no guests yet"
LOADING_TEXT = "Loading guests\u2026"
NO_SIGN_INS_TIP = "Sign-in activity is not available: {why}"
DEFAULT_STALE_DAYS = 90


def count_text(shown: int, total: int) -> str:
    """``250 guests`` when nothing is filtered out, else ``12 of 250 shown``."""
    if shown == total:
        return f"{total} guest" if total == 1 else f"{total} guests"
    return f"{shown} of {total} shown"


def is_stale(row: GuestRow, days: int, now: datetime) -> bool:
    """No sign-in within ``days``: the last one is older, or none since an older invitation."""
    if not row.sign_ins_known:
        return False
    cutoff = now - timedelta(days=days)
    last = row.last_sign_in
    if last is not None:
        return last < cutoff
    created = row.user.created
    return created is not None and created < cutoff


class GuestsView(QWidget):
    """Search box, filter boxes, guests table, row count, and a progress strip while loading.

    Signals:
        cancel_requested(): the person pressed the Cancel button of the progress strip.
        sign_in_requested(): the person pressed the Sign in button of the empty page.
        stale_days_changed(int): the person changed "stale after N days".
    """

    cancel_requested = Signal()
    sign_in_requested = Signal()
    stale_days_changed = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        stale_days: int = DEFAULT_STALE_DAYS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.table = DataTable(GUEST_COLUMNS, search_text=row_search_text, export_name="guests")
        self.table.setParent(self)
        self.table.setObjectName("guestsTable")
        self.model, self.proxy = self.table.model_, self.table.proxy

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("guestSearch")
        self.search_edit.setPlaceholderText("Search name, email or UPN  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_search)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("guestCount")
        self.freshness = FreshnessLabel(self)

        self.pending_box = QCheckBox("Pending acceptance", self)
        self.never_box = QCheckBox("Never signed in", self)
        self.stale_box = QCheckBox("Stale after", self)
        self.stale_spin = QSpinBox(self)
        self.stale_spin.setRange(1, 3650)
        self.stale_spin.setSuffix(" days")
        self.stale_spin.setValue(stale_days)
        self.disabled_box = QCheckBox("Disabled", self)
        for box in (self.pending_box, self.never_box, self.stale_box, self.disabled_box):
            box.toggled.connect(self._apply_filters)
        self.stale_spin.valueChanged.connect(self._on_stale_spin_value_changed)
        self.set_sign_ins_available(False, "not read yet")

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
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show only:", self))
        filters.addWidget(self.pending_box)
        filters.addWidget(self.never_box)
        filters.addWidget(self.stale_box)
        filters.addWidget(self.stale_spin)
        filters.addWidget(self.disabled_box)
        filters.addStretch(1)
        filters.addWidget(self.freshness)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.progress_strip)

        self._signed_in = False
        self._loading = False
        self._can_sign_in = True
        self._fit_pending = True
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged):
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
        """Show plain users (no sign-in data)."""
        now = self._clock()
        self.set_rows(PreparedRows([GuestRow(g, None, pending_days(g, now)) for g in guests]))

    def set_rows(self, prepared: PreparedRows[GuestRow]) -> None:
        self.table.set_prepared(prepared)
        self._update_empty_state()

    def set_reference_time(self, now: datetime) -> None:
        """The "now" the stale filter measures from (when the data was prepared)."""
        self._clock = lambda: now
        if self.stale_box.isChecked():
            self._apply_filters()

    def set_sign_ins_available(self, available: bool, why: str = "") -> None:
        """Enable the two sign-in filters, or disable them saying why."""
        tip = "" if available else NO_SIGN_INS_TIP.format(why=why)
        for widget in (self.never_box, self.stale_box, self.stale_spin):
            widget.setEnabled(available)
            widget.setToolTip(tip)
        if not available and (self.never_box.isChecked() or self.stale_box.isChecked()):
            self.never_box.setChecked(False)
            self.stale_box.setChecked(False)

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

    def export_table(self) -> DataTable:
        return self.table

    # --- header state ------------------------------------------------------
    def apply_default_widths(self, available: int = 0) -> None:
        self.table.fit_pending = False
        self.table.apply_default_widths(available)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_pending and self.isVisible():
            scroll_bar = self.table.verticalScrollBar().sizeHint().width()
            available = self.stack.width() - scroll_bar - 2 * self.table.frameWidth() - 2
            if available > 100:
                self._fit_pending = False
                self.apply_default_widths(available)

    def header_state(self) -> QByteArray:
        return self.table.header_state()

    def restore_header_state(self, state: QByteArray) -> bool:
        if not self.table.restore_header_state(state):
            return False
        self._fit_pending = False
        return True

    # --- internals -----------------------------------------------------------
    def _on_stale_spin_value_changed(self, days: int) -> None:
        self.stale_days_changed.emit(days)
        if self.stale_box.isChecked():
            self._apply_filters()

    def _apply_filters(self) -> None:
        tests: list[Callable[[GuestRow], bool]] = []
        if self.pending_box.isChecked():
            tests.append(lambda r: r.pending_days is not None)
        if self.never_box.isChecked():
            tests.append(lambda r: r.sign_ins_known and r.last_sign_in is None)
        if self.stale_box.isChecked():
            days, now = self.stale_spin.value(), self._clock()
            tests.append(lambda r: is_stale(r, days, now))
        if self.disabled_box.isChecked():
            tests.append(lambda r: not r.user.account_enabled)
        self.table.set_predicate((lambda r: all(t(r) for t in tests)) if tests else None)

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
