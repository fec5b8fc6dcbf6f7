"""A read-only table widget: RowTableModel + FastFilterProxy + a QTableView set up for speed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ztna_desktop.ui.models.fast_proxy import FastFilterProxy, RowPredicate
from ztna_desktop.ui.models.prepared import PreparedRows
from ztna_desktop.ui.models.table_model import Column, RowTableModel


class DataTable(QTableView):
    """Rows shown through columns, sortable, searchable through ``proxy``.

    Fixed row heights and no content measuring keep 100k rows cheap. The selected
    row object is kept across reloads and filter changes when it is still shown.

    Signals:
        row_selected(object): the current row object, or None when nothing is selected.
    """

    row_selected = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column[Any]],
        *,
        search_text: Callable[[Any], str] | None = None,
        key: Callable[[Any], object] | None = None,
        export_name: str = "table",
        sort_column: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.export_name = export_name
        self._key = key or (lambda row: getattr(row, "id", row))
        self.model_ = RowTableModel(self.columns, search_text, self)
        self.proxy = FastFilterProxy(self)
        self.proxy.setSourceModel(self.model_)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._selected_key: object | None = None
        self._restoring = False
        self.apply_default_widths()
        # Until the person (or a remembered state) sets widths, share the width out once.
        self.fit_pending = True
        self.proxy.modelAboutToBeReset.connect(self._on_proxy_about_to_be_reset)
        self.proxy.modelReset.connect(self._on_proxy_reset)
        self.proxy.layoutAboutToBeChanged.connect(self._on_proxy_about_to_be_reset)
        self.proxy.layoutChanged.connect(self._on_proxy_reset)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    # --- rows ----------------------------------------------------------------
    def set_rows(self, rows: Iterable[Any]) -> None:
        self.model_.set_rows(rows)

    def set_prepared(self, prepared: PreparedRows[Any]) -> None:
        self.model_.set_prepared(prepared)

    def set_predicate(self, predicate: RowPredicate | None) -> None:
        self.proxy.set_predicate(predicate)

    def shown_count(self) -> int:
        return self.proxy.rowCount()

    def total_count(self) -> int:
        return self.model_.rowCount()

    def selected_row(self) -> Any:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        return self.proxy.row_at(index.row())

    def select_row(self, predicate: Callable[[Any], bool]) -> bool:
        """Select (and scroll to) the first shown row for which ``predicate`` holds."""
        rows = self.model_.rows_view()
        if self.proxy.rowCount() == len(rows) or self.proxy.rowCount() > 2000:
            candidates = (i for i, row in enumerate(rows) if predicate(row))
        else:  # few shown: look only at those
            candidates = (i for i in self.proxy.source_rows() if predicate(rows[i]))
        for source_row in candidates:
            proxy_row = self.proxy.proxy_row_of(source_row)
            if proxy_row >= 0:
                self._select_proxy_row(proxy_row)
                return True
        return False

    def export_view(self) -> tuple[list[str], list[Any], list[Column[Any]]]:
        """(headers, rows in view order, columns) of what is shown now."""
        return [c.title for c in self.columns], self.proxy.rows(), list(self.columns)

    # --- widths and header state ---------------------------------------------
    def apply_default_widths(self, available: int = 0) -> None:
        """Widths from each column's size in characters, scaled to ``available`` pixels."""
        char = self.fontMetrics().averageCharWidth()
        bold = self.horizontalHeader().fontMetrics()
        widths = [
            max(max(column.width or 12, 4) * char, bold.horizontalAdvance(column.title) + 12) + 16
            for column in self.columns
        ]
        if available > 0 and widths:
            scale = max(available / sum(widths), 0.7)
            widths = [int(w * scale) for w in widths]
        for section, width in enumerate(widths):
            self.setColumnWidth(section, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_pending and self.isVisible():
            scroll_bar = self.verticalScrollBar().sizeHint().width()
            available = self.width() - scroll_bar - 2 * self.frameWidth() - 2
            if available > 100:
                self.fit_pending = False
                self.apply_default_widths(available)

    def header_state(self) -> QByteArray:
        return self.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray) -> bool:
        header = self.horizontalHeader()
        if not header.restoreState(state):
            return False
        self.fit_pending = False
        self.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    # --- internals -----------------------------------------------------------
    def _select_proxy_row(self, proxy_row: int) -> None:
        index = self.proxy.index(proxy_row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)

    def _on_proxy_about_to_be_reset(self) -> None:
        row = self.selected_row()
        self._selected_key = None if row is None else self._key(row)

    def _on_proxy_reset(self) -> None:
        wanted, self._selected_key = self._selected_key, None
        if wanted is not None:
            self._restoring = True
            try:
                key = self._key
                found = self.select_row(lambda row: key(row) == wanted)
            finally:
                self._restoring = False
            if found:
                self.row_selected.emit(self.selected_row())
                return
        self.row_selected.emit(self.selected_row())

    def _on_current_row_changed(self, current: Any, _previous: Any) -> None:
        if not self._restoring:
            self.row_selected.emit(self.selected_row())
