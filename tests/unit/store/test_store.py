"""Tests for the local store: private file, migrations, snapshot round trip."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from ztna_desktop.core.models import GuestUser, Identity
from ztna_desktop.store import database, snapshot


def _users() -> list[GuestUser]:
    return [
        GuestUser(
            id="b",
            display_name="Bob",
            mail="bob@gmail.com",
            user_principal_name="bob_gmail.com#EXT#@contoso.onmicrosoft.com",
            user_type="Guest",
            account_enabled=False,
            external_user_state="PendingAcceptance",
            external_user_state_changed=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            created=datetime(2026, 1, 1, tzinfo=UTC),
            creation_type="Invitation",
            identities=(Identity("userPrincipalName", "contoso.onmicrosoft.com", "bob"),),
            other_mails=("bob@gmail.com",),
        ),
        GuestUser(
            id="a",
            display_name="Alice",
            mail=None,
            user_principal_name="alice@contoso.com",
            user_type="Member",
            account_enabled=True,
        ),
    ]


def test_database_file_is_private_and_migrated(tmp_path):
    path = database.tenant_db_path(tmp_path, "contoso/../x")
    assert path.parent == tmp_path / "tenants"
    conn = database.connect(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert conn.execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    # Reopening applies nothing twice.
    database.connect(path).close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    conn = database.connect(path)
    conn.execute(f"PRAGMA user_version = {database.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(database.StoreError, match="newer ZTNA Desktop"):
        database.connect(path)


def test_corrupt_file_gives_store_error(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(database.StoreError, match="cannot be opened"):
        database.connect(path)


def test_snapshot_round_trip_replaces_rows():
    conn = database.connect(":memory:")
    assert snapshot.load_users(conn) == snapshot.Snapshot([], None)
    when = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert snapshot.save_users(conn, _users(), now=when) == 2
    loaded = snapshot.load_users(conn)
    assert loaded.fetched_at == when
    assert loaded.users == sorted(_users(), key=lambda u: u.display_name)
    snapshot.save_users(conn, _users()[:1])
    assert [u.id for u in snapshot.load_users(conn).users] == ["b"]
