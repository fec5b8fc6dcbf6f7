"""Save a picture of the main window once the guests have loaded, then quit (README images)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QTimer
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


#: The PNG of each tab, in tab order (README links these names).
TAB_FILES = ("guests", "groups", "apps", "mfa", "access")
SIZE = QSize(1280, 800)


class TabScreenshots(QObject):
    """One PNG per tab in ``folder`` once the refresh (MFA and sign-ins too) is over.

    Before each grab it selects something worth showing: the group with the most
    nesting, the ZTNA gateway app, a guest whose access check says something.
    """

    def __init__(self, window: QMainWindow, folder: Path) -> None:
        super().__init__(window)
        self._window, self._folder = window, folder
        self.exit_code = 1
        self._pending: list[str] = []
        self._fresh = False
        window.resize(SIZE)
        window.data_shown.connect(self._on_window_data_shown)  # type: ignore[attr-defined]
        window.refresh_finished.connect(self._on_window_refresh_finished)  # type: ignore[attr-defined]
        window.load_failed.connect(self._on_window_load_failed)  # type: ignore[attr-defined]
        QTimer.singleShot(GIVE_UP_MS * 5, self._on_give_up)

    def _on_window_data_shown(self, data: object) -> None:
        self._fresh = not getattr(data, "from_cache", True)

    def _on_window_refresh_finished(self) -> None:
        if not self._fresh or self._pending:
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        self._pending = list(TAB_FILES)
        self._prepare_next()

    def _prepare_next(self) -> None:
        if not self._pending:
            self.exit_code = 0
            QApplication.quit()
            return
        name = self._pending[0]
        tabs = self._window.tabs  # type: ignore[attr-defined]
        view = tabs.views[name]
        tabs.setCurrentWidget(view)
        _select_something(tabs, name)
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _grab(self) -> None:
        name = self._pending.pop(0)
        path = self._folder / f"{name}.png"
        if self._window.grab().save(str(path)):
            log.info("screenshot saved to %s", path)
        else:
            log.error("could not save the screenshot to %s", path)
            self._pending.clear()
            QApplication.quit()
            return
        self._prepare_next()

    def _on_window_load_failed(self, exc: object) -> None:
        log.error("no screenshots: loading failed: %s", exc)
        QApplication.quit()

    def _on_give_up(self) -> None:
        if self.exit_code != 0:
            log.error("no screenshots: the data did not load in time")
            QApplication.quit()


def _select_something(tabs: object, name: str) -> None:
    """Fill a detail pane with an example that shows what the tab can tell."""
    data = tabs.data  # type: ignore[attr-defined]
    if data is None:
        return
    if name == "groups":
        rows = data.groups.rows
        nested = [
            r for r in rows if any(m.kind == "group" for m in data.directory.members.get(r.id, ()))
        ]
        pick = max(
            nested or rows, key=lambda r: (r.guests > 0, r.guests < 40, r.guests), default=None
        )
        if pick is not None:
            tabs.groups.select_group(pick.id)  # type: ignore[attr-defined]
    elif name == "apps":
        gateway = next((r for r in data.apps.rows if r.app.is_ztna_gateway), None)
        if gateway is not None:
            tabs.apps.select_app(gateway.id)  # type: ignore[attr-defined]
    elif name == "access":
        from ztna_desktop.core.access import groups_of
        from ztna_desktop.ui.views.access_report import verdict_for

        best = None
        for row in data.guests.rows[:400]:
            groups = groups_of(row.id, data.parents)
            via_nesting = any(not p.direct for p in groups.values())
            verdict = verdict_for(data, row.id)
            score = (verdict.can_sign_in, via_nesting, len(groups))
            if best is None or score > best[0]:
                best = (score, row)
        if best is not None:
            view = tabs.access  # type: ignore[attr-defined]
            view.search_edit.setText(f"{best[1].user.display_name}")
            view.show_guest(best[1].id)
