"""Groups, enterprise apps, MFA and cross-tenant trust: the rest of the directory snapshot.

``Directory`` is what one refresh reads; the views and the access explainer
read it and never call Graph themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.core.models import GuestUser

#: The app role id Entra uses when an app defines no roles ("Default Access").
DEFAULT_ACCESS_ROLE = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class Group:
    """A security or Microsoft 365 group."""

    id: str
    display_name: str
    description: str | None = None
    security_enabled: bool = True
    mail_enabled: bool = False
    group_types: tuple[str, ...] = ()

    @property
    def is_dynamic(self) -> bool:
        return "DynamicMembership" in self.group_types

    @property
    def kind(self) -> str:
        """Words for the group's type, as the Entra admin center shows them."""
        if "Unified" in self.group_types:
            return "Microsoft 365"
        if self.security_enabled and not self.mail_enabled:
            return "Security"
        if self.security_enabled:
            return "Mail-enabled security"
        return "Distribution"


@dataclass(frozen=True, slots=True)
class Member:
    """One direct member of a group (``kind`` is "user", "group" or another directory type)."""

    id: str
    kind: str


@dataclass(frozen=True, slots=True)
class EnterpriseApp:
    """A service principal people sign in to."""

    id: str
    app_id: str
    display_name: str
    assignment_required: bool
    is_ztna_gateway: bool = False
    app_roles: tuple[tuple[str, str], ...] = ()  # (role id, display name)

    def role_name(self, role_id: str) -> str:
        if role_id == DEFAULT_ACCESS_ROLE:
            return "Default Access"
        return dict(self.app_roles).get(role_id, role_id)


@dataclass(frozen=True, slots=True)
class AppAssignment:
    """An app role assigned to a user or a group (``appRoleAssignedTo``)."""

    id: str
    app_id: str  # the service principal's object id (resourceId)
    principal_id: str
    principal_type: str  # "User" | "Group" | "ServicePrincipal"
    principal_name: str
    app_role_id: str = DEFAULT_ACCESS_ROLE
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class MfaRegistration:
    """What one user has registered for MFA."""

    user_id: str
    methods: frozenset[MfaMethod]
    is_mfa_registered: bool
    preferred: str | None = None  # userPreferredMethodForSecondaryAuthentication
    from_report: bool = True  # False: read from the per-user methods (no P1 report)


@dataclass(frozen=True, slots=True)
class MfaTrust:
    """Inbound cross-tenant trust: does this tenant accept MFA done in the guest's home tenant."""

    tenant_id: str | None  # None: the default for every partner without its own setting
    is_mfa_accepted: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class AuthorizationPolicy:
    """External collaboration settings (``/policies/authorizationPolicy``), shown read-only."""

    #: none | adminsAndGuestInviters | adminsGuestInvitersAndAllMembers | everyone
    allow_invites_from: str
    guest_user_role_id: str | None = None

    @property
    def guest_access(self) -> str:
        """Words for ``guestUserRoleId``, as the Entra admin center shows them."""
        return GUEST_ROLE_NAMES.get(self.guest_user_role_id or "", self.guest_user_role_id or "")


GUEST_ROLE_NAMES = {
    "a0b1b346-4d3e-4e8b-98f8-753987be4970": "Same access as members",
    "10dae51f-b6af-4016-8d66-8c2a99b929b3": "Limited access (default)",
    "2af84b1e-32c8-42b7-82bc-daa82404023b": "Restricted access",
}


@dataclass(frozen=True, slots=True)
class SignIn:
    """A user's last sign-ins (``signInActivity``; needs Entra ID P1)."""

    last_sign_in: datetime | None
    last_successful_sign_in: datetime | None = None
    last_non_interactive_sign_in: datetime | None = None

    @property
    def latest(self) -> datetime | None:
        stamps = [
            s
            for s in (
                self.last_sign_in,
                self.last_successful_sign_in,
                self.last_non_interactive_sign_in,
            )
            if s
        ]
        return max(stamps) if stamps else None


@dataclass(slots=True)
class Directory:
    """Everything one refresh read. Dicts are keyed by object id.

    A part that could not be read (a 403, a tenant without P1) stays None, so a
    view can tell "nobody has MFA" from "we could not find out".
    """

    users: dict[str, GuestUser] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    members: dict[str, tuple[Member, ...]] = field(default_factory=dict)  # group -> direct
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> user ids
    apps: dict[str, EnterpriseApp] = field(default_factory=dict)
    assignments: dict[str, tuple[AppAssignment, ...]] = field(default_factory=dict)  # app ->
    mfa: dict[str, MfaRegistration] | None = None
    sign_ins: dict[str, SignIn] | None = None
    mfa_trust_default: MfaTrust | None = None
    mfa_trust_partners: dict[str, MfaTrust] = field(default_factory=dict)
    home_tenants: dict[str, str] = field(default_factory=dict)  # guest id -> home tenant id
    authorization: AuthorizationPolicy | None = None

    def mfa_trust_for(self, tenant_id: str | None) -> MfaTrust | None:
        """The partner's own setting, else the default."""
        if tenant_id and tenant_id in self.mfa_trust_partners:
            return self.mfa_trust_partners[tenant_id]
        return self.mfa_trust_default
