"""Graph app access: /servicePrincipals, appRoleAssignedTo, /users/{id}/appRoleAssignments."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import bad_request, denied, not_found
from ztna_desktop.emulator.graph_objects import APP_READ, USER_READ
from ztna_desktop.emulator.graph_schemas import APP_ROLE_ASSIGNMENTS, SERVICE_PRINCIPALS
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed_apps import ServicePrincipalRecord
from ztna_desktop.emulator.state import State

_APP_ID_KEY = re.compile(r"^\(appId='([^']*)'\)$")


def _check(principal: Principal) -> None:
    if not principal.has_any(*APP_READ):
        raise denied()


def _sp(state: State, key: str) -> ServicePrincipalRecord:
    world = state.world
    match = _APP_ID_KEY.match(key)
    if match:
        wanted = match.group(1).lower()
        for sp in world.sps:
            if sp.app_id == wanted:
                return sp
        raise not_found(f"appId '{match.group(1)}'")
    found = world.sps_by_id.get(key.lower())
    if found is None:
        raise not_found(key)
    return found


def list_sps(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _check(principal)
    query = odata.parse_query(
        SERVICE_PRINCIPALS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    return odata.page(SERVICE_PRINCIPALS, query, state.world.sps, state.graph_base, state.cursors)


def count_sps(state: State, request: Request, principal: Principal) -> int:
    _check(principal)
    args = list(request.args.items(multi=True))
    query = odata.count_query(SERVICE_PRINCIPALS, args, request.headers, state.cursors)
    return odata.count(SERVICE_PRINCIPALS, query, state.world.sps)


def get_sp(state: State, request: Request, principal: Principal, key: str) -> dict[str, Any]:
    _check(principal)
    sp = _sp(state, key)
    args = [(k, v) for k, v in request.args.items(multi=True) if k.lower() == "$select"]
    query = odata.parse_query(SERVICE_PRINCIPALS, args, request.headers, state.cursors)
    body = {
        "@odata.context": odata.context_url(
            state.graph_base, SERVICE_PRINCIPALS, query, entity=True
        )
    }
    body.update(odata.render(query, sp))
    return body


def _assignments_page(
    state: State, request: Request, records: list[Any], path: str
) -> dict[str, Any]:
    query = odata.parse_query(
        APP_ROLE_ASSIGNMENTS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    return odata.page(
        APP_ROLE_ASSIGNMENTS, query, records, state.graph_base, state.cursors, path=path
    )


def assigned_to(state: State, request: Request, principal: Principal, key: str) -> dict[str, Any]:
    """GET /servicePrincipals/{id}/appRoleAssignedTo: who is assigned to the app."""
    _check(principal)
    sp = _sp(state, key)
    records = state.world.assigned_to.get(sp.id, [])
    return _assignments_page(
        state, request, records, f"/servicePrincipals/{sp.id}/appRoleAssignedTo"
    )


def sp_relation(
    state: State, request: Request, principal: Principal, key: str, rel: str
) -> dict[str, Any]:
    if rel == "appRoleAssignedTo":
        return assigned_to(state, request, principal, key)
    if rel == "owners":
        from ztna_desktop.emulator.graph_objects import Collection, lookup, serve

        _check(principal)
        sp = _sp(state, key)
        owners = Collection("owners", frozenset({"microsoft.graph.user"}), False)
        body = serve(
            state, request, principal, owners, lookup(state, sorted(sp.owners)),
            f"/servicePrincipals/{sp.id}/owners",
        )  # fmt: skip
        assert isinstance(body, dict)
        return body
    raise bad_request(f"Resource not found for the segment '{rel}'.", "BadRequest")


def user_assignments(
    state: State, request: Request, principal: Principal, key: str
) -> dict[str, Any]:
    """GET /users/{id}/appRoleAssignments: the user's own assignments and those of the groups
    the user is a DIRECT member of (as Graph does; nested groups pass nothing on)."""
    if not principal.has_any(*USER_READ):
        raise denied()
    user = state.tenant.by_id.get(key.lower()) or state.tenant.by_upn.get(key.lower())
    if user is None:
        raise not_found(key)
    world = state.world
    records = list(world.assignments_of.get(user.id, ()))
    for group_id in world.member_of.get(user.id, ()):
        records += world.assignments_of.get(group_id, ())
    records.sort(key=lambda a: a.id)
    return _assignments_page(state, request, records, f"/users/{user.id}/appRoleAssignments")
