"""Everything in the demo tenant beyond its users: groups, apps, roles, MFA, partner tenants.

Built once per run from the Tenant (users) with the indexes the endpoints need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ztna_desktop.emulator import permissions as perms
from ztna_desktop.emulator.seed import Tenant, UserRecord
from ztna_desktop.emulator.seed_apps import (
    ZTNA_GATEWAY_APP_ID,
    AssignmentRecord,
    ServicePrincipalRecord,
    build_apps,
)
from ztna_desktop.emulator.seed_groups import (
    ZTNA_PARTNER_ENGINEERS,
    ZTNA_USERS,
    GroupRecord,
    build_groups,
    member_of_index,
    role_object_id,
)
from ztna_desktop.emulator.seed_mfa import (
    PartnerTenant,
    Registration,
    ReportRow,
    build_partners,
    build_registrations,
)

ROLE_NAMES = {
    perms.GLOBAL_READER: "Global Reader",
    perms.USER_ADMIN: "User Administrator",
    perms.GROUPS_ADMIN: "Groups Administrator",
    perms.HELPDESK_ADMIN: "Helpdesk Administrator",
}


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """An activated directory role (``directoryRole``)."""

    id: str
    template_id: str
    display_name: str
    members: tuple[str, ...]


@dataclass
class World:
    """Groups, apps, assignments, roles, registrations and partner tenants, indexed."""

    groups: list[GroupRecord]
    sps: list[ServicePrincipalRecord]
    assignments: list[AssignmentRecord]
    report_rows: list[ReportRow]  # sorted by user id, one per user
    partners: list[PartnerTenant]
    roles: list[RoleRecord]
    gateway: ServicePrincipalRecord
    nested_only_guest: str
    direct_gateway_guests: list[str]
    groups_by_id: dict[str, GroupRecord] = field(default_factory=dict)
    sps_by_id: dict[str, ServicePrincipalRecord] = field(default_factory=dict)
    member_of: dict[str, list[str]] = field(default_factory=dict)  # object -> direct groups
    registration_by_id: dict[str, Registration] = field(default_factory=dict)
    assigned_to: dict[str, list[AssignmentRecord]] = field(default_factory=dict)  # sp ->
    assignments_of: dict[str, list[AssignmentRecord]] = field(default_factory=dict)  # principal

    def __post_init__(self) -> None:
        self.groups_by_id = {g.id: g for g in self.groups}
        self.sps_by_id = {s.id: s for s in self.sps}
        self.member_of = member_of_index(self.groups)
        self.registration_by_id = {r.user.id: r.reg for r in self.report_rows}
        for a in self.assignments:
            self.assigned_to.setdefault(a.resource_id, []).append(a)
            self.assignments_of.setdefault(a.principal_id, []).append(a)

    def summary(self) -> dict[str, Any]:
        """The seed facts tests and people look for (part of emu.info)."""
        by_name = {g.display_name: g.id for g in self.groups}
        return {
            "ztna_gateway_sp_id": self.gateway.id,
            "ztna_users_group_id": by_name[ZTNA_USERS],
            "ztna_nested_group_id": by_name[ZTNA_PARTNER_ENGINEERS],
            "nested_only_guest_id": self.nested_only_guest,
            "direct_gateway_guest_ids": list(self.direct_gateway_guests),
            "groups": len(self.groups),
            "apps": len(self.sps),
            "partner_tenants": [
                {
                    "domain": p.domain,
                    "tenant_id": p.tenant_id,
                    "configured": p.configured,
                    "mfa_accepted": p.mfa_accepted,
                }
                for p in self.partners
            ],
        }


def build_world(tenant: Tenant, groups: int, apps: int) -> World:
    group_list = build_groups(tenant, max(12, groups))
    app_data = build_apps(tenant, group_list, max(6, apps))
    registrations = build_registrations(tenant)
    engineers = next(g for g in group_list if g.display_name == ZTNA_PARTNER_ENGINEERS)
    nested_only = engineers.members and _nested_only(tenant, engineers, group_list)
    return World(
        groups=group_list,
        sps=app_data.sps,
        assignments=app_data.assignments,
        report_rows=[ReportRow(u, registrations[u.id]) for u in tenant.users],
        partners=build_partners(tenant),
        roles=_roles(tenant),
        gateway=app_data.gateway,
        nested_only_guest=nested_only or "",
        direct_gateway_guests=app_data.direct_gateway_guests,
    )


def _nested_only(tenant: Tenant, engineers: GroupRecord, groups: list[GroupRecord]) -> str:
    """The guest in ZTNA Partner Engineers who is in no other group reaching the gateway."""
    ztna = next(g for g in groups if g.display_name == ZTNA_USERS)
    candidates: list[UserRecord] = [
        user
        for member in engineers.members
        if (user := tenant.by_id.get(member)) is not None
        and user.user_type == "Guest"
        and member not in ztna.members
    ]
    candidates.sort(key=lambda u: u.source != "entra")
    return candidates[0].id if candidates else ""


def _roles(tenant: Tenant) -> list[RoleRecord]:
    holders: dict[str, list[str]] = {}
    for name, user in tenant.personas.items():
        for template in perms.PERSONA_RIGHTS[name].roles:
            holders.setdefault(template, []).append(user.id)
    return sorted(
        (
            RoleRecord(
                role_object_id(tenant.tenant_id, template),
                template,
                ROLE_NAMES[template],
                tuple(sorted(ids)),
            )
            for template, ids in holders.items()
        ),
        key=lambda r: r.id,
    )


__all__ = ["ZTNA_GATEWAY_APP_ID", "RoleRecord", "World", "build_world"]
