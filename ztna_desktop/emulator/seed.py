"""The demo tenant's directory, made deterministically from a seed.

Users are stored as compact slotted records (about 100,000 guests build in a few
seconds); the JSON a response carries is built from them per request.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

TENANT_DOMAIN = "contoso.onmicrosoft.com"
TENANT_NAME = "Contoso (demo)"
DAY = 86400

PERSONAS: dict[str, tuple[str, str, str]] = {
    # name -> (given name, surname, job title)
    "admin": ("Alex", "Admin", "IT Administrator"),
    "owner": ("Olivia", "Owner", "Project Lead"),
    "helpdesk": ("Harper", "Helpdesk", "Service Desk Agent"),
}

_FIRST_NAMES = (
    "Aaron Adele Aisha Alan Alex Alice Allan Amara Amy Ana Andrea Ann Anna Ben Bianca Bob Bruno "
    "Carla Carlos Chen Chloe Chris Clara Dan Daria David Diego Dmitri Elena Eli Emma Eric Eva "
    "Farah Felix Fatima Finn Grace Hana Hannah Hugo Ian Ines Isaac Ivan Jack Jana Jonas Jordan "
    "Julia Kai Kenji Lara Lee Leo Lina Lucas Luis Maya Megan Mia Mila Mohammed Nadia Nestor Nina "
    "Noah Olga Omar Oscar Paula Pedro Priya Quinn Rafael Raj Rosa Ruth Sam Sara Sofia Tariq "
    "Tom Uma Victor Wei Yara Yusuf Zoe"
)
_LAST_NAMES = (
    "Abbott Adams Ahmed Andersen Bauer Becker Brown Costa Cruz Dubois Evans Fischer Garcia Gupta "
    "Hansen Hoffmann Ito Ivanova Jansen Jones Kaur Khan Kim Klein Kowalski Lee Lopez Martin "
    "Meyer Moreau Müller Nagy Nguyen Novak Okafor Olsen Park Patel Perez Petrov Quinn Rossi "
    "Sato Schmidt Silva Smith Suzuki Tanaka Taylor Thomas Varga Vance Walker Wang Weber Wilber "
    "Wilson Wong Yamamoto Young Zhang Zimmermann"
)

FIRST = tuple(_FIRST_NAMES.split())
LAST = tuple(_LAST_NAMES.split())

# Partner Entra tenants: (domain, company)
PARTNERS = (
    ("fabrikam.com", "Fabrikam"),
    ("northwind.com", "Northwind Traders"),
    ("adatum.com", "Adatum"),
    ("tailspintoys.com", "Tailspin Toys"),
    ("woodgrovebank.com", "Woodgrove Bank"),
    ("litware.com", "Litware"),
    ("wingtiptoys.com", "Wingtip Toys"),
    ("proseware.com", "Proseware"),
)
# Guest sources: (kind, weight)
SOURCES = (("entra", 45), ("gmail", 20), ("msa", 15), ("yahoo", 8), ("otp", 12))
OTP_DOMAINS = ("gmx.de", "web.de", "icloud.com", "proton.me", "example.org", "mail.com")
MSA_DOMAINS = ("outlook.com", "hotmail.com", "live.com")
# Federated issuer after redemption, by source.
ISSUERS = {
    "entra": "ExternalAzureAD",
    "gmail": "google.com",
    "msa": "MicrosoftAccount",
    "yahoo": "mail",
    "otp": "mail",
}


@dataclass(slots=True)
class UserRecord:
    """One directory user, compact; times are epoch seconds (UTC)."""

    id: str
    user_type: str  # Member | Guest
    given: str
    surname: str
    mail: str
    upn: str
    source: str  # member | entra | gmail | msa | yahoo | otp
    company: str | None
    state: str | None  # Accepted | PendingAcceptance | None (members)
    state_change: int | None
    created: int
    enabled: bool
    last_sign_in: int | None
    last_non_interactive: int | None
    job_title: str | None = None
    persona: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.given} {self.surname}"


@dataclass
class Tenant:
    """The directory: ids, personas, users sorted by id (the stable paging order)."""

    seed: int
    tenant_id: str
    public_client_id: str
    app_client_id: str
    app_client_secret: str
    anchor: int  # "now" of the data set, epoch seconds
    created: int
    users: list[UserRecord] = field(default_factory=list)
    by_id: dict[str, UserRecord] = field(default_factory=dict)
    by_upn: dict[str, UserRecord] = field(default_factory=dict)
    personas: dict[str, UserRecord] = field(default_factory=dict)

    def add(self, user: UserRecord) -> None:
        self.users.append(user)
        self.by_id[user.id] = user
        self.by_upn[user.upn.lower()] = user
        if user.persona:
            self.personas[user.persona] = user

    def finish(self) -> None:
        self.users.sort(key=lambda u: u.id)


def _guid(rng: random.Random) -> str:
    """A version-4 shaped GUID from the seeded generator."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def derived_guid(base: str, salt: str) -> str:
    """A stable GUID derived from another (request ids of sign-ins and the like)."""
    return str(uuid.uuid5(uuid.UUID(base), salt))


