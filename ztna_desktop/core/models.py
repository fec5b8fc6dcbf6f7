"""Directory objects as frozen dataclasses: what every layer passes around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Identity:
    """One entry of a user's ``identities`` (how the account signs in)."""

    sign_in_type: str
    issuer: str
    issuer_assigned_id: str | None = None


@dataclass(frozen=True, slots=True)
class GuestUser:
    """A user of the tenant as the guest views show it (guests and members alike)."""

    id: str
    display_name: str
    mail: str | None
    user_principal_name: str
    user_type: str  # "Guest" | "Member"
    account_enabled: bool
    external_user_state: str | None = None  # "PendingAcceptance" | "Accepted" | None
    external_user_state_changed: datetime | None = None
    created: datetime | None = None
    creation_type: str | None = None
    company_name: str | None = None
    identities: tuple[Identity, ...] = ()
    other_mails: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        """The guest's address: mail, else the first other mail, else the UPN's decoded form."""
        if self.mail:
            return self.mail
        if self.other_mails:
            return self.other_mails[0]
        return email_from_guest_upn(self.user_principal_name)

    @property
    def source(self) -> str:
        """Where the guest's identity lives, in words an admin knows."""
        return guest_source(self)

    @property
    def is_guest(self) -> bool:
        return self.user_type == "Guest"


@dataclass(frozen=True, slots=True)
class Organization:
    """The signed-in tenant."""

    id: str
    display_name: str
    initial_domain: str


@dataclass(frozen=True, slots=True)
class Me:
    """The signed-in person."""

    id: str
    display_name: str
    user_principal_name: str


_ISSUER_LABELS = {
    "externalazuread": "Microsoft Entra (other organisation)",
    "google.com": "Google",
    "facebook.com": "Facebook",
    "microsoftaccount": "Microsoft account",
    "mail": "Email one-time passcode",
}
_DOMAIN_LABELS = {
    "gmail.com": "Google",
    "googlemail.com": "Google",
    "outlook.com": "Microsoft account",
    "hotmail.com": "Microsoft account",
    "live.com": "Microsoft account",
}


def email_from_guest_upn(upn: str) -> str:
    """Turn ``alice_fabrikam.com#EXT#@contoso.onmicrosoft.com`` into ``alice@fabrikam.com``."""
    local, sep, _ = upn.partition("#EXT#")
    if not sep or "_" not in local:
        return upn
    name, _, domain = local.rpartition("_")
    return f"{name}@{domain}"


def guest_source(user: GuestUser) -> str:
    """Name the identity provider of a user.

    A redeemed guest carries a ``federated`` identity whose issuer names the provider.
    A guest who has not redeemed yet has none, so the invited address's domain is the
    best available hint; anything else is "Invited (not redeemed)".
    """
    if not user.is_guest:
        return "This organisation"
    for ident in user.identities:
        if ident.sign_in_type == "federated":
            return _ISSUER_LABELS.get(ident.issuer.lower(), ident.issuer)
    domain = user.email.rpartition("@")[2].lower()
    if domain in _DOMAIN_LABELS:
        return _DOMAIN_LABELS[domain]
    if user.external_user_state == "PendingAcceptance":
        return "Invited (not redeemed)"
    return "External"
