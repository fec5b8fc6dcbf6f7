"""Open a tenant's SQLite database: private file, WAL, forward-only migrations.

The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS[i]`` takes a
database from version ``i`` to ``i + 1``. A database newer than this build is
refused rather than guessed at.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from pathlib import Path

from ztna_desktop.core.errors import ZtnaError

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the directory snapshot behind the Guests tab.
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        mail TEXT,
        user_principal_name TEXT NOT NULL,
        user_type TEXT NOT NULL,
        account_enabled INTEGER NOT NULL,
        external_user_state TEXT,
        external_user_state_changed TEXT,
        created TEXT,
        creation_type TEXT,
        company_name TEXT,
        identities TEXT NOT NULL DEFAULT '[]',
        other_mails TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE snapshot_meta (
        view TEXT PRIMARY KEY,
        fetched_at TEXT NOT NULL,
        row_count INTEGER NOT NULL
    );
    """,
    # 1 -> 2: the rest of the directory behind the groups, apps, MFA and access views.
    """
    CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        description TEXT,
        security_enabled INTEGER NOT NULL,
        mail_enabled INTEGER NOT NULL,
        group_types TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE members (
        group_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (group_id, member_id)
    );
    CREATE TABLE owners (
        group_id TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        PRIMARY KEY (group_id, owner_id)
    );
    CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        assignment_required INTEGER NOT NULL,
        is_ztna_gateway INTEGER NOT NULL,
        app_roles TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE assignments (
        id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        principal_type TEXT NOT NULL,
        principal_name TEXT NOT NULL,
        app_role_id TEXT NOT NULL,
        created TEXT,
        PRIMARY KEY (app_id, id)
    );
    CREATE TABLE mfa (
        user_id TEXT PRIMARY KEY,
        methods TEXT NOT NULL,
        is_mfa_registered INTEGER NOT NULL,
        preferred TEXT,
        from_report INTEGER NOT NULL
    );
    CREATE TABLE sign_ins (
        user_id TEXT PRIMARY KEY,
        last_sign_in TEXT,
        last_successful_sign_in TEXT,
        last_non_interactive_sign_in TEXT
    );
    CREATE TABLE mfa_trust (
        tenant_id TEXT PRIMARY KEY,  -- '' is the default policy
        is_mfa_accepted INTEGER NOT NULL,
        name TEXT NOT NULL
    );
    CREATE TABLE home_tenants (
        user_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(ZtnaError):
    """The local database cannot be used (corrupt, newer than this build, unwritable)."""


def tenant_db_path(data_dir: Path, tenant_id: str) -> Path:
    """One file per tenant; the id is reduced to a safe file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", tenant_id) or "default"
    return data_dir / "tenants" / f"{safe}.sqlite3"


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the database at ``path``.

    ``":memory:"`` gives a throw-away database (tests, demo).
    """
    if str(path) != ":memory:":
        _create_private(Path(path))
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The local database {path} cannot be opened: {exc}.") from exc
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen, each in its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The local database was written by a newer ZTNA Desktop (schema {version}, "
            f"this build knows {SCHEMA_VERSION}). Update the app."
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        log.info("migrating local database to schema %d", target)
        with conn:
            conn.executescript(
                "BEGIN;" + MIGRATIONS[target - 1] + f";PRAGMA user_version = {target};"
            )
