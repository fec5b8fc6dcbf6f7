"""Bugs: log them with their traceback and tell the person where the log is."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication

from ztna_desktop.ui import messages

log = logging.getLogger(__name__)

_ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class CrashHandler:
    """``sys.excepthook`` replacement; ``report()`` is also used for worker bugs."""

    def __init__(self, log_path: str) -> None:
        self.log_path = log_path
        self._previous: _ExceptHook | None = None
        self._reporting = False

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self._hook

    def uninstall(self) -> None:
        if self._previous is not None and sys.excepthook == self._hook:
            sys.excepthook = self._previous
        self._previous = None

    def _hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self.report(exc, tb)

    def report(self, exc: BaseException, tb: TracebackType | None = None) -> None:
        """Log the bug and show the crash dialog (once at a time: no dialog storms)."""
        tb = tb or exc.__traceback__
        details = "".join(traceback.format_exception(type(exc), exc, tb))
        log.critical("unexpected error\n%s", details.rstrip())
        if self._reporting:
            return
        self._reporting = True
        try:
            summary = f"{type(exc).__name__}: {exc}"
            messages.show_crash(QApplication.activeWindow(), summary, details, self.log_path)
        finally:
            self._reporting = False
