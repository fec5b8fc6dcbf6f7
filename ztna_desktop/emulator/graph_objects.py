"""directoryObject collections (members, owners, memberOf, ownedObjects): types, casts, paging.

Items of a mixed collection carry ``@odata.type`` and, without ``$select``, the default
properties of their own type; ``$select`` picks, per item, the named properties its type
has. A cast (``/members/microsoft.graph.user``) narrows the collection to one type and
answers it like that type's own collection (no ``@odata.type`` on the items).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import (
    ADVANCED_HINT,
    GraphError,
    bad_request,
    unsupported_query,
)
from ztna_desktop.emulator.graph_schemas import DIRECTORY_ROLES, GROUPS, SERVICE_PRINCIPALS
from ztna_desktop.emulator.graph_users import READ_USERS, USERS
from ztna_desktop.emulator.odata_schema import EntitySet, Prop
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed import UserRecord
from ztna_desktop.emulator.seed_apps import ServicePrincipalRecord
from ztna_desktop.emulator.seed_groups import GroupRecord
from ztna_desktop.emulator.state import State
from ztna_desktop.emulator.world import RoleRecord

# Casts: the URL segment -> entity set of that type.
CASTS: dict[str, EntitySet] = {
    "microsoft.graph.user": USERS,
    "microsoft.graph.group": GROUPS,
    "microsoft.graph.servicePrincipal": SERVICE_PRINCIPALS,
    "microsoft.graph.directoryRole": DIRECTORY_ROLES,
}
# Types Graph knows in directoryObject collections but the demo tenant has none of.
EMPTY_CASTS = {
    "microsoft.graph.device",
    "microsoft.graph.orgContact",
    "microsoft.graph.application",
    "microsoft.graph.administrativeUnit",
}
GROUP_READ = (
    "GroupMember.Read.All",
    "GroupMember.ReadBasic.All",
    "Group.Read.All",
    "GroupMember.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
)
APP_READ = ("Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All")
USER_READ = ("User.ReadBasic.All", *READ_USERS)
Record = UserRecord | GroupRecord | ServicePrincipalRecord | RoleRecord


def eset_of(record: Any) -> EntitySet:
    if isinstance(record, UserRecord):
        return USERS
    if isinstance(record, GroupRecord):
        return GROUPS
    if isinstance(record, ServicePrincipalRecord):
        return SERVICE_PRINCIPALS
    return DIRECTORY_ROLES


def _union() -> EntitySet:
    """directoryObject as the engine sees it: every property any member type has."""
    props: dict[str, Prop] = {}
    for eset in (USERS, GROUPS, SERVICE_PRINCIPALS, DIRECTORY_ROLES):
        for prop in eset.props:
            if prop.name == "signInActivity" or prop.name in props:
                continue
            props[prop.name] = Prop(
                prop.name,
                _dispatch(prop.name),
                edm=prop.edm,
                filter_ops=prop.filter_ops,
                search=prop.search,
                orderby=prop.orderby,
                sub=prop.sub,
            )
    return EntitySet("directoryObjects", "microsoft.graph.directoryObject", "DirectoryObject",
                     list(props.values()))  # fmt: skip


def _dispatch(name: str) -> Any:
    def get(record: Any) -> Any:
        prop = eset_of(record).prop(name)
        return prop.get(record) if prop is not None else None

    return get


DIRECTORY_OBJECTS = _union()


def readable(principal: Principal, record: Any) -> bool:
    """Without read rights on a member's type, Graph returns only its type and id."""
    if isinstance(record, UserRecord):
        return principal.has_any(*USER_READ)
    if isinstance(record, ServicePrincipalRecord):
        return principal.has_any(*APP_READ)
    return True


