"""Seeded groups: security and Microsoft 365, a few dynamic, nested a few levels, with owners.

Special groups come first (fixed names the tests and the docs refer to); generic
groups follow. A group only ever contains groups made after it, so nesting has no
cycles. Member lists hold object ids sorted by id (the paging order).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ztna_desktop.emulator.seed import DAY, Tenant, UserRecord, derived_guid

UNIFIED = "Unified"
DYNAMIC = "DynamicMembership"

# Names of the special groups (also in emu.info["ztna"] where they matter).
ZTNA_USERS = "ZTNA Users"
ZTNA_PARTNER_ENGINEERS = "ZTNA Partner Engineers"
ZTNA_PARTNER_ENGINEERS_EMEA = "ZTNA Partner Engineers - EMEA"
FABRIKAM_DYNAMIC = "Fabrikam Guests (dynamic)"
ALL_PARTNER_GUESTS = "All Partner Guests"
PROJECT_APOLLO = "Project Apollo"
NORTHWIND_DYNAMIC = "Northwind Partners (dynamic)"
HELPDESK_TEAM = "Helpdesk Team"
IT_ADMINS = "IT Admins"
PARTNER_PORTAL_USERS = "Partner Portal Users"
EXTERNAL_REVIEWERS = "External Reviewers"
SECURITY_ALERTS = "Security Alerts"

_TOPICS = (
    "Sales", "Marketing", "Finance", "Engineering", "Legal", "Support", "Research", "Design",
    "Operations", "Procurement", "Logistics", "Quality", "Training", "Facilities", "Audit",
)  # fmt: skip
_REGIONS = ("EMEA", "APAC", "Americas", "Nordics", "DACH", "Iberia", "Benelux", "UK")
_PROJECTS = ("Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Falcon", "Gemini", "Helix")


@dataclass(slots=True)
class GroupRecord:
    """One group; ``members``/``owners`` are object ids (users, groups), sorted by id."""

    id: str
    display_name: str
    description: str | None
    security_enabled: bool
    mail_enabled: bool
    group_types: tuple[str, ...]
    membership_rule: str | None
    created: int
    mail_nickname: str
    visibility: str | None
    is_assignable_to_role: bool = False
    members: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)

    @property
    def mail(self) -> str | None:
        return f"{self.mail_nickname}@contoso.onmicrosoft.com" if self.mail_enabled else None

    @property
    def is_unified(self) -> bool:
        return UNIFIED in self.group_types


def _guid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _nickname(name: str) -> str:
    return "".join(c for c in name if c.isalnum())[:56] or "group"


class _Builder:
    def __init__(self, tenant: Tenant, rng: random.Random) -> None:
        self.tenant, self.rng = tenant, rng
        self.groups: list[GroupRecord] = []
        users = tenant.users
        self.guests = [u for u in users if u.user_type == "Guest"]
        self.accepted = [u for u in self.guests if u.state == "Accepted" and u.enabled]
        self.members = [u for u in users if u.user_type == "Member" and not u.persona]
        self.owner_pool = self.members or list(tenant.personas.values())

    def make(
        self,
        name: str,
        kind: str = "security",
        rule: str | None = None,
        description: str | None = None,
    ) -> GroupRecord:
        rng = self.rng
        unified = kind == "m365"
        types = (UNIFIED,) if unified else ()
        if rule:
            types = (DYNAMIC, *types)
        group = GroupRecord(
            id=_guid(rng),
            display_name=name,
            description=description or f"{name} ({'Microsoft 365' if unified else kind} group)",
            security_enabled=kind != "m365",
            mail_enabled=kind in ("m365", "mail-security"),
            group_types=types,
            membership_rule=rule,
            created=self.tenant.created + rng.randrange(30, 5 * 365) * DAY + rng.randrange(DAY),
            mail_nickname=_nickname(name)
            + (f"{len(self.groups)}" if len(self.groups) > 11 else ""),
            visibility=("Private" if rng.random() < 0.3 else "Public") if unified else None,
        )
        self.groups.append(group)
        return group

    def pick(self, pool: list[UserRecord], count: int, avoid: set[str] | None = None) -> list[str]:
        if not pool or count <= 0:
            return []
        chosen = self.rng.sample(pool, min(count, len(pool)))
        return [u.id for u in chosen if not avoid or u.id not in avoid]


def build_groups(tenant: Tenant, count: int) -> list[GroupRecord]:
    """The tenant's groups (``count`` at least 12), deterministic for the tenant's seed."""
    rng = random.Random(f"groups:{tenant.seed}")
    b = _Builder(tenant, rng)
    personas = tenant.personas
    guests = len(b.guests)
    accepted = b.accepted

    ztna = b.make(ZTNA_USERS, description="Everyone who may use Sophos ZTNA")
    engineers = b.make(ZTNA_PARTNER_ENGINEERS, description="Partner engineers (nested in ZTNA)")
    emea = b.make(ZTNA_PARTNER_ENGINEERS_EMEA, description="EMEA partner engineers")
    fabrikam = b.make(
        FABRIKAM_DYNAMIC,
        rule='(user.userType -eq "Guest") and (user.companyName -eq "Fabrikam")',
        description="Every guest from Fabrikam",
    )
    partners = b.make(ALL_PARTNER_GUESTS, description="Guests of partner organisations")
    apollo = b.make(PROJECT_APOLLO, kind="m365", description="Project Apollo team")
    northwind = b.make(
        NORTHWIND_DYNAMIC,
        kind="m365",
        rule='(user.userType -eq "Guest") and (user.companyName -eq "Northwind Traders")',
    )
    helpdesk = b.make(HELPDESK_TEAM)
    admins = b.make(IT_ADMINS, description="IT administrators")
    admins.is_assignable_to_role = True
    portal = b.make(PARTNER_PORTAL_USERS, description="May use the Partner Portal")
    reviewers = b.make(EXTERNAL_REVIEWERS, description="External reviewers (nested)")
    alerts = b.make(SECURITY_ALERTS, kind="mail-security", description="Security alert mail")

    # The nesting chain ZTNA Users > Partner Engineers > Partner Engineers - EMEA (3 levels).
    nested_only = _nested_only_guest(b)
    ztna.members = [
        personas["admin"].id,
        *b.pick(b.members, 3 + count // 20),
        *b.pick(accepted, max(4, guests // 100), {nested_only}),
        engineers.id,
    ]
    engineers.members = [nested_only, *b.pick(accepted, max(3, guests // 200)), emea.id]
    emea.members = b.pick(accepted, max(3, guests // 250), {nested_only})
    fabrikam.members = [u.id for u in b.guests if u.company == "Fabrikam"]
    northwind.members = [u.id for u in b.guests if u.company == "Northwind Traders"]
    partners.members = b.pick([u for u in b.guests if u.source == "entra"], max(12, guests // 20))
    apollo.members = [personas["owner"].id, *b.pick(b.members, 4), *b.pick(accepted, 6)]
    helpdesk.members = [personas["helpdesk"].id, *b.pick(b.members, 2)]
    admins.members = [personas["admin"].id, *b.pick(b.members, 2)]
    portal.members = [personas["owner"].id, *b.pick(accepted, max(5, guests // 150)), reviewers.id]
    reviewers.members = b.pick(accepted, max(3, guests // 300))
    alerts.members = [personas["admin"].id, personas["helpdesk"].id]

    for group in b.groups:
        group.owners = [rng.choice(b.owner_pool).id]
    ztna.owners = [personas["admin"].id]
    admins.owners = [personas["admin"].id]
    for group in (engineers, apollo, portal):
        group.owners = sorted({personas["owner"].id, *group.owners})
    for group in (fabrikam, northwind):
        group.owners = []  # dynamic groups made by an admin, often without owners

    _generic(b, count)
    for group in b.groups:
        group.members = sorted(set(group.members))
    b.groups.sort(key=lambda g: g.id)
    return b.groups


def _nested_only_guest(b: _Builder) -> str:
    """An accepted, enabled guest from a partner tenant, member of the nested group only."""
    for user in b.accepted:
        if user.source == "entra":
            return user.id
    return b.accepted[0].id if b.accepted else b.guests[0].id


def _generic(b: _Builder, count: int) -> None:
    rng = b.rng
    first = len(b.groups)
    everyone = b.members + b.guests
    for index in range(first, count):
        roll = rng.random()
        kind = "m365" if roll < 0.25 else ("mail-security" if roll < 0.3 else "security")
        topic = rng.choice(_TOPICS)
        name = (
            f"Project {rng.choice(_PROJECTS)} {topic} {index}"
            if kind == "m365"
            else f"{topic} {rng.choice(_REGIONS)} {index}"
        )
        dynamic = rng.random() < 0.03
        rule = f'(user.department -eq "{topic}")' if dynamic else None
        group = b.make(name, kind, rule)
        if dynamic:
            continue  # nobody has a department in the seed: an empty dynamic group
        size = rng.randrange(1200, 3000) if index % 500 == 250 else rng.randrange(2, 40)
        group.members = b.pick(everyone, size)
    # Nesting among generic security groups: a group may contain later ones only.
    generic = [g for g in b.groups[first:] if not g.is_unified and not g.membership_rule]
    for i, parent in enumerate(generic):
        if rng.random() < 0.2 and i + 1 < len(generic):
            child = generic[rng.randrange(i + 1, min(len(generic), i + 40))]
            parent.members.append(child.id)


def member_of_index(groups: list[GroupRecord]) -> dict[str, list[str]]:
    """Object id -> ids of the groups it is a direct member of."""
    index: dict[str, list[str]] = {}
    for group in groups:
        for member in group.members:
            index.setdefault(member, []).append(group.id)
    return index


def role_object_id(tenant_id: str, template_id: str) -> str:
    """The id of an activated directory role object (differs from its template id)."""
    return derived_guid(tenant_id, f"role:{template_id}")
