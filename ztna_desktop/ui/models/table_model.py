"""A generic read-only table model: rows are frozen dataclasses, columns are data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")

#: Raw value to sort by (never None; one type per column).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row object itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
#: The text a search box matches against (same for every column of a row).
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its title, the text shown, and optionally a sort key and a tooltip.

    Attributes:
        width: default width in average characters (0: let the view decide).
        alignment: how the cell text is aligned.
    """

    title: str
    text: Callable[[T], str]
    sort_key: Callable[[T], str | int | float] | None = None
    tooltip: Callable[[T], str] | None = None
    width: int = 0
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of ``T`` shown through ``columns``; swap them all with ``set_rows``."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        search_text: Callable[[T], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._search_text = search_text

    @property
    def columns(self) -> list[Column[T]]:
        return list(self._columns)

    def rows(self) -> list[T]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows(())

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            return (col.sort_key or col.text)(row)
        if role == ROW_ROLE:
            return row
        if role == FILTER_ROLE:
            return self._search_text(row) if self._search_text else col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.alignment
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
