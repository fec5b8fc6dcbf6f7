"""Every message box the app shows, and a switch to log them instead.

This is the only module that builds a QMessageBox. Tests and ``--smoke-test``
call ``set_log_only(True)`` so that nothing ever blocks on a modal dialog; the
questions then get their default answer.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from ztna_desktop.core.errors import ServiceError, ZtnaError

log = logging.getLogger(__name__)

_log_only = False


def set_log_only(value: bool) -> None:
    """Log messages instead of showing them (tests, smoke runs)."""
    global _log_only
    _log_only = value


def log_only() -> bool:
    return _log_only


def error_text(exc: BaseException) -> str:
    """The readable text of an expected failure (with its request id, if any)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, ServiceError) and exc.request_id and exc.request_id not in text:
        text += f" (request id {exc.request_id})"
    return text


def show_error(parent: QWidget | None, title: str, exc: ZtnaError | str) -> None:
    """Show an expected failure: its readable text, no traceback."""
    text = exc if isinstance(exc, str) else error_text(exc)
    if _log_only:
        log.warning("[message] %s: %s", title, text)
        return
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    if _log_only:
        log.info("[message] %s: %s", title, text)
        return
    QMessageBox.information(parent, title, text)


def show_about(parent: QWidget | None, title: str, html: str) -> None:
    if _log_only:
        log.info("[message] %s: %s", title, html)
        return
    QMessageBox.about(parent, title, html)


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, default: bool = False) -> bool:
    """Ask a yes/no question; in log-only mode answer ``default``."""
    if _log_only:
        log.info("[question] %s: %s -> %s (log-only)", title, text, "yes" if default else "no")
        return default
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, yes | no, yes if default else no)
    return answer == yes


def show_crash(parent: QWidget | None, summary: str, details: str, log_path: str) -> None:
    """Tell the person something went wrong in the app itself, with the traceback."""
    if _log_only:
        log.error("[crash] %s (log: %s)", summary, log_path)
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("ZTNA Desktop: unexpected error")
    box.setText(f"Something went wrong inside ZTNA Desktop:\n{summary}")
    box.setInformativeText(
        f"The details are in the log file:\n{log_path}\n\n"
        "You can keep working, but save your work and restart if things look odd."
    )
    box.setDetailedText(details)
    box.exec()
