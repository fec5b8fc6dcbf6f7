"""Tests for the directory snapshot: round trip, partial saves, unreadable parts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ztna_desktop.core.directory import (
    AppAssignment,
    Directory,
    EnterpriseApp,
    Group,
    Member,
    MfaRegistration,
    MfaTrust,
    SignIn,
)
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.core.models import GuestUser
from ztna_desktop.store import database
from ztna_desktop.store.directory_store import (
    ACTIVITY_PARTS,
    DIRECTORY_PARTS,
    load_directory,
    save_directory,
)

T1 = datetime(2026, 11, 1, tzinfo=UTC)
T2 = datetime(2026, 11, 2, tzinfo=UTC)


def _directory() -> Directory:
    d = Directory()
    d.users["u1"] = GuestUser("u1", "Ann", "ann@x.com", "ann_x.com#EXT#@c", "Guest", True)
    d.groups["g1"] = Group("g1", "Partners", "desc", True, False, ("DynamicMembership",))
    d.groups["g2"] = Group("g2", "Inner", None, True, False)
    d.members = {"g1": (Member("u1", "user"), Member("g2", "group")), "g2": ()}
    d.owners = {"g1": ("u9",)}
    d.apps["sp"] = EnterpriseApp("sp", "app", "Gateway", True, True, (("r1", "User"),))
    d.assignments = {"sp": (AppAssignment("a1", "sp", "g1", "Group", "Partners", "r1", T1),)}
    d.mfa = {"u1": MfaRegistration("u1", frozenset({MfaMethod.SMS, MfaMethod.VOICE}), True, "sms")}
    d.sign_ins = {"u1": SignIn(T1, T2, None)}
    d.mfa_trust_default = MfaTrust(None, False)
    d.mfa_trust_partners = {"t1": MfaTrust("t1", True, "Fabrikam")}
    d.home_tenants = {"u1": "t1"}
    return d


@pytest.fixture
def conn():
    c = database.connect(":memory:")
    yield c
    c.close()


def _comparable(d: Directory) -> Directory:
    """Members come back grouped per group; empty groups are not stored as such."""
    d.members = {gid: ms for gid, ms in d.members.items() if ms}
    return d


def test_round_trip_every_part(conn):
    save_directory(conn, _directory(), DIRECTORY_PARTS + ACTIVITY_PARTS, now=T1)
    loaded, fetched = load_directory(conn)
    assert loaded == _comparable(_directory())
    assert fetched == dict.fromkeys(DIRECTORY_PARTS + ACTIVITY_PARTS, T1)


def test_never_read_activity_loads_as_unknown(conn):
    save_directory(conn, _directory(), DIRECTORY_PARTS, now=T1)
    loaded, fetched = load_directory(conn)
    assert loaded.mfa is None
    assert loaded.sign_ins is None
    assert "mfa" not in fetched


def test_partial_save_keeps_other_parts_and_unreadable_mfa_keeps_old_rows(conn):
    save_directory(conn, _directory(), DIRECTORY_PARTS + ACTIVITY_PARTS, now=T1)
    newer = Directory(groups={"g3": Group("g3", "New", None, True, False)})
    newer.mfa = None  # e.g. a 403 this time
    save_directory(conn, newer, ("groups", "mfa"), now=T2)
    loaded, fetched = load_directory(conn)
    assert set(loaded.groups) == {"g3"}
    assert fetched["groups"] == T2
    assert loaded.users == _directory().users
    assert loaded.mfa == _directory().mfa
    assert fetched["mfa"] == T1


def test_unknown_part_is_refused(conn):
    with pytest.raises(ValueError, match="unknown snapshot parts"):
        save_directory(conn, Directory(), ("everything",))


def test_migration_from_schema_1_keeps_the_users_snapshot(tmp_path):
    path = tmp_path / "db.sqlite3"
    conn = database.connect(path)
    save_directory(conn, _directory(), ("users",), now=T1)
    # Pretend this file was written by the version that knew only schema 1.
    conn.executescript(
        "DROP TABLE groups; DROP TABLE members; DROP TABLE owners; DROP TABLE apps;"
        "DROP TABLE assignments; DROP TABLE mfa; DROP TABLE sign_ins; DROP TABLE mfa_trust;"
        "DROP TABLE home_tenants; PRAGMA user_version = 1;"
    )
    conn.close()
    conn = database.connect(path)
    loaded, _ = load_directory(conn)
    assert set(loaded.users) == {"u1"}
    conn.close()
