"""How old a view's data is, in words: "Updated 3 min ago", "from cache, 2 days old"."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget


def age_text(delta_seconds: float) -> str:
    """A rough age: "just now", "3 min", "2 h", "5 days"."""
    seconds = max(int(delta_seconds), 0)
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def freshness_text(fetched_at: datetime | None, now: datetime, *, from_cache: bool) -> str:
    """The label text for data read at ``fetched_at`` (None: never read)."""
    if fetched_at is None:
        return "Not read yet"
    age = age_text((now - fetched_at).total_seconds())
    if from_cache:
        return "From cache, saved just now" if age == "just now" else f"From cache, {age} old"
    return "Updated just now" if age == "just now" else f"Updated {age} ago"


class FreshnessLabel(QLabel):
    """A small grey label each tab shows above its table; ``tick`` re-words it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("freshness")
        self.setStyleSheet("color: palette(mid);")
        self._fetched_at: datetime | None = None
        self._from_cache = False
        self._extra = ""

    def set_fetched(
        self, fetched_at: datetime | None, *, from_cache: bool, extra: str = ""
    ) -> None:
        self._fetched_at, self._from_cache, self._extra = fetched_at, from_cache, extra
        self.setToolTip(
            fetched_at.astimezone().strftime("Read %Y-%m-%d %H:%M") if fetched_at else ""
        )

    def tick(self, now: datetime) -> None:
        text = freshness_text(self._fetched_at, now, from_cache=self._from_cache)
        self.setText(f"{text}{self._extra}")
