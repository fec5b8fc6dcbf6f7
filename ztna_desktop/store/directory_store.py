"""Save and load the whole directory snapshot, part by part.

A refresh saves only the parts it read: the directory read saves users, groups,
members, owners, apps, assignments, trust and home tenants; the activity read
saves MFA and sign-ins. A part that was not read keeps what the last read saved,
and a part never read loads as None where the Directory allows it (MFA, sign-ins).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

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
from ztna_desktop.store import snapshot

DIRECTORY_PARTS = (
    "users",
    "groups",
    "members",
    "owners",
    "apps",
    "assignments",
    "trust",
    "home_tenants",
)
ACTIVITY_PARTS = ("mfa", "sign_ins")
PARTS = DIRECTORY_PARTS + ACTIVITY_PARTS


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _replace(conn: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> int:
    conn.execute(f"DELETE FROM {table}")
    if rows:
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    return len(rows)


def _group_rows(d: Directory) -> list[tuple[object, ...]]:
    return [
        (
            g.id,
            g.display_name,
            g.description,
            int(g.security_enabled),
            int(g.mail_enabled),
            json.dumps(g.group_types),
        )
        for g in d.groups.values()
    ]


def _member_rows(d: Directory) -> list[tuple[object, ...]]:
    return [(gid, m.id, m.kind) for gid, members in d.members.items() for m in members]


def _owner_rows(d: Directory) -> list[tuple[object, ...]]:
    return [(gid, oid) for gid, owners in d.owners.items() for oid in owners]


def _app_rows(d: Directory) -> list[tuple[object, ...]]:
    return [
        (
            a.id,
            a.app_id,
            a.display_name,
            int(a.assignment_required),
            int(a.is_ztna_gateway),
            json.dumps(a.app_roles),
        )
        for a in d.apps.values()
    ]


def _assignment_rows(d: Directory) -> list[tuple[object, ...]]:
    return [
        (
            a.id,
            a.app_id,
            a.principal_id,
            a.principal_type,
            a.principal_name,
            a.app_role_id,
            _iso(a.created),
        )
        for assignments in d.assignments.values()
        for a in assignments
    ]


def _mfa_rows(d: Directory) -> list[tuple[object, ...]]:
    return [
        (
            r.user_id,
            json.dumps(sorted(m.name for m in r.methods)),
            int(r.is_mfa_registered),
            r.preferred,
            int(r.from_report),
        )
        for r in (d.mfa or {}).values()
    ]


def _sign_in_rows(d: Directory) -> list[tuple[object, ...]]:
    return [
        (
            uid,
            _iso(s.last_sign_in),
            _iso(s.last_successful_sign_in),
            _iso(s.last_non_interactive_sign_in),
        )
        for uid, s in (d.sign_ins or {}).items()
    ]


def _trust_rows(d: Directory) -> list[tuple[object, ...]]:
    trusts = list(d.mfa_trust_partners.values())
    if d.mfa_trust_default is not None:
        trusts.append(d.mfa_trust_default)
    return [(t.tenant_id or "", int(t.is_mfa_accepted), t.name) for t in trusts]


def _home_rows(d: Directory) -> list[tuple[object, ...]]:
    return list(d.home_tenants.items())


_WRITERS: dict[str, tuple[str, Callable[[Directory], list[tuple[object, ...]]]]] = {
    "groups": ("groups", _group_rows),
    "members": ("members", _member_rows),
    "owners": ("owners", _owner_rows),
    "apps": ("apps", _app_rows),
    "assignments": ("assignments", _assignment_rows),
    "mfa": ("mfa", _mfa_rows),
    "sign_ins": ("sign_ins", _sign_in_rows),
    "trust": ("mfa_trust", _trust_rows),
    "home_tenants": ("home_tenants", _home_rows),
}


def save_directory(
    conn: sqlite3.Connection,
    directory: Directory,
    parts: Iterable[str],
    *,
    now: datetime | None = None,
) -> None:
    """Replace the given parts in one transaction and stamp each with ``now``.

    MFA or sign-ins that are None (not readable) are not saved: the old rows stay.
    """
    stamp = (now or datetime.now(UTC)).isoformat()
    wanted = list(parts)
    unknown = set(wanted) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown snapshot parts: {sorted(unknown)}")
    if "users" in wanted:
        snapshot.save_users(conn, directory.users.values(), now=now)
    with conn:
        for part in wanted:
            if part == "users" or (part == "mfa" and directory.mfa is None):
                continue
            if part == "sign_ins" and directory.sign_ins is None:
                continue
            table, rows_of = _WRITERS[part]
            count = _replace(conn, table, rows_of(directory))
            conn.execute(
                "INSERT OR REPLACE INTO snapshot_meta (view, fetched_at, row_count) "
                "VALUES (?, ?, ?)",
                (part, stamp, count),
            )


def load_directory(conn: sqlite3.Connection) -> tuple[Directory, dict[str, datetime]]:
    """The whole snapshot and when each part was read (parts never read are absent)."""
    fetched = {
        view: datetime.fromisoformat(at)
        for view, at in conn.execute("SELECT view, fetched_at FROM snapshot_meta")
    }
    d = Directory(users={u.id: u for u in snapshot.load_users(conn).users})
    for gid, name, desc, sec, mail, types in conn.execute("SELECT * FROM groups"):
        d.groups[gid] = Group(gid, name, desc, bool(sec), bool(mail), tuple(json.loads(types)))
    members: dict[str, list[Member]] = {}
    for gid, mid, kind in conn.execute("SELECT * FROM members ORDER BY rowid"):
        members.setdefault(gid, []).append(Member(mid, kind))
    d.members = {gid: tuple(ms) for gid, ms in members.items()}
    owners: dict[str, list[str]] = {}
    for gid, oid in conn.execute("SELECT * FROM owners ORDER BY rowid"):
        owners.setdefault(gid, []).append(oid)
    d.owners = {gid: tuple(os) for gid, os in owners.items()}
    for sid, app_id, name, required, gateway, roles in conn.execute("SELECT * FROM apps"):
        d.apps[sid] = EnterpriseApp(
            sid,
            app_id,
            name,
            bool(required),
            bool(gateway),
            tuple((rid, rname) for rid, rname in json.loads(roles)),
        )
    assignments: dict[str, list[AppAssignment]] = {}
    for aid, app_id, pid, ptype, pname, role, created in conn.execute(
        "SELECT * FROM assignments ORDER BY rowid"
    ):
        assignments.setdefault(app_id, []).append(
            AppAssignment(aid, app_id, pid, ptype, pname, role, _dt(created))
        )
    d.assignments = {app_id: tuple(items) for app_id, items in assignments.items()}
    if "mfa" in fetched:
        d.mfa = {
            uid: MfaRegistration(
                uid,
                frozenset(MfaMethod[name] for name in json.loads(methods)),
                bool(registered),
                preferred,
                bool(from_report),
            )
            for uid, methods, registered, preferred, from_report in conn.execute(
                "SELECT * FROM mfa"
            )
        }
    if "sign_ins" in fetched:
        d.sign_ins = {
            uid: SignIn(_dt(last), _dt(ok), _dt(quiet))
            for uid, last, ok, quiet in conn.execute("SELECT * FROM sign_ins")
        }
    for tid, accepted, name in conn.execute("SELECT * FROM mfa_trust"):
        trust = MfaTrust(tid or None, bool(accepted), name)
        if tid:
            d.mfa_trust_partners[tid] = trust
        else:
            d.mfa_trust_default = trust
    d.home_tenants = dict(conn.execute("SELECT * FROM home_tenants").fetchall())
    return d, fetched
