"""What a user owns and belongs to: /me/ownedObjects, /me/memberOf, /me/transitiveMemberOf and
the same under /users/{id} (+ casts, /$count)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator.graph_errors import bad_request, denied, not_found
from ztna_desktop.emulator.graph_objects import GROUP_READ, USER_READ, Collection, lookup, serve
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.state import State

OWNED_TYPES = frozenset(
    {
        "microsoft.graph.group",
        "microsoft.graph.servicePrincipal",
        "microsoft.graph.application",
        "microsoft.graph.device",
    }
)
MEMBER_OF_TYPES = frozenset(
    {"microsoft.graph.group", "microsoft.graph.directoryRole", "microsoft.graph.administrativeUnit"}
)
RELATIONS = {
    "ownedObjects": Collection("ownedObjects", OWNED_TYPES, False),
    "memberOf": Collection("memberOf", MEMBER_OF_TYPES, False),
    # Casts on transitiveMemberOf are advanced queries (reference §3.5).
    "transitiveMemberOf": Collection("transitiveMemberOf", MEMBER_OF_TYPES, True),
}


def _records(state: State, user_id: str, rel: str) -> list[Any]:
    world = state.world
    if rel == "ownedObjects":
        owned: list[Any] = [g for g in world.groups if user_id in g.owners]
        owned += [s for s in world.sps if user_id in s.owners]
        return sorted(owned, key=lambda r: r.id)
    direct = list(world.member_of.get(user_id, ()))
    if rel == "transitiveMemberOf":
        seen, stack = set(direct), list(direct)
        while stack:
            for parent in world.member_of.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        direct = list(seen)
    records: list[Any] = lookup(state, direct)
    records += [r for r in world.roles if user_id in r.members]
    return sorted(records, key=lambda r: r.id)


def _serve(
    state: State,
    request: Request,
    principal: Principal,
    user_id: str,
    base: str,
    rel: str,
    cast: str | None,
    count: bool,
) -> dict[str, Any] | int:
    collection = RELATIONS.get(rel)
    if collection is None:
        raise bad_request(f"Resource not found for the segment '{rel}'.", "BadRequest")
    records = _records(state, user_id, rel)
    path = f"{base}/{rel}"
    own = base == "/me"
    return serve(state, request, principal, collection, records, path, cast, count, own)


def me_relation(
    state: State,
    request: Request,
    principal: Principal,
    rel: str,
    cast: str | None = None,
    count: bool = False,
) -> dict[str, Any] | int:
    """GET /me/{ownedObjects|memberOf|transitiveMemberOf}[/cast][/$count] (least User.Read)."""
    if principal.is_app:
        raise bad_request("/me request is only valid with delegated authentication flow.")
    if not principal.has_any("User.Read", *USER_READ):
        raise denied()
    return _serve(state, request, principal, principal.oid or "", "/me", rel, cast, count)


def user_relation(
    state: State,
    request: Request,
    principal: Principal,
    key: str,
    rel: str,
    cast: str | None = None,
    count: bool = False,
) -> dict[str, Any] | int:
    """GET /users/{id}/{memberOf|transitiveMemberOf|ownedObjects}[/cast][/$count]."""
    if rel == "appRoleAssignments":
        from ztna_desktop.emulator.graph_apps import user_assignments

        if cast is not None or count:
            raise bad_request(f"Resource not found for the segment '{cast or '$count'}'.")
        return user_assignments(state, request, principal, key)
    if rel == "authentication":
        raise bad_request("Resource not found for the segment 'authentication'.", "BadRequest")
    if not principal.has_any(*USER_READ) or not principal.has_any(*GROUP_READ):
        raise denied()
    user = state.tenant.by_id.get(key.lower()) or state.tenant.by_upn.get(key.lower())
    if user is None:
        raise not_found(key)
    return _serve(state, request, principal, user.id, f"/users/{user.id}", rel, cast, count)
