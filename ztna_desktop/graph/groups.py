"""Groups, the groups the signed-in person owns, and each group's direct members and owners.

The ``*_request`` functions build the requests and the ``parse_*`` functions read
the answers, so that ``directory_reader`` can put them in its one batch stream;
the ``list_*`` / ``read_*`` functions are the same reads on their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ztna_desktop.core.directory import Group, Member
from ztna_desktop.core.errors import BadResponse, NotFound, ServiceError
from ztna_desktop.graph.batch import BatchItem, batch_pages
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import PAGE_SIZE

log = logging.getLogger(__name__)

GROUP_SELECT = "id,displayName,description,groupTypes,securityEnabled,mailEnabled"
_TYPE_PREFIX = "#microsoft.graph."


def groups_request() -> BatchItem:
    """Every group, 999 a page, only the columns the Groups tab shows."""
    return BatchItem("groups", f"/groups?$select={GROUP_SELECT}&$top={PAGE_SIZE}")


def owned_groups_request() -> BatchItem:
    """The groups the signed-in person owns (cast on ``/me/ownedObjects``).

    Graph documents casts on directory-object collections as advanced queries,
    so the header and ``$count=true`` go along.
    """
    return BatchItem(
        "owned",
        f"/me/ownedObjects/microsoft.graph.group?$select=id&$top={PAGE_SIZE}&$count=true",
        headers={"ConsistencyLevel": "eventual"},
    )


def members_request(group_id: str) -> BatchItem:
    """A group's direct members (each comes with ``@odata.type``)."""
    return BatchItem(f"m:{group_id}", f"/groups/{group_id}/members?$select=id&$top={PAGE_SIZE}")


def owners_request(group_id: str) -> BatchItem:
    """A group's owners."""
    return BatchItem(f"o:{group_id}", f"/groups/{group_id}/owners?$select=id&$top={PAGE_SIZE}")


def parse_group(obj: Any) -> Group:
    """A Graph group as a ``Group``; strict on id, lenient on the rest."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise _bad("a group has no id")
    types = obj.get("groupTypes") or []
    if not isinstance(types, list):
        raise _bad("groupTypes is not a list")
    return Group(
        id=obj["id"],
        display_name=str(obj.get("displayName") or ""),
        description=obj.get("description") if isinstance(obj.get("description"), str) else None,
        security_enabled=bool(obj.get("securityEnabled", True)),
        mail_enabled=bool(obj.get("mailEnabled", False)),
        group_types=tuple(str(t) for t in types),
    )


def parse_member(obj: Any) -> Member:
    """A directory object as a ``Member``: kind "user", "group", "device", "servicePrincipal" ..."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise _bad("a member has no id")
    odata_type = str(obj.get("@odata.type") or "")
    kind = odata_type[len(_TYPE_PREFIX) :] if odata_type.startswith(_TYPE_PREFIX) else "unknown"
    return Member(id=obj["id"], kind=kind or "unknown")


def object_ids(values: Iterable[Any]) -> tuple[str, ...]:
    """The ids of a page of directory objects."""
    out = []
    for obj in values:
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            raise _bad("a directory object has no id")
        out.append(obj["id"])
    return tuple(out)


def list_groups(client: GraphClient) -> list[Group]:
    """Every group in ceil(N/999) requests."""
    groups = [
        parse_group(obj)
        for page in client.iter_pages(groups_request().url)
        for obj in page["value"]
    ]
    log.info("Read %d groups", len(groups))
    return groups


def owned_group_ids(client: GraphClient) -> frozenset[str]:
    """Ids of the groups the signed-in person owns."""
    item = owned_groups_request()
    pages = client.iter_pages(item.url, headers=item.headers)
    return frozenset(gid for page in pages for gid in object_ids(page["value"]))


def read_members_and_owners(
    client: GraphClient, group_ids: Iterable[str]
) -> tuple[dict[str, tuple[Member, ...]], dict[str, tuple[str, ...]]]:
    """Direct members and owners of each group, through ``$batch`` (ceil(2G/20) requests).

    A group deleted since it was listed (404) is left out; other errors raise.
    """
    ids = list(dict.fromkeys(group_ids))
    items = [r for gid in ids for r in (members_request(gid), owners_request(gid))]
    errors: dict[str, ServiceError] = {}
    values = batch_pages(client, items, errors=errors)
    for key, exc in errors.items():
        if not isinstance(exc, NotFound):
            raise exc
        log.info("group %s vanished while reading it", key[2:])
    members = {
        gid: tuple(parse_member(v) for v in values[f"m:{gid}"])
        for gid in ids
        if f"m:{gid}" in values
    }
    owners = {gid: object_ids(values[f"o:{gid}"]) for gid in ids if f"o:{gid}" in values}
    return members, owners


def _bad(text: str) -> BadResponse:
    return BadResponse(
        f"Microsoft Graph sent unexpected data: {text}.", status=200, code="InvalidShape"
    )
