"""Seeded MFA registrations (every method type, guests with none) and partner tenants.

Partner tenants stand for the home Entra tenants of guests from PARTNERS domains;
some have a cross-tenant access partner configuration trusting their MFA, some
explicitly not, some inherit the default (which does not trust MFA).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ztna_desktop.emulator.seed import PARTNERS, Tenant, UserRecord, derived_guid

# methodsRegistered profiles; the first accepted guests get one each, so every type occurs.
PROFILES: tuple[tuple[str, ...], ...] = (
    ("microsoftAuthenticatorPush", "softwareOneTimePasscode", "mobilePhone"),
    ("microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless"),
    ("mobilePhone",),
    ("mobilePhone", "alternateMobilePhone"),
    ("officePhone",),
    ("softwareOneTimePasscode",),
    ("hardwareOneTimePasscode",),
    ("fido2SecurityKey",),
    ("windowsHelloForBusiness", "microsoftAuthenticatorPush"),
    ("email", "mobilePhone"),
    ("email",),
    (),
)
STRONG = frozenset(
    {
        "microsoftAuthenticatorPush",
        "microsoftAuthenticatorPasswordless",
        "softwareOneTimePasscode",
        "hardwareOneTimePasscode",
        "fido2SecurityKey",
        "windowsHelloForBusiness",
        "mobilePhone",
        "alternateMobilePhone",
        "officePhone",
    }
)
PASSWORDLESS = frozenset(
    {"microsoftAuthenticatorPasswordless", "fido2SecurityKey", "windowsHelloForBusiness"}
)
# Fixed partner trust: domain -> isMfaAccepted in the partner configuration, or None for a
# partner configuration that inherits the default. Domains not listed have no configuration.
PARTNER_TRUST: dict[str, bool | None] = {
    "fabrikam.com": True,
    "adatum.com": True,
    "northwind.com": False,
    "tailspintoys.com": None,
}


@dataclass(frozen=True, slots=True)
class Registration:
    """What userRegistrationDetails says about one user."""

    user_id: str
    methods: tuple[str, ...]
    updated: int

    @property
    def is_mfa_registered(self) -> bool:
        return any(m in STRONG for m in self.methods)

    @property
    def is_mfa_capable(self) -> bool:
        # The tenant's methods policy has voice calls on office phones turned off.
        return any(m in STRONG and m != "officePhone" for m in self.methods)

    @property
    def preferred(self) -> str:
        """userPreferredMethodForSecondaryAuthentication."""
        m = self.methods
        if "microsoftAuthenticatorPush" in m:
            return "push"
        if "softwareOneTimePasscode" in m or "hardwareOneTimePasscode" in m:
            return "oath"
        if "mobilePhone" in m:
            return "sms"
        if "alternateMobilePhone" in m:
            return "voiceAlternateMobile"
        if "officePhone" in m:
            return "voiceOffice"
        return "none"

    @property
    def system_preferred(self) -> list[str]:
        m = self.methods
        if PASSWORDLESS & set(m):
            return ["Fido2" if "fido2SecurityKey" in m else "PasswordlessMicrosoftAuthenticator"]
        value = self.preferred
        return [] if value == "none" else [value]


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A user and their registration: one row of the userRegistrationDetails report."""

    user: UserRecord
    reg: Registration

    @property
    def id(self) -> str:
        return self.user.id


@dataclass(frozen=True, slots=True)
class PartnerTenant:
    """A guest's home Entra tenant."""

    tenant_id: str
    domain: str
    name: str
    configured: bool  # has a crossTenantAccessPolicy partner configuration
    mfa_accepted: bool | None  # its inboundTrust.isMfaAccepted (None: inherits the default)


def build_registrations(tenant: Tenant) -> dict[str, Registration]:
    """One registration per user (members and guests), keyed by user id."""
    rng = random.Random(f"mfa:{tenant.seed}")
    out: dict[str, Registration] = {}
    persona_methods = {
        "admin": ("microsoftAuthenticatorPush", "fido2SecurityKey", "mobilePhone"),
        "owner": ("mobilePhone",),
        "helpdesk": ("microsoftAuthenticatorPush", "softwareOneTimePasscode"),
    }
    next_profile = 0
    for user in tenant.users:
        updated = user.last_sign_in or user.state_change or user.created
        if user.persona:
            methods = persona_methods[user.persona]
        elif user.user_type == "Member":
            methods = PROFILES[0] if rng.random() < 0.8 else rng.choice(PROFILES[1:10])
        elif user.state != "Accepted":
            methods = ()  # never redeemed: never registered anything
        elif next_profile < len(PROFILES):
            methods, next_profile = PROFILES[next_profile], next_profile + 1
        else:
            methods = () if rng.random() < 0.35 else rng.choice(PROFILES)
        out[user.id] = Registration(user.id, methods, updated)
    return out


def build_partners(tenant: Tenant) -> list[PartnerTenant]:
    out = []
    for domain, name in PARTNERS:
        configured = domain in PARTNER_TRUST
        out.append(
            PartnerTenant(
                tenant_id=derived_guid(tenant.tenant_id, f"partner:{domain}"),
                domain=domain,
                name=name,
                configured=configured,
                mfa_accepted=PARTNER_TRUST.get(domain),
            )
        )
    return out


def phone_number(user: UserRecord, kind: str) -> str:
    digits = int(derived_guid(user.id, f"phone:{kind}")[:8], 16) % 10_000_000
    return f"+1 555{digits:07d}"
