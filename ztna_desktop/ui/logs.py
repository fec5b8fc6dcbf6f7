"""Logging for the GUI: a rotating file plus stderr, Qt's messages routed in, secrets redacted."""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

LOG_FILE_NAME = "ztna-desktop.log"
_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"

_PATTERNS = (
    # JWTs (access and id tokens): three base64url parts, the first starting with eyJ.
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "<redacted-jwt>"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 <redacted>"),
    # key=value / "key": "value" for anything that is or yields a credential.
    (
        re.compile(
            r"(?i)(\"?\b(?:access_token|refresh_token|id_token|client_secret|device_code|"
            r"code_verifier|assertion|password|code)\"?\s*[:=]\s*\"?)[^\"&\s,}]+"
        ),
        r"\1<redacted>",
    ),
)

# Offscreen/xcb chatter that is not worth a warning.
_QT_NOISE = ("propagateSizeHints", "This plugin does not support")


def redact(text: str) -> str:
    """Replace anything that looks like a token or secret."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrite each record (message and traceback) before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def _qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = _QT_LEVELS.get(mode, logging.WARNING)
    if level == logging.WARNING and any(noise in message for noise in _QT_NOISE):
        level = logging.DEBUG
    category = context.category if context is not None and context.category else "qt"
    _qt_log.log(level, "[%s] %s", category, message)


class LoggingSetup:
    """Install the handlers once for one run of the GUI and take them away after."""

    def __init__(self, log_dir: Path, *, stderr_level: int = logging.WARNING) -> None:
        self.log_path = log_dir / LOG_FILE_NAME
        self._stderr_level = stderr_level
        self._handlers: list[logging.Handler] = []
        self._previous_level = logging.NOTSET
        self._previous_qt_handler: object = None
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        root = logging.getLogger()
        redactor = RedactingFilter()
        formatter = logging.Formatter(_FORMAT)
        file_handler = RotatingFileHandler(
            self.log_path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setLevel(logging.INFO)
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setLevel(self._stderr_level)
        for handler in (file_handler, stderr_handler):
            handler.addFilter(redactor)
            handler.setFormatter(formatter)
            root.addHandler(handler)
            self._handlers.append(handler)
        self._previous_level = root.level
        root.setLevel(min(logging.INFO, root.level or logging.INFO))
        self._previous_qt_handler = qInstallMessageHandler(_qt_message_handler)
        self._installed = True

    def uninstall(self) -> None:
        if not self._installed:
            return
        root = logging.getLogger()
        for handler in self._handlers:
            root.removeHandler(handler)
            handler.close()
        self._handlers.clear()
        root.setLevel(self._previous_level)
        qInstallMessageHandler(self._previous_qt_handler)  # type: ignore[arg-type]
        self._installed = False
