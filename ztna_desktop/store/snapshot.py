"""The directory snapshot: what was last read from Graph, so views open instantly and offline."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ztna_desktop.core.models import GuestUser, Identity

_USER_COLUMNS = (
    "id, display_name, mail, user_principal_name, user_type, account_enabled, "
    "external_user_state, external_user_state_changed, created, creation_type, "
    "company_name, identities, other_mails"
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Rows of one view and when they were read."""

    users: list[GuestUser]
    fetched_at: datetime | None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _user_row(user: GuestUser) -> tuple[object, ...]:
    return (
        user.id,
        user.display_name,
        user.mail,
        user.user_principal_name,
        user.user_type,
        int(user.account_enabled),
        user.external_user_state,
        _iso(user.external_user_state_changed),
        _iso(user.created),
        user.creation_type,
        user.company_name,
        json.dumps([[i.sign_in_type, i.issuer, i.issuer_assigned_id] for i in user.identities]),
        json.dumps(list(user.other_mails)),
    )


def _user_from_row(row: tuple[object, ...]) -> GuestUser:
    (uid, name, mail, upn, utype, enabled, state, changed, created, ctype, company, ids, others) = (
        row
    )
    return GuestUser(
        id=str(uid),
        display_name=str(name),
        mail=mail if mail is None else str(mail),
        user_principal_name=str(upn),
        user_type=str(utype),
        account_enabled=bool(enabled),
        external_user_state=state if state is None else str(state),
        external_user_state_changed=_dt(changed if changed is None else str(changed)),
        created=_dt(created if created is None else str(created)),
        creation_type=ctype if ctype is None else str(ctype),
        company_name=company if company is None else str(company),
        identities=tuple(Identity(*entry) for entry in json.loads(str(ids))),
        other_mails=tuple(json.loads(str(others))),
    )


def save_users(
    conn: sqlite3.Connection, users: Iterable[GuestUser], *, now: datetime | None = None
) -> int:
    """Replace the users snapshot in one transaction; returns the row count."""
    rows = [_user_row(u) for u in users]
    fetched = (now or datetime.now(UTC)).isoformat()
    with conn:
        conn.execute("DELETE FROM users")
        conn.executemany(f"INSERT INTO users ({_USER_COLUMNS}) VALUES ({','.join('?' * 13)})", rows)
        conn.execute(
            "INSERT OR REPLACE INTO snapshot_meta (view, fetched_at, row_count) VALUES (?, ?, ?)",
            ("users", fetched, len(rows)),
        )
    return len(rows)


def load_users(conn: sqlite3.Connection) -> Snapshot:
    """The last saved users, in display-name order, and when they were read (None if never)."""
    meta = conn.execute("SELECT fetched_at FROM snapshot_meta WHERE view = 'users'").fetchone()
    rows = conn.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY display_name").fetchall()
    return Snapshot([_user_from_row(r) for r in rows], _dt(meta[0]) if meta else None)
