"""CSV export of a table's current view, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these is a formula to Excel and LibreOffice (CWE-1236);
# tab and carriage return can smuggle one past a naive check.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a formula-looking cell with an apostrophe so it is shown as text."""
    return "'" + cell if cell.startswith(_FORMULA_TRIGGERS) else cell


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Render rows as CSV text (RFC 4180 quoting, every cell neutralised)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return buf.getvalue()
