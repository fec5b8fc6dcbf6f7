"""A sort/filter proxy for big tables: filters a precomputed key list instead of calling data().

QSortFilterProxyModel asks the source model for every row's filter and sort value
through ``data()``, a Python call each: about a second per keystroke at 100k rows.
This proxy keeps the visible rows as a plain list of source rows, matches the
search against the model's cached case-folded keys (narrowing the last result
while the person keeps typing), and sorts by the model's cached orders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ztna_desktop.ui.models.table_model import RowTableModel

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex

#: A row filter besides the search box (e.g. "no MFA"); None shows every row.
RowPredicate = Callable[[Any], bool]


class FastFilterProxy(QAbstractProxyModel):
    """Visible rows = source rows matching the search and the predicate, in sort order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._visible: list[int] = []
        self._inverse: dict[int, int] | None = None
        self._search = ""
        self._narrow: tuple[str, list[int]] | None = None  # (search, its matches)
        self._predicate: RowPredicate | None = None
        self._mask: list[bool] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._pinned: RowPredicate | None = None
        self._pin_mask: list[bool] | None = None
        self._model: RowTableModel[Any] | None = None  # data()'s fast path (no C++ lookup)

    # --- configuration -------------------------------------------------------
    def source(self) -> RowTableModel[Any]:
        model = self._model
        assert model is not None
        return model

    def setSourceModel(self, model: RowTableModel[Any]) -> None:  # type: ignore[override]
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self._on_source_about_to_be_reset)
            old.modelReset.disconnect(self._on_source_reset)
        self.beginResetModel()
        super().setSourceModel(model)
        self._model = model
        model.modelAboutToBeReset.connect(self._on_source_about_to_be_reset)
        model.modelReset.connect(self._on_source_reset)
        self._forget()
        self._rebuild()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        """Show rows whose search key contains ``text`` (case-insensitive)."""
        folded = text.casefold()
        if folded == self._search:
            return
        self._search = folded
        self._refilter()

    def search(self) -> str:
        return self._search

    def set_predicate(self, predicate: RowPredicate | None) -> None:
        """Also require ``predicate(row)`` (evaluated once per row, then kept)."""
        self._predicate = predicate
        self._mask = None
        self._refilter()

    def set_pinned(self, pinned: RowPredicate | None) -> None:
        """Rows for which ``pinned(row)`` holds come first, whatever the sort."""
        self._pinned = pinned
        self._pin_mask = None
        self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._rebuild()
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    # --- what is shown ------------------------------------------------------
    def source_rows(self) -> list[int]:
        """Source row numbers in view order (export, benchmarks)."""
        return list(self._visible)

    def rows(self) -> list[Any]:
        """The row objects in view order."""
        model = self.source()
        return [model.row_at(r) for r in self._visible]

    def row_at(self, proxy_row: int) -> Any:
        return self.source().row_at(self._visible[proxy_row])

    def proxy_row_of(self, source_row: int) -> int:
        """Where a source row is shown, or -1."""
        if self._inverse is None:
            self._inverse = {s: p for p, s in enumerate(self._visible)}
        return self._inverse.get(source_row, -1)

    # --- QAbstractProxyModel -------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._visible)):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: _Index | None = None) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._visible):
            return QModelIndex()
        return self.source().index(self._visible[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self.proxy_row_of(source_index.row())
        return QModelIndex() if row < 0 else self.createIndex(row, source_index.column())

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, model = index.row(), self._model
        if model is None or row >= len(self._visible):
            return None
        return model.cell(self._visible[row], index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal:
            return self.source().headerData(section, orientation, role)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- internals -----------------------------------------------------------
    def _on_source_about_to_be_reset(self) -> None:
        self.beginResetModel()

    def _on_source_reset(self) -> None:
        self._forget()
        self._rebuild()
        self.endResetModel()

    def _forget(self) -> None:
        self._narrow = None
        self._mask = None
        self._pin_mask = None

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _matches(self, n: int) -> list[int] | None:
        """Source rows (ascending) that pass the search and predicate; None: all of them."""
        candidates: list[int] | None = None
        if self._search:
            keys = self.source().search_keys()
            text = self._search
            if self._narrow is not None and text.startswith(self._narrow[0]):
                base: Any = self._narrow[1]  # typing on: only the last matches can match
            else:
                base = range(n)
            candidates = [i for i in base if text in keys[i]]
            self._narrow = (text, candidates)
        else:
            self._narrow = None
        if self._predicate is not None:
            if self._mask is None:
                predicate = self._predicate
                self._mask = [bool(predicate(row)) for row in self.source().rows_view()]
            mask = self._mask
            candidates = [i for i in (range(n) if candidates is None else candidates) if mask[i]]
        return candidates

    def _rebuild(self) -> None:
        self._inverse = None
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            self._visible = []
            return
        n = model.rowCount()
        matches = self._matches(n)
        column = self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if not 0 <= column < model.columnCount():
            visible = list(range(n)) if matches is None else matches
        elif matches is None:
            visible = list(model.sort_order(column))
        elif len(matches) * 8 < n:
            visible = sorted(matches, key=model.sort_rank(column).__getitem__)
        else:
            keep = bytearray(n)
            for i in matches:
                keep[i] = 1
            visible = [i for i in model.sort_order(column) if keep[i]]
        if descending and 0 <= column < model.columnCount():
            visible.reverse()
        if self._pinned is not None:
            if self._pin_mask is None:
                pinned = self._pinned
                self._pin_mask = [bool(pinned(row)) for row in model.rows_view()]
            pin = self._pin_mask
            visible = [i for i in visible if pin[i]] + [i for i in visible if not pin[i]]
        self._visible = visible
