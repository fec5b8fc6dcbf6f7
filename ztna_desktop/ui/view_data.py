"""Everything the read views show, derived from one Directory on the worker thread.

The GUI thread only swaps the prepared rows into the models; the indexes here
(parents, guests per group, guests per app) are the expensive part of a refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ztna_desktop.core.access import guests_with_access, parent_groups
from ztna_desktop.core.directory import Directory
from ztna_desktop.core.errors import ZtnaError
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.core.models import GuestUser
from ztna_desktop.ui.models import app_columns, group_columns, guest_columns, mfa_columns
from ztna_desktop.ui.models.prepared import PreparedRows, prepare_rows
from ztna_desktop.ui.models.rows import AppRow, GroupRow, GuestRow, MfaRow

#: Columns whose sort order is computed ahead (the default sort of each table).
_SORT_AHEAD = (0,)


@dataclass
class ViewData:
    """One snapshot of the directory, ready to show.

    Attributes:
        fetched_at: part name -> when it was read (see store.directory_store parts).
        from_cache: True when this came from the local snapshot, not from Graph.
        errors: part name -> why it could not be read ("mfa", "sign_ins", "owners" ...).
        notes: part name -> a remark worth showing (e.g. the per-user MFA fallback).
        owned: ids of the groups the signed-in person owns (None: not known).
    """

    directory: Directory
    now: datetime
    fetched_at: dict[str, datetime] = field(default_factory=dict)
    from_cache: bool = False
    errors: dict[str, ZtnaError] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    owned: frozenset[str] | None = None
    parents: dict[str, list[str]] = field(default_factory=dict)
    guest_ids_by_group: dict[str, frozenset[str]] = field(default_factory=dict)
    guests: PreparedRows[GuestRow] = field(default_factory=lambda: PreparedRows([]))
    groups: PreparedRows[GroupRow] = field(default_factory=lambda: PreparedRows([]))
    apps: PreparedRows[AppRow] = field(default_factory=lambda: PreparedRows([]))
    mfa: PreparedRows[MfaRow] = field(default_factory=lambda: PreparedRows([]))
    mfa_counts: dict[MfaMethod, int] = field(default_factory=dict)
    mfa_none: int = 0  # guests with no MFA registered (when MFA could be read)
    completions: list[str] = field(default_factory=list)
    completion_ids: dict[str, str] = field(default_factory=dict)

    def guest_list(self) -> list[GuestUser]:
        return [row.user for row in self.guests.rows]


def pending_days(user: GuestUser, now: datetime) -> int | None:
    """Days since the invitation was sent, for a guest who has not redeemed it."""
    if user.external_user_state != "PendingAcceptance":
        return None
    since = user.external_user_state_changed or user.created
    return max((now - since).days, 0) if since is not None else None


def guests_per_group(directory: Directory) -> dict[str, frozenset[str]]:
    """Group id -> ids of the guests in it, directly or through nested groups."""
    users = directory.users
    result: dict[str, frozenset[str]] = {}
    in_progress: set[str] = set()

    def visit(group_id: str) -> frozenset[str]:
        done = result.get(group_id)
        if done is not None:
            return done
        if group_id in in_progress:  # a cycle (Entra forbids them; a snapshot mid-change)
            return frozenset()
        in_progress.add(group_id)
        found: set[str] = set()
        for member in directory.members.get(group_id, ()):
            if member.kind == "group":
                found.update(visit(member.id))
            elif member.kind == "user":
                user = users.get(member.id)
                if user is not None and user.is_guest:
                    found.add(member.id)
        in_progress.discard(group_id)
        result[group_id] = frozenset(found)
        return result[group_id]

    for group_id in directory.groups:
        visit(group_id)
    return result


def completion_text(user: GuestUser) -> str:
    """What the access check's completer offers: ``Name <email>``."""
    return f"{user.display_name} <{user.email}>"


def build_view_data(
    directory: Directory,
    *,
    now: datetime,
    fetched_at: dict[str, datetime] | None = None,
    from_cache: bool = False,
    errors: dict[str, ZtnaError] | None = None,
    notes: dict[str, str] | None = None,
    owned: frozenset[str] | None = None,
) -> ViewData:
    """Rows, keys and indexes for every tab (runs on a worker thread)."""
    data = ViewData(
        directory,
        now,
        dict(fetched_at or {}),
        from_cache,
        dict(errors or {}),
        dict(notes or {}),
        owned,
    )
    guests = [u for u in directory.users.values() if u.is_guest]
    sign_ins = directory.sign_ins
    known = sign_ins is not None
    guest_rows = [
        GuestRow(u, sign_ins.get(u.id) if sign_ins else None, pending_days(u, now), known)
        for u in guests
    ]
    data.guests = prepare_rows(
        guest_columns.GUEST_COLUMNS, guest_rows, guest_columns.row_search_text, _SORT_AHEAD
    )
    data.parents = parent_groups(directory)
    data.guest_ids_by_group = guests_per_group(directory)
    owned_set = owned or frozenset()
    group_rows = [
        GroupRow(
            g,
            len(directory.members.get(g.id, ())),
            len(data.guest_ids_by_group.get(g.id, ())),
            g.id in owned_set,
        )
        for g in directory.groups.values()
    ]
    data.groups = prepare_rows(
        group_columns.GROUP_COLUMNS, group_rows, group_columns.search_text, _SORT_AHEAD
    )
    app_rows = []
    for app in directory.apps.values():
        if not app.assignment_required:
            continue
        assignments = directory.assignments.get(app.id, ())
        app_rows.append(
            AppRow(
                app,
                sum(1 for a in assignments if a.principal_type == "User"),
                sum(1 for a in assignments if a.principal_type == "Group"),
                len(guests_with_access(directory, app.id)),
            )
        )
    data.apps = prepare_rows(
        app_columns.APP_COLUMNS, app_rows, app_columns.search_text, _SORT_AHEAD
    )
    mfa = directory.mfa
    mfa_rows = []
    for user in guests:
        home = directory.home_tenants.get(user.id)
        trust = directory.mfa_trust_for(home) if home else None
        registration = mfa.get(user.id) if mfa is not None else None
        mfa_rows.append(MfaRow(user, registration, bool(trust and trust.is_mfa_accepted)))
    data.mfa_counts = dict.fromkeys(MfaMethod, 0)
    for row in mfa_rows:
        if row.registration is not None:
            for method in row.registration.methods:
                data.mfa_counts[method] += 1
        if not row.registered:
            data.mfa_none += 1
    data.mfa = prepare_rows(mfa_columns.MFA_COLUMNS, mfa_rows, mfa_columns.search_text, _SORT_AHEAD)
    data.completions = [completion_text(u) for u in guests]
    data.completion_ids = dict(zip(data.completions, (u.id for u in guests), strict=True))
    return data
