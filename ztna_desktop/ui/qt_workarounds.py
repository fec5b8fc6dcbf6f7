"""Work around defects of particular Qt for Python releases, once, at import of ``ui``."""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

#: Added to the singletons' reference counts where PySide drops references.
_PIN = 1 << 40


def pin_true_on_pyside_6_12(version: str | None = None) -> bool:
    """WORKAROUND: PySide6 6.12.0's ``SignalInstance.emit()`` drops a reference to ``True``
    on every call. On Python 3.11 ``True`` is not immortal (it is from 3.12 on), so after
    a few hundred emits CPython aborts with "bool_dealloc: deallocating True or False".
    6.11.3 does not do it. Until the project pins a fixed release, give ``True`` so many
    references that it can never reach zero, which is what Python 3.12 does anyway.

    Returns True when the workaround was applied.
    """
    if version is None:
        import PySide6

        version = PySide6.__version__
    if sys.version_info >= (3, 12) or not version.startswith("6.12."):
        return False
    for singleton in (True, False, None):  # None was seen dropped too (bench, 100k rows)
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _PIN:
            refcount.value += _PIN
    log.debug("PySide6 %s on Python 3.11: pinned True/False/None against a refcount bug", version)
    return True
