"""Enterprise apps (service principals) and who is assigned to them.

Which app is the Sophos ZTNA gateway's app registration: its ``appId`` differs
per tenant (each customer registers the gateway app in their own Entra ID), so
it is configured (``GatewayRule.app_ids``, or a ``tag`` put on the service
principal). With nothing configured the rule falls back to the display name
containing "ZTNA", which is how the Sophos setup guide names it and how the demo
tenant's "Sophos ZTNA Gateway" is found.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ztna_desktop.core.directory import DEFAULT_ACCESS_ROLE, AppAssignment, EnterpriseApp
from ztna_desktop.core.errors import BadResponse, NotFound, ServiceError
from ztna_desktop.graph.batch import BatchItem, batch_pages
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import PAGE_SIZE, parse_datetime

log = logging.getLogger(__name__)

APP_SELECT = "id,appId,displayName,appRoleAssignmentRequired,appRoles,tags"
ASSIGNMENT_SELECT = "id,appRoleId,principalId,principalType,principalDisplayName,createdDateTime"


@dataclass(frozen=True, slots=True)
class GatewayRule:
    """How to recognise the ZTNA gateway's service principal (see the module docstring)."""

    app_ids: frozenset[str] = frozenset()
    tag: str | None = None
    name_contains: str = "ZTNA"

    def matches(self, app_id: str, display_name: str, tags: Iterable[str]) -> bool:
        if self.app_ids or self.tag:
            wanted = {a.lower() for a in self.app_ids}
            return app_id.lower() in wanted or (self.tag is not None and self.tag in tags)
        return bool(self.name_contains) and self.name_contains.lower() in display_name.lower()


DEFAULT_GATEWAY_RULE = GatewayRule()


def apps_request() -> BatchItem:
    """Every service principal, 999 a page, only what the App access tab shows."""
    return BatchItem("apps", f"/servicePrincipals?$select={APP_SELECT}&$top={PAGE_SIZE}")


def assignments_request(sp_id: str) -> BatchItem:
    """Who is assigned to one app (users, groups, service principals)."""
    return BatchItem(
        f"a:{sp_id}",
        f"/servicePrincipals/{sp_id}/appRoleAssignedTo?$select={ASSIGNMENT_SELECT}"
        f"&$top={PAGE_SIZE}",
    )


def parse_app(obj: Any, rule: GatewayRule = DEFAULT_GATEWAY_RULE) -> EnterpriseApp:
    """A service principal as an ``EnterpriseApp`` (enabled roles only)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise _bad("a service principal has no id")
    roles = obj.get("appRoles") or []
    tags = obj.get("tags") or []
    if not isinstance(roles, list) or not isinstance(tags, list):
        raise _bad("appRoles or tags is not a list")
    app_id = str(obj.get("appId") or "")
    name = str(obj.get("displayName") or "")
    return EnterpriseApp(
        id=obj["id"],
        app_id=app_id,
        display_name=name,
        assignment_required=bool(obj.get("appRoleAssignmentRequired")),
        is_ztna_gateway=rule.matches(app_id, name, [str(t) for t in tags]),
        app_roles=tuple(
            (str(r["id"]), str(r.get("displayName") or r.get("value") or r["id"]))
            for r in roles
            if isinstance(r, dict) and r.get("id") and r.get("isEnabled", True)
        ),
    )


def parse_assignment(obj: Any, sp_id: str) -> AppAssignment:
    """An ``appRoleAssignment`` of app ``sp_id``."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise _bad("an app role assignment has no id")
    principal = obj.get("principalId")
    if not isinstance(principal, str) or not principal:
        raise _bad("an app role assignment has no principalId")
    return AppAssignment(
        id=obj["id"],
        app_id=sp_id,
        principal_id=principal,
        principal_type=str(obj.get("principalType") or ""),
        principal_name=str(obj.get("principalDisplayName") or ""),
        app_role_id=str(obj.get("appRoleId") or DEFAULT_ACCESS_ROLE),
        created=parse_datetime(obj.get("createdDateTime")),
    )


def list_enterprise_apps(
    client: GraphClient, rule: GatewayRule = DEFAULT_GATEWAY_RULE
) -> list[EnterpriseApp]:
    """Every service principal in ceil(N/999) requests, the ZTNA gateway marked."""
    apps = [
        parse_app(obj, rule)
        for page in client.iter_pages(apps_request().url)
        for obj in page["value"]
    ]
    log.info("Read %d service principals", len(apps))
    return apps


def read_assignments(
    client: GraphClient, app_ids: Iterable[str]
) -> dict[str, tuple[AppAssignment, ...]]:
    """Assignments of each app (service principal object ids), ceil(A/20) requests.

    An app deleted since it was listed (404) is left out; other errors raise.
    """
    ids = list(dict.fromkeys(app_ids))
    errors: dict[str, ServiceError] = {}
    values = batch_pages(client, [assignments_request(i) for i in ids], errors=errors)
    for exc in errors.values():
        if not isinstance(exc, NotFound):
            raise exc
    return {
        sp: tuple(parse_assignment(v, sp) for v in values[f"a:{sp}"])
        for sp in ids
        if f"a:{sp}" in values
    }


def _bad(text: str) -> BadResponse:
    return BadResponse(
        f"Microsoft Graph sent unexpected data: {text}.", status=200, code="InvalidShape"
    )