def _today() -> int:
    now = datetime.now(UTC)
    return int(datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp())


def build_tenant(seed: int, guests: int, members: int, anchor: int | None = None) -> Tenant:
    """Build the whole directory. Same seed, sizes and anchor day -> the same tenant."""
    rng = random.Random(seed)
    now = _today() if anchor is None else anchor
    tenant = Tenant(
        seed=seed,
        tenant_id=_guid(rng),
        public_client_id=_guid(rng),
        app_client_id=_guid(rng),
        app_client_secret=f"emu~{rng.getrandbits(160):040x}",
        anchor=now,
        created=now - 6 * 365 * DAY,
    )
    taken: set[str] = set()
    for index in range(members):
        tenant.add(_member(rng, tenant, index, taken))
    weights = [w for _, w in SOURCES]
    kinds = [k for k, _ in SOURCES]
    for _ in range(guests):
        tenant.add(_guest(rng, tenant, rng.choices(kinds, weights)[0], taken))
    tenant.finish()
    return tenant


def _unique_local(
    rng: random.Random, given: str, surname: str, domain: str, taken: set[str]
) -> str:
    base = f"{given}.{surname}".lower().replace("ü", "ue")
    local = base
    while f"{local}@{domain}" in taken:
        local = f"{base}{rng.randrange(2, 10000)}"
    taken.add(f"{local}@{domain}")
    return local


def _member(rng: random.Random, tenant: Tenant, index: int, taken: set[str]) -> UserRecord:
    names = list(PERSONAS)
    persona = names[index] if index < len(names) else None
    if persona:
        given, surname, title = PERSONAS[persona]
        job: str | None = title
        local = persona
        taken.add(f"{local}@{TENANT_DOMAIN}")
    else:
        given, surname = rng.choice(FIRST), rng.choice(LAST)
        job = rng.choice(("Engineer", "Sales Manager", "Accountant", "Designer", "Analyst", None))
        local = _unique_local(rng, given, surname, TENANT_DOMAIN, taken)
    created = tenant.created + rng.randrange(0, 5 * 365) * DAY + rng.randrange(DAY)
    last = tenant.anchor - rng.randrange(60, 20 * DAY) if persona or rng.random() < 0.9 else None
    upn = f"{local}@{TENANT_DOMAIN}"
    return UserRecord(
        id=_guid(rng),
        user_type="Member",
        given=given,
        surname=surname,
        mail=upn,
        upn=upn,
        source="member",
        company="Contoso",
        state=None,
        state_change=None,
        created=created,
        enabled=True if persona else rng.random() > 0.03,
        last_sign_in=last,
        last_non_interactive=None
        if last is None
        else min(tenant.anchor, last + rng.randrange(3600, 3 * DAY)),
        job_title=job,
        persona=persona,
    )


def _guest(rng: random.Random, tenant: Tenant, kind: str, taken: set[str]) -> UserRecord:
    given, surname = rng.choice(FIRST), rng.choice(LAST)
    company: str | None = None
    if kind == "entra":
        domain, company = rng.choice(PARTNERS)
    elif kind == "gmail":
        domain = "gmail.com"
    elif kind == "yahoo":
        domain = "yahoo.com"
    elif kind == "msa":
        domain = rng.choice(MSA_DOMAINS)
    else:
        domain = rng.choice(OTP_DOMAINS)
    local = _unique_local(rng, given, surname, domain, taken)
    mail = f"{local}@{domain}"
    upn = f"{local}_{domain}#EXT#@{TENANT_DOMAIN}"
    created = tenant.anchor - rng.randrange(1, 3 * 365) * DAY - rng.randrange(DAY)
    pending = rng.random() < 0.18
    last: int | None = None
    if pending:
        state, state_change = "PendingAcceptance", created
    else:
        state = "Accepted"
        state_change = min(tenant.anchor - 60, created + rng.randrange(60, 14 * DAY))
        roll = rng.random()
        if roll < 0.12:
            last = None  # accepted, never signed in since
        elif roll < 0.45:  # stale: more than 90 days ago
            last = max(state_change, tenant.anchor - rng.randrange(91 * DAY, 700 * DAY))
        else:
            last = max(state_change, tenant.anchor - rng.randrange(0, 90 * DAY))
    non_interactive = None
    if last is not None and rng.random() < 0.6:
        non_interactive = min(tenant.anchor, last + rng.randrange(60, 5 * DAY))
    return UserRecord(
        id=_guid(rng),
        user_type="Guest",
        given=given,
        surname=surname,
        mail=mail,
        upn=upn,
        source=kind,
        company=company,
        state=state,
        state_change=state_change,
        created=created,
        enabled=rng.random() > 0.07,
        last_sign_in=last,
        last_non_interactive=non_interactive,
    )


def iso(epoch: int | None) -> str | None:
    """Graph's DateTimeOffset form: ``2025-05-04T15:35:02Z``."""
    if epoch is None:
        return None
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=epoch)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
