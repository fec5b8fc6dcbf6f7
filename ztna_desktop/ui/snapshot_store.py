"""The SQLite snapshot of one tenant behind the small ``SnapshotStore`` interface.

Each call opens its own connection (workers call from different threads) and a
lock keeps a save and a load from interleaving in this process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ztna_desktop.core.directory import Directory
from ztna_desktop.store import database, directory_store

log = logging.getLogger(__name__)


class SqliteSnapshot:
    """``SnapshotStore`` over ``store.directory_store`` at ``path`` (":memory:" is refused)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def for_tenant(cls, data_dir: Path, tenant_id: str) -> SqliteSnapshot:
        return cls(database.tenant_db_path(data_dir, tenant_id))

    def load(self) -> tuple[Directory, dict[str, datetime]] | None:
        """The saved directory and when each part was read; None if nothing was saved."""
        with self._lock:
            if not self.path.exists():
                return None
            conn = database.connect(self.path)
            try:
                directory, fetched = directory_store.load_directory(conn)
            finally:
                conn.close()
        return (directory, fetched) if fetched else None

    def save(self, directory: Directory, parts: Sequence[str], now: datetime) -> None:
        with self._lock:
            conn = database.connect(self.path)
            try:
                directory_store.save_directory(conn, directory, parts, now=now)
            finally:
                conn.close()
        log.info("saved %s to the local snapshot", ", ".join(parts))
