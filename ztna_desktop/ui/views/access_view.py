"""The Access check tab (help-desk): pick a guest, read one panel, get a plain verdict."""

from __future__ import annotations

import html

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.ui.freshness import FreshnessLabel
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.views.access_report import BAD, GOOD, report_html, verdict_for
from ztna_desktop.ui.views.common import heading

PROMPT = "Type a guest's name or email, then pick them from the list."
NOT_FOUND = "No guest matches \u201c{text}\u201d."


class AccessView(QWidget):
    """Search with completion over guests; the verdict in large type; the details below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ViewData | None = None
        self.user_id: str | None = None
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("accessSearch")
        self.search_edit.setPlaceholderText("Guest name or email")
        self.search_edit.setClearButtonEnabled(True)
        self.completions = QStringListModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.search_edit.setCompleter(self.completer)
        self.completer.activated.connect(self._on_completer_activated)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.check_button = QPushButton("Check", self)
        self.check_button.clicked.connect(self._on_search_edit_return_pressed)
        self.freshness = FreshnessLabel(self)

        self.name_label = heading(PROMPT, self, size=1.25)
        self.name_label.setObjectName("accessName")
        self.name_label.setWordWrap(True)
        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("accessVerdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.verdict_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.reasons_label = QLabel(self)
        self.reasons_label.setObjectName("accessReasons")
        self.reasons_label.setWordWrap(True)
        self.details = QTextBrowser(self)
        self.details.setObjectName("accessDetails")
        self.details.setOpenLinks(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("Guest:", self))
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.check_button)
        top.addSpacing(12)
        top.addWidget(self.freshness)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.name_label)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.details, 1)
        self._clear()

    def set_data(self, data: ViewData) -> None:
        previous, self.data = self.data, data
        if previous is None or previous.completions != data.completions:
            self.completions.setStringList(data.completions)  # 100k names: ~15 ms
        if self.user_id is not None and self.user_id in data.directory.users:
            self.show_guest(self.user_id)
        else:
            self._clear()

    def show_guest(self, user_id: str) -> bool:
        """Check one guest; False if it is not in the data."""
        data = self.data
        if data is None or user_id not in data.directory.users:
            return False
        self.user_id = user_id
        user = data.directory.users[user_id]
        self.name_label.setText(f"{user.display_name}  <{user.email}>")
        verdict = verdict_for(data, user_id)
        color = GOOD if verdict.can_sign_in else BAD
        mark = "\u2714" if verdict.can_sign_in else "\u2716"
        self.verdict_label.setStyleSheet(f"color: {color};")
        self.verdict_label.setText(f"{mark} {verdict.summary}")
        self.reasons_label.setText("".join(f"\u2022 {html.escape(r)}<br>" for r in verdict.reasons))
        self.reasons_label.setVisible(bool(verdict.reasons))
        self.details.setHtml(report_html(data, user_id))
        return True

    def verdict_text(self) -> str:
        return self.verdict_label.text()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def export_table(self) -> None:
        return None  # a report, not a table

    def _clear(self) -> None:
        self.user_id = None
        self.name_label.setText(PROMPT)
        self.verdict_label.clear()
        self.reasons_label.clear()
        self.reasons_label.hide()
        self.details.clear()

    def _on_completer_activated(self, text: str) -> None:
        if self.data is not None and text in self.data.completion_ids:
            self.show_guest(self.data.completion_ids[text])

    def _on_search_edit_return_pressed(self) -> None:
        data = self.data
        text = self.search_edit.text().strip()
        if data is None or not text:
            return
        if text in data.completion_ids:
            self.show_guest(data.completion_ids[text])
            return
        folded = text.casefold()
        for candidate in data.completions:
            if folded in candidate.casefold():
                self.show_guest(data.completion_ids[candidate])
                self.search_edit.setText(candidate)
                return
        self._clear()
        self.name_label.setText(NOT_FOUND.format(text=text))
