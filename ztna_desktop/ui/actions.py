"""The window's actions, menus and toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from ztna_desktop import paths


def _icon(name: str) -> QIcon:
    path = paths.resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


class Actions:
    """Every QAction of the main window, parented to it (so shortcuts work window-wide)."""

    def __init__(self, window: QMainWindow) -> None:
        def make(
            text: str, shortcut: str | QKeySequence.StandardKey = "", icon: str = "", tip: str = ""
        ) -> QAction:
            action = QAction(_icon(icon) if icon else QIcon(), text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip or text.replace("&", "").rstrip("."))
            if tip:
                action.setToolTip(tip)
            window.addAction(action)
            return action

        self.sign_in = make("&Sign in\u2026", "Ctrl+Shift+I", "sign-in", "Sign in to the tenant")
        self.sign_out = make(
            "Sign &out", "Ctrl+Shift+O", "sign-out", "Sign out and forget the account"
        )
        self.refresh = make("&Refresh", "F5", "refresh", "Read the directory again (F5)")
        self.cancel = make("&Cancel loading", "Esc", "cancel", "Stop the running load (Esc)")
        self.export = make(
            "&Export current view\u2026", "Ctrl+E", tip="Save the table you see as CSV (Ctrl+E)"
        )
        self.find = make("&Find\u2026", QKeySequence.StandardKey.Find, tip="Search the guests")
        self.quit = make("&Quit", "Ctrl+Q", tip="Quit ZTNA Desktop")
        self.about = make("&About ZTNA Desktop", tip="Version and settings")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        # Esc must not steal the key from dialogs or the search box's own handling.
        self.cancel.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def install(self, window: QMainWindow) -> QToolBar:
        menu = window.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.export)
        account = menu.addMenu("&Account")
        account.addActions([self.sign_in, self.sign_out])
        account.addSeparator()
        account.addAction(self.quit)
        view = menu.addMenu("&View")
        view.addActions([self.refresh, self.cancel])
        view.addSeparator()
        view.addAction(self.find)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.about)

        toolbar = QToolBar("Main toolbar", window)
        toolbar.setObjectName("mainToolbar")  # saveState() needs a name
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.sign_in, self.sign_out])
        toolbar.addSeparator()
        toolbar.addActions([self.refresh, self.cancel])
        window.addToolBar(toolbar)
        return toolbar
