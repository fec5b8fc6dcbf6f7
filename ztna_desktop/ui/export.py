"""Export a table's current view (its filter and sort) to CSV, written atomically."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from ztna_desktop.core.errors import ZtnaError
from ztna_desktop.core.export import to_csv
from ztna_desktop.core.protocols import Progress
from ztna_desktop.ui import messages
from ztna_desktop.ui.models.table_model import Column
from ztna_desktop.ui.workers import JobRunner


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    """The file dialog (tests patch this function)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Export current view", suggested, "CSV files (*.csv);;All files (*)"
    )
    return Path(name) if name else None


def suggested_name(table_name: str, today: date | None = None) -> str:
    return f"{table_name}-{(today or date.today()).isoformat()}.csv"


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over (never half a file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # utf-8-sig: spreadsheet programs read the BOM and show accents right.
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def export_task(
    path: Path, headers: Sequence[str], rows: Sequence[Any], columns: Sequence[Column[Any]]
) -> Any:
    """A worker task rendering ``rows`` through ``columns`` and writing ``path``."""

    def task(cancel: threading.Event, progress: Progress) -> tuple[Path, int]:
        progress(0, len(rows), f"Exporting {len(rows)} rows")
        cells = [[column.text(row) for column in columns] for row in rows]
        try:
            write_atomically(path, to_csv(headers, cells))
        except OSError as exc:
            raise ZtnaError(f"Could not write {path}: {exc.strerror or exc}.") from exc
        return path, len(rows)

    return task


class Exporter(QObject):
    """Asks where, then writes the CSV in a worker.

    Signals:
        exported(object, int): the path written and the number of rows.
    """

    exported = Signal(object, int)

    def __init__(self, runner: JobRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner, self._parent = runner, parent

    def export(self, table: Any) -> bool:
        """Export ``table``'s current view (a DataTable); False if there is none or no path."""
        if table is None:
            return False
        path = ask_save_path(self._parent, suggested_name(table.export_name))
        if path is None:
            return False
        headers, rows, columns = table.export_view()
        self._runner.start(
            "export",
            export_task(path, headers, rows, columns),
            succeeded=self._on_task_succeeded,
            failed=self._on_task_failed,
        )
        return True

    def _on_task_succeeded(self, result: tuple[Path, int]) -> None:
        self.exported.emit(result[0], result[1])

    def _on_task_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ZtnaError):
            messages.show_error(self._parent, "Export failed", exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)
