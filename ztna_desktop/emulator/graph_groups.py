"""Graph groups: /groups, /groups/{id}, members, transitiveMembers, owners (+ casts, /$count)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import bad_request, denied, not_found
from ztna_desktop.emulator.graph_objects import GROUP_READ, Collection, lookup, serve
from ztna_desktop.emulator.graph_schemas import GROUPS
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed_groups import GroupRecord
from ztna_desktop.emulator.state import State

MEMBER_TYPES = frozenset(
    {
        "microsoft.graph.user",
        "microsoft.graph.group",
        "microsoft.graph.servicePrincipal",
        "microsoft.graph.device",
        "microsoft.graph.orgContact",
    }
)
OWNER_TYPES = frozenset({"microsoft.graph.user", "microsoft.graph.servicePrincipal"})
# Casts on members/transitiveMembers are advanced queries (reference §0, §3.2); on owners not.
RELATIONS = {
    "members": Collection("members", MEMBER_TYPES, True),
    "transitiveMembers": Collection("transitiveMembers", MEMBER_TYPES, True),
    "owners": Collection("owners", OWNER_TYPES, False),
}


def _check(principal: Principal) -> None:
    if not principal.has_any(*GROUP_READ):
        raise denied()


def _group(state: State, key: str) -> GroupRecord:
    group = state.world.groups_by_id.get(key.lower())
    if group is None:
        raise not_found(key)
    return group


def list_groups(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _check(principal)
    query = odata.parse_query(
        GROUPS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    return odata.page(GROUPS, query, state.world.groups, state.graph_base, state.cursors)


def count_groups(state: State, request: Request, principal: Principal) -> int:
    _check(principal)
    args = list(request.args.items(multi=True))
    query = odata.count_query(GROUPS, args, request.headers, state.cursors)
    return odata.count(GROUPS, query, state.world.groups)


def get_group(state: State, request: Request, principal: Principal, key: str) -> dict[str, Any]:
    _check(principal)
    group = _group(state, key)
    args = [(k, v) for k, v in request.args.items(multi=True) if k.lower() == "$select"]
    query = odata.parse_query(GROUPS, args, request.headers, state.cursors)
    body = {"@odata.context": odata.context_url(state.graph_base, GROUPS, query, entity=True)}
    body.update(odata.render(query, group))
    return body


def transitive_member_ids(state: State, group: GroupRecord) -> list[str]:
    """Everyone under a group through any depth of nesting (nested groups included), sorted."""
    groups = state.world.groups_by_id
    seen: set[str] = set()
    stack = [group.id]
    visited = {group.id}
    while stack:
        current = groups[stack.pop()]
        for member in current.members:
            seen.add(member)
            if member in groups and member not in visited:
                visited.add(member)
                stack.append(member)
    seen.discard(group.id)
    return sorted(seen)


def relation(
    state: State,
    request: Request,
    principal: Principal,
    key: str,
    rel: str,
    cast: str | None = None,
    count: bool = False,
) -> dict[str, Any] | int:
    """GET /groups/{id}/{members|transitiveMembers|owners}[/cast][/$count]."""
    collection = RELATIONS.get(rel)
    if collection is None:
        raise bad_request(f"Resource not found for the segment '{rel}'.", "BadRequest")
    _check(principal)
    group = _group(state, key)
    if rel == "members":
        ids = group.members
    elif rel == "owners":
        ids = sorted(group.owners)
    else:
        ids = transitive_member_ids(state, group)
    path = f"/groups/{group.id}/{rel}"
    return serve(state, request, principal, collection, lookup(state, ids), path, cast, count)
