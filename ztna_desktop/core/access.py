"""Who is in which group, who can reach which app, and "can this guest get in, and if not, why".

Entra honours group-based app assignment only for *direct* members of the
assigned group: nested groups do not pass an assignment on (Entra docs,
"Assign users and groups to an application"). The explainer says so instead of
pretending otherwise.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from ztna_desktop.core.directory import AppAssignment, Directory, EnterpriseApp


@dataclass(frozen=True, slots=True)
class GroupPath:
    """How a principal is in a group: ``via`` is empty for a direct member."""

    group_id: str
    via: tuple[str, ...] = ()  # intermediate group ids, outermost last

    @property
    def direct(self) -> bool:
        return not self.via


@dataclass(frozen=True, slots=True)
class AppAccess:
    """One app a user may (or, through nesting only, may not) sign in to."""

    app: EnterpriseApp
    assignment: AppAssignment | None  # None: the app requires no assignment
    through_group: str | None = None  # group id of a group assignment
    effective: bool = True  # False: only through a nested group, which Entra ignores


@dataclass(frozen=True, slots=True)
class Verdict:
    """The plain-language answer, with the reasons behind it."""

    can_sign_in: bool
    summary: str
    reasons: tuple[str, ...] = ()


def parent_groups(directory: Directory) -> dict[str, list[str]]:
    """Invert membership: principal id -> the groups it is a direct member of."""
    parents: dict[str, list[str]] = {}
    for group_id, members in directory.members.items():
        for member in members:
            parents.setdefault(member.id, []).append(group_id)
    return parents


def groups_of(principal_id: str, parents: dict[str, list[str]]) -> dict[str, GroupPath]:
    """Every group a user (or group) is in, direct and nested, with the shortest path.

    Breadth first, so the first path found is the shortest; cycles (which Entra
    forbids but a snapshot mid-change may show) end because visited groups are skipped.
    """
    found: dict[str, GroupPath] = {}
    queue: deque[tuple[str, tuple[str, ...]]] = deque(
        (g, ()) for g in parents.get(principal_id, ())
    )
    while queue:
        group_id, via = queue.popleft()
        if group_id in found:
            continue
        found[group_id] = GroupPath(group_id, via)
        for outer in parents.get(group_id, ()):
            queue.append((outer, (*via, group_id)))
    return found


def transitive_members(directory: Directory, group_id: str) -> dict[str, tuple[str, ...]]:
    """Users in a group, direct and through nested groups: user id -> the via path."""
    users: dict[str, tuple[str, ...]] = {}
    seen = {group_id}
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(group_id, ())])
    while queue:
        current, via = queue.popleft()
        for member in directory.members.get(current, ()):
            if member.kind == "group":
                if member.id not in seen:
                    seen.add(member.id)
                    queue.append((member.id, (*via, member.id)))
            elif member.kind == "user" and member.id not in users:
                users[member.id] = via
    return users


def app_access_for(
    directory: Directory, user_id: str, groups: dict[str, GroupPath]
) -> list[AppAccess]:
    """The apps a user is assigned to, directly or through a group.

    Apps that require no assignment are open to every user and are not listed.
    """
    result: list[AppAccess] = []
    for app_id, assignments in directory.assignments.items():
        app = directory.apps.get(app_id)
        if app is None:
            continue
        best: AppAccess | None = None
        for assignment in assignments:
            if assignment.principal_type == "User" and assignment.principal_id == user_id:
                best = AppAccess(app, assignment)
                break
            path = groups.get(assignment.principal_id)
            if assignment.principal_type == "Group" and path is not None:
                candidate = AppAccess(app, assignment, path.group_id, effective=path.direct)
                if best is None or (candidate.effective and not best.effective):
                    best = candidate
        if best is not None:
            result.append(best)
    return sorted(result, key=lambda a: (not a.effective, a.app.display_name.lower()))


def guests_with_access(directory: Directory, app_id: str) -> dict[str, AppAccess]:
    """Guests who can sign in to an app that requires assignment: guest id -> how."""
    app = directory.apps[app_id]
    result: dict[str, AppAccess] = {}
    for assignment in directory.assignments.get(app_id, ()):
        if assignment.principal_type == "User":
            user = directory.users.get(assignment.principal_id)
            if user is not None and user.is_guest:
                result[user.id] = AppAccess(app, assignment)
        elif assignment.principal_type == "Group":
            # Direct members only: Entra does not pass assignments through nesting.
            for member in directory.members.get(assignment.principal_id, ()):
                user = directory.users.get(member.id)
                if member.kind == "user" and user is not None and user.is_guest:
                    result.setdefault(user.id, AppAccess(app, assignment, assignment.principal_id))
    return result


def explain(
    directory: Directory,
    user_id: str,
    *,
    now: datetime,
    require_accepted: bool = True,
) -> Verdict:
    """Can this guest sign in to ZTNA (the gateway app), and if not, why.

    Checks, in the order a person would: the account exists and is enabled; the
    invitation is redeemed; the ZTNA gateway app lets them in (assignment when
    required, and only through a direct group membership); then MFA, which does
    not block here but is worth a line.
    """
    user = directory.users.get(user_id)
    if user is None:
        return Verdict(False, "Cannot sign in: no such user in this tenant.")
    reasons: list[str] = []
    if not user.account_enabled:
        return Verdict(False, "Cannot sign in: the account is disabled.")
    if require_accepted and user.external_user_state == "PendingAcceptance":
        since = user.external_user_state_changed or user.created
        waited = f" (invited {(now - since).days} days ago)" if since else ""
        return Verdict(False, f"Cannot sign in: invitation not redeemed{waited}.")
    gateways = [a for a in directory.apps.values() if a.is_ztna_gateway]
    if not gateways:
        return Verdict(False, "Unknown: the Sophos ZTNA gateway app is not in this tenant.")
    gateway = gateways[0]
    groups = groups_of(user_id, parent_groups(directory))
    if gateway.assignment_required:
        access = next(
            (a for a in app_access_for(directory, user_id, groups) if a.app.id == gateway.id),
            None,
        )
        if access is None:
            return Verdict(
                False,
                f"Cannot sign in: not assigned to {gateway.display_name}, "
                "directly or through a group.",
            )
        if not access.effective:
            assert access.through_group is not None
            path = groups[access.through_group]
            inner = _group_name(directory, path.via[0])
            outer = _group_name(directory, access.through_group)
            return Verdict(
                False,
                f"Cannot sign in: {gateway.display_name} is assigned to group {outer}, "
                f"but this guest is in it only through nested group {inner}; "
                "Entra does not pass app assignments through nested groups.",
            )
        how = (
            f"through group {_group_name(directory, access.through_group)}"
            if access.through_group
            else "by a direct assignment"
        )
        summary = f"Can sign in to ZTNA {how}."
    else:
        summary = f"Can sign in to ZTNA: {gateway.display_name} does not require assignment."
    reasons.extend(_mfa_lines(directory, user_id))
    return Verdict(True, summary, tuple(reasons))


def _group_name(directory: Directory, group_id: str | None) -> str:
    group = directory.groups.get(group_id or "")
    return group.display_name if group else str(group_id)


def _mfa_lines(directory: Directory, user_id: str) -> list[str]:
    lines: list[str] = []
    trust = directory.mfa_trust_for(directory.home_tenants.get(user_id))
    if directory.home_tenants.get(user_id) and trust and trust.is_mfa_accepted:
        lines.append("MFA done in the guest's home tenant is trusted.")
    if directory.mfa is None:
        lines.append("MFA registration could not be read.")
    elif (reg := directory.mfa.get(user_id)) is None or not reg.is_mfa_registered:
        lines.append("No MFA method registered in this tenant.")
    else:
        names = ", ".join(sorted(m.value for m in reg.methods)) or "a method"
        lines.append(f"MFA registered: {names}.")
    return lines