def render(
    query: odata.Query, principal: Principal | None, record: Any, typed: bool
) -> dict[str, Any]:
    """One item; ``principal`` None: no per-type read check (the caller's own objects)."""
    eset = eset_of(record)
    out: dict[str, Any] = {"@odata.type": f"#{eset.type_name}"} if typed else {}
    if query.explicit_select:
        props = [p for p in (eset.prop(q.name) for q in query.select) if p is not None]
    else:
        props = eset.defaults
    full = principal is None or readable(principal, record)
    for prop in props:
        value = prop.get(record) if full or prop.name == "id" else None
        if value is not None or not prop.omit_null:
            out[prop.name] = value
    return out


def lookup(state: State, ids: Iterable[str]) -> list[Any]:
    """The objects behind ids (users, groups, service principals), unknown ids skipped."""
    world, users = state.world, state.tenant.by_id
    out: list[Any] = []
    for object_id in ids:
        record: Any = users.get(object_id) or world.groups_by_id.get(object_id)
        record = record or world.sps_by_id.get(object_id)
        if record is not None:
            out.append(record)
    return out


@dataclass(frozen=True)
class Collection:
    """One directoryObject relationship: what it may hold and whether casts need the headers."""

    name: str  # members | transitiveMembers | owners | memberOf | ownedObjects
    holds: frozenset[str]  # cast names allowed
    cast_needs_advanced: bool


def _cast_set(collection: Collection, cast: str | None) -> EntitySet | None:
    if cast is None:
        return None
    if cast not in CASTS and cast not in EMPTY_CASTS:
        raise bad_request(f"Resource not found for the segment '{cast}'.", "BadRequest")
    if cast not in collection.holds:
        raise unsupported_query(
            f"The type '{cast}' is not a valid type for the '{collection.name}' relationship."
        )
    return CASTS.get(cast)


def _args(request: Request, count_segment: bool) -> list[tuple[str, str]]:
    args = list(request.args.items(multi=True))
    if count_segment:
        args = [(k, v) for k, v in args if k.lower() != "$count"] + [("$count", "true")]
    return args


def serve(
    state: State,
    request: Request,
    principal: Principal,
    collection: Collection,
    records: list[Any],
    path: str,
    cast: str | None = None,
    count_segment: bool = False,
    own: bool = False,
) -> dict[str, Any] | int:
    """Answer a directoryObject relationship (a page, or the bare count for ``/$count``).

    ``records`` must be sorted by id; ``path`` is the relationship's path under /v1.0
    (without the cast), used for nextLink. ``own``: the caller's own relationships (/me),
    readable in full with User.Read.
    """
    if count_segment and not odata.has_eventual_header(request.headers):
        raise bad_request("$count is not currently supported.")
    cast_set = _cast_set(collection, cast)
    advanced = count_segment or odata.is_advanced(request.args, request.headers)
    if cast is not None and collection.cast_needs_advanced and not advanced:
        raise unsupported_query(
            f"OData cast on '{collection.name}' is not supported because the required "
            f"parameters might be missing. {ADVANCED_HINT}"
        )
    if cast is not None:
        records = [r for r in records if cast_set is not None and eset_of(r) is cast_set]
    eset = cast_set or DIRECTORY_OBJECTS
    args = _args(request, count_segment)
    if collection.cast_needs_advanced and not advanced:
        used = {k.lower() for k, _ in args}
        for option in ("$filter", "$search", "$orderby"):
            if option in used:
                raise unsupported_query(
                    f"'{option}' on '{collection.name}' is not supported because the required "
                    f"parameters might be missing. {ADVANCED_HINT}"
                )
    query = odata.parse_query(eset, args, request.headers, state.cursors)
    if any(p.name == "signInActivity" for p in query.select):
        raise GraphError(400, "BadRequest", "signInActivity is not supported on this path.")
    if count_segment:
        return odata.count(eset, query, records)
    full_path = f"{path}/{cast}" if cast else path
    body = odata.page(
        eset,
        query,
        records,
        state.graph_base,
        state.cursors,
        path=full_path,
        renderer=lambda r: render(query, None if own else principal, r, typed=cast is None),
    )
    if cast is None:
        body["@odata.context"] = odata.context_url(state.graph_base, DIRECTORY_OBJECTS, query)
    return body
