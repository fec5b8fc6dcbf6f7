"""Rows with their search and sort keys computed ahead on a worker thread: cheap model swaps.

Qt-free on purpose: ``prepare_rows`` runs in the worker that read the data; the GUI
thread then only swaps the prepared rows into a ``RowTableModel``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ztna_desktop.ui.models.table_model import Column

T = TypeVar("T")


@dataclass
class PreparedRows(Generic[T]):
    """Rows plus, where computed, the folded search keys and per-column sort orders.

    Attributes:
        search_keys: one case-folded string per row (what the search box matches).
        orders: column -> source rows in ascending sort order.
    """

    rows: list[T]
    search_keys: list[str] | None = None
    orders: dict[int, list[int]] = field(default_factory=dict)


def sort_key_function(column: Column[Any]) -> Callable[[Any], Any]:
    """The column's sort key; plain text columns sort case-insensitively."""
    if column.sort_key is not None:
        return column.sort_key
    text = column.text
    return lambda row: text(row).casefold()


#: Rows sorted per call to ``sorted`` (a C call that holds the GIL throughout).
SORT_CHUNK = 8192


def sort_order(column: Column[T], rows: Sequence[T]) -> list[int]:
    """Source rows in ascending order of ``column`` (stable: ties keep their row order).

    One ``sorted`` over 100k string keys holds the GIL for ~30 ms, which the GUI thread
    waits out. So chunks are sorted one by one (yielding the GIL between them), then the
    sorted runs are merged by one more ``sorted``: Timsort merges runs in ~n log(runs)
    comparisons. Stable too: equal keys keep their row order.
    """
    key = sort_key_function(column)
    keys = [key(row) for row in rows]
    n = len(rows)
    if n <= SORT_CHUNK:
        return sorted(range(n), key=keys.__getitem__)
    runs: list[int] = []
    for start in range(0, n, SORT_CHUNK):
        runs.extend(sorted(range(start, min(n, start + SORT_CHUNK)), key=keys.__getitem__))
        time.sleep(0)  # let the GUI thread take the GIL
    return sorted(runs, key=keys.__getitem__)


def prepare_rows(
    columns: Sequence[Column[T]],
    rows: Iterable[T],
    search_text: Callable[[T], str] | None = None,
    sort_columns: Iterable[int] = (),
) -> PreparedRows[T]:
    """Compute search keys (if ``search_text``) and the orders of ``sort_columns``."""
    listed = list(rows)
    keys = [search_text(r).casefold() for r in listed] if search_text is not None else None
    orders = {c: sort_order(columns[c], listed) for c in sort_columns if 0 <= c < len(columns)}
    return PreparedRows(listed, keys, orders)
