"""Save a picture of the main window once the guests have loaded, then quit (README images)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

log = logging.getLogger(__name__)

SETTLE_MS = 400  # let the table lay out and paint before grabbing
GIVE_UP_MS = 60_000


class ScreenshotOnLoad(QObject):
    """Listens to the window's ``guests_loaded``/``load_failed``; sets ``exit_code``."""

    def __init__(self, window: QMainWindow, path: Path) -> None:
        super().__init__(window)
        self._window, self._path = window, path
        self.exit_code = 1
        window.guests_loaded.connect(self._on_window_guests_loaded)  # type: ignore[attr-defined]
        window.load_failed.connect(self._on_window_load_failed)  # type: ignore[attr-defined]
        QTimer.singleShot(GIVE_UP_MS, self._on_give_up)

    def _on_window_guests_loaded(self, _count: int) -> None:
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _grab(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        if self._window.grab().save(str(self._path)):
            log.info("screenshot saved to %s", self._path)
            self.exit_code = 0
        else:
            log.error("could not save the screenshot to %s", self._path)
        QApplication.quit()

    def _on_window_load_failed(self, exc: object) -> None:
        log.error("no screenshot: loading failed: %s", exc)
        QApplication.quit()

    def _on_give_up(self) -> None:
        if self.exit_code != 0:
            log.error("no screenshot: the guests did not load within %d s", GIVE_UP_MS // 1000)
            QApplication.quit()
