"""Seeded enterprise apps (service principals), their app roles and app role assignments.

The first one is the Sophos ZTNA gateway's app registration (fixed appId
ZTNA_GATEWAY_APP_ID, assignment required): assigned to the group "ZTNA Users"
(which nests "ZTNA Partner Engineers": its members get no access, as in Entra)
and directly to a few guests.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass, field

from ztna_desktop.emulator.seed import DAY, Tenant, UserRecord
from ztna_desktop.emulator.seed_groups import (
    PARTNER_PORTAL_USERS,
    ZTNA_PARTNER_ENGINEERS,
    ZTNA_USERS,
    GroupRecord,
)

#: The appId of the Sophos ZTNA gateway's app registration in the demo tenant (fixed).
ZTNA_GATEWAY_APP_ID = "5a0f3c6e-2b7d-4e19-8c4a-9d1e7f20b35c"
ZTNA_GATEWAY_NAME = "Sophos ZTNA Gateway"
DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000"
INTEGRATED = "WindowsAzureActiveDirectoryIntegratedApp"
MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

_APP_NAMES = (
    "Contoso Intranet", "Expense Portal", "Salesforce", "ServiceNow", "Workday", "Zoom",
    "Slack", "GitHub Enterprise", "Jira Cloud", "Confluence", "Box", "DocuSign", "Miro",
    "Adobe Sign", "Tableau", "SAP Concur", "Zendesk", "HubSpot", "Dropbox Business", "Figma",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AppRole:
    id: str
    value: str
    display_name: str
    member_types: tuple[str, ...] = ("User",)

    def json(self) -> dict[str, object]:
        return {
            "allowedMemberTypes": list(self.member_types),
            "description": f"{self.display_name} access",
            "displayName": self.display_name,
            "id": self.id,
            "isEnabled": True,
            "origin": "Application",
            "value": self.value,
        }


@dataclass(slots=True)
class ServicePrincipalRecord:
    id: str
    app_id: str
    display_name: str
    assignment_required: bool
    app_roles: tuple[AppRole, ...]
    tags: tuple[str, ...]
    created: int
    owner_org: str
    homepage: str | None = None
    owners: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AssignmentRecord:
    """An app role assignment (``appRoleAssignedTo`` of the app, ``appRoleAssignments`` of the
    principal); ``id`` is opaque like Graph's."""

    id: str
    app_role_id: str
    principal_id: str
    principal_type: str  # User | Group | ServicePrincipal
    principal_name: str
    resource_id: str
    resource_name: str
    created: int


@dataclass
class Apps:
    sps: list[ServicePrincipalRecord]
    assignments: list[AssignmentRecord]
    gateway: ServicePrincipalRecord
    direct_gateway_guests: list[str]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def assignment_id(principal_id: str, resource_id: str) -> str:
    """Graph's ids look like base64url of the principal id plus more bytes (opaque)."""
    raw = uuid.UUID(principal_id).bytes_le + uuid.uuid5(uuid.UUID(resource_id), principal_id).bytes
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _roles(rng: random.Random, *names: str) -> tuple[AppRole, ...]:
    return tuple(AppRole(_guid(rng), name.replace(" ", ""), name) for name in names)


def build_apps(
    tenant: Tenant,
    groups: list[GroupRecord],
    count: int,
) -> Apps:
    """``count`` (at least 6) service principals with assignments, deterministic."""
    rng = random.Random(f"apps:{tenant.seed}")
    by_name = {g.display_name: g for g in groups}
    users = tenant.users
    guests = [u for u in users if u.user_type == "Guest"]
    accepted = [u for u in guests if u.state == "Accepted" and u.enabled]
    members = [u for u in users if u.user_type == "Member"]
    owner = tenant.personas["owner"]
    sps: list[ServicePrincipalRecord] = []
    assignments: list[AssignmentRecord] = []

    def sp(
        name: str, app_id: str, required: bool, roles: tuple[AppRole, ...]
    ) -> ServicePrincipalRecord:
        record = ServicePrincipalRecord(
            id=_guid(rng),
            app_id=app_id,
            display_name=name,
            assignment_required=required,
            app_roles=roles,
            tags=(INTEGRATED,),
            created=tenant.created + rng.randrange(30, 5 * 365) * DAY,
            owner_org=tenant.tenant_id,
            homepage=f"https://{name.lower().replace(' ', '')}.example.com/",
        )
        sps.append(record)
        return record

    def assign(
        app: ServicePrincipalRecord, principal: UserRecord | GroupRecord, role: str | None = None
    ) -> None:
        if isinstance(principal, GroupRecord):
            kind, name = "Group", principal.display_name
        else:
            kind, name = "User", principal.display_name
        roles = [r.id for r in app.app_roles if "User" in r.member_types]
        assignments.append(
            AssignmentRecord(
                id=assignment_id(principal.id, app.id),
                app_role_id=role or (rng.choice(roles) if roles else DEFAULT_ACCESS),
                principal_id=principal.id,
                principal_type=kind,
                principal_name=name,
                resource_id=app.id,
                resource_name=app.display_name,
                created=max(app.created, tenant.anchor - rng.randrange(1, 700) * DAY),
            )
        )

    gateway = sp(ZTNA_GATEWAY_NAME, ZTNA_GATEWAY_APP_ID, True, ())
    gateway.homepage = None
    assign(gateway, by_name[ZTNA_USERS])
    nested = {m for m in by_name[ZTNA_PARTNER_ENGINEERS].members}
    in_ztna = set(by_name[ZTNA_USERS].members) | nested
    direct = [u for u in accepted if u.id not in in_ztna][: max(3, len(guests) // 2000)]
    pending = [u for u in guests if u.state == "PendingAcceptance" and u.id not in in_ztna][:1]
    disabled = [u for u in guests if not u.enabled and u.id not in in_ztna][:1]
    for user in (*direct, *pending, *disabled, members[-1]):
        assign(gateway, user)

    portal = sp("Partner Portal", _guid(rng), True, _roles(rng, "Reader", "Contributor"))
    portal.owners = [owner.id]
    assign(portal, by_name[PARTNER_PORTAL_USERS], portal.app_roles[0].id)
    for user in rng.sample(accepted, min(len(accepted), 5)):
        assign(portal, user, portal.app_roles[1].id)

    graph = sp("Microsoft Graph", GRAPH_APP_ID, False, ())
    graph.tags, graph.owner_org, graph.homepage = (), MICROSOFT_TENANT, None
    graph.app_roles = tuple(
        AppRole(_guid(rng), value, value, ("Application",))
        for value in ("User.Read.All", "Group.Read.All", "AuditLog.Read.All")
    )

    plain = [g for g in groups if not g.membership_rule and g.security_enabled]
    for index in range(3, count):
        name = _APP_NAMES[(index - 3) % len(_APP_NAMES)]
        if index - 3 >= len(_APP_NAMES):
            name = f"{name} {index}"
        roles = _roles(rng, "User", "Admin") if rng.random() < 0.5 else ()
        app = sp(name, _guid(rng), rng.random() < 0.6, roles)
        for group in rng.sample(plain, min(len(plain), rng.randrange(1, 4))):
            assign(app, group)
        for user in rng.sample(users, min(len(users), rng.randrange(0, 12))):
            assign(app, user)
    for app in sps:
        if not app.owners and app.owner_org == tenant.tenant_id:
            app.owners = [rng.choice(members).id]
    sps.sort(key=lambda s: s.id)
    assignments.sort(key=lambda a: a.id)
    return Apps(sps, assignments, gateway, [u.id for u in direct])
