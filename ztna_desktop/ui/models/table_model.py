"""A generic read-only table model: rows are frozen dataclasses, columns are data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon

from ztna_desktop.ui.models.prepared import PreparedRows, sort_order

T = TypeVar("T")

#: Raw value to sort by (never None; one type per column).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row object itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
#: The text a search box matches against (same for every column of a row).
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
#: The roles ``data()`` answers.
_ROLES = frozenset(
    {_DISPLAY, _TOOLTIP, _ALIGNMENT, _FONT, _FOREGROUND, _DECORATION}
    | {int(SORT_ROLE), int(ROW_ROLE), int(FILTER_ROLE)}
)

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
    font: Callable[[T], QFont | None] | None = None
    foreground: Callable[[T], QColor | None] | None = None
    icon: Callable[[T], QIcon | None] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of ``T`` shown through ``columns``; swap them all with ``set_rows``.

    Search keys and sort orders are cached per load (``FastFilterProxy`` reads them);
    ``set_prepared`` takes them computed ahead on a worker thread.
    """

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
        self._search_keys: list[str] | None = None
        self._orders: dict[int, list[int]] = {}
        self._ranks: dict[int, list[int]] = {}

    @property
    def columns(self) -> list[Column[T]]:
        return list(self._columns)

    def rows(self) -> list[T]:
        return list(self._rows)

    def rows_view(self) -> list[T]:
        """The row list itself (no copy): do not change it."""
        return self._rows

    @property
    def search_text_function(self) -> Callable[[T], str] | None:
        return self._search_text

    def set_rows(self, rows: Iterable[T]) -> None:
        self.set_prepared(PreparedRows(list(rows)))

    def set_prepared(self, prepared: PreparedRows[T]) -> None:
        """Swap in rows whose keys were (partly) computed ahead."""
        self.beginResetModel()
        self._rows = prepared.rows
        self._search_keys = prepared.search_keys
        self._orders = dict(prepared.orders)
        self._ranks = {}
        self.endResetModel()

    def search_keys(self) -> list[str]:
        """One case-folded search string per row (computed on first use if not prepared)."""
        if self._search_keys is None:
            text = self._search_text or (
                lambda r: self._columns[0].text(r) if self._columns else ""
            )
            self._search_keys = [text(r).casefold() for r in self._rows]
        return self._search_keys

    def sort_order(self, column: int) -> list[int]:
        """Rows in ascending order of ``column`` (cached until the rows change)."""
        order = self._orders.get(column)
        if order is None:
            order = self._orders[column] = sort_order(self._columns[column], self._rows)
        return order

    def sort_rank(self, column: int) -> list[int]:
        """Row -> its position in ``sort_order(column)``."""
        rank = self._ranks.get(column)
        if rank is None:
            rank = [0] * len(self._rows)
            for position, row in enumerate(self.sort_order(column)):
                rank[row] = position
            self._ranks[column] = rank
        return rank

    def clear(self) -> None:
        self.set_rows(())

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row_number: int, column: int, role: int) -> object:
        """``data()`` of a cell by row and column (no QModelIndex: a proxy's fast path)."""
        if role not in _ROLES or not 0 <= row_number < len(self._rows):
            return None  # a painted cell asks ~10 roles; most are none of ours
        row, col = self._rows[row_number], self._columns[column]
        if role == _DISPLAY:
            return col.text(row)
        if role == SORT_ROLE:
            return (col.sort_key or col.text)(row)
        if role == ROW_ROLE:
            return row
        if role == FILTER_ROLE:
            return self._search_text(row) if self._search_text else col.text(row)
        if role == _TOOLTIP and col.tooltip is not None:
            return col.tooltip(row)
        if role == _ALIGNMENT:
            return col.alignment
        if role == _FONT and col.font is not None:
            return col.font(row)
        if role == _FOREGROUND and col.foreground is not None:
            return col.foreground(row)
        if role == _DECORATION and col.icon is not None:
            return col.icon(row)
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
