"""Personas, scopes and application permissions: who may do what in the demo tenant."""

from __future__ import annotations

from dataclasses import dataclass

READ_SCOPES = frozenset(
    {
        "User.Read",
        "User.ReadBasic.All",
        "User.Read.All",
        "Directory.Read.All",
        "Organization.Read.All",
        "Group.Read.All",
        "GroupMember.Read.All",
        "AuditLog.Read.All",
        "UserAuthenticationMethod.Read.All",
        "Application.Read.All",
        "Policy.Read.All",
        "IdentityUserFlow.Read.All",
        "IdentityProvider.Read.All",
        "Reports.Read.All",
        "CrossTenantInformation.ReadBasic.All",
        "GroupMember.ReadBasic.All",
        "UserAuthenticationMethod.Read",
    }
)
WRITE_SCOPES = frozenset(
    {
        "User.Invite.All",
        "User.EnableDisableAccount.All",
        "User.ReadWrite.All",
        "User.RevokeSessions.All",
        "GroupMember.ReadWrite.All",
        "Group.ReadWrite.All",
        "Directory.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
        "IdentityUserFlow.ReadWrite.All",
        "Policy.ReadWrite.AuthenticationFlows",
        "EventListener.ReadWrite.All",
    }
)
KNOWN_SCOPES = READ_SCOPES | WRITE_SCOPES
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

# Directory role template ids (reference/microsoft-graph.md §10).
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
GROUPS_ADMIN = "fdd7a751-b60b-444a-984c-02652fe8fa1c"
GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
# What only a reports-reading role (Global Reader, Reports Reader, ...) makes effective:
# signInActivity and the userRegistrationDetails report.
REPORT_SCOPES = frozenset({"AuditLog.Read.All", "Reports.Read.All"})
# What only an authentication-methods role (Authentication Administrator, Global Reader)
# makes effective: other users' authentication methods.
METHOD_SCOPES = frozenset({"UserAuthenticationMethod.Read.All"})


@dataclass(frozen=True)
class Persona:
    """A member user one can sign in as, with what their roles let delegated scopes do."""

    name: str
    roles: tuple[str, ...]  # directory role template ids
    allowed: frozenset[str]  # delegated scopes that take effect for this person
    reads_reports: bool  # may read sign-in activity


PERSONA_RIGHTS: dict[str, Persona] = {
    # Global Reader + User Administrator + Groups Administrator: reads everything.
    "admin": Persona("admin", (GLOBAL_READER, USER_ADMIN, GROUPS_ADMIN), KNOWN_SCOPES, True),
    # No admin role: users, groups, apps, what they own; no reports, methods or policies.
    "owner": Persona(
        "owner",
        (),
        frozenset(
            {
                "User.Read",
                "User.ReadBasic.All",
                "User.Read.All",
                "Group.Read.All",
                "GroupMember.Read.All",
                "GroupMember.ReadBasic.All",
                "GroupMember.ReadWrite.All",
                "Application.Read.All",
                "CrossTenantInformation.ReadBasic.All",
                "UserAuthenticationMethod.Read",
                "User.Invite.All",
            }
        ),
        False,
    ),
    # Helpdesk Administrator only: users, groups, apps, policies; no reports, no methods.
    "helpdesk": Persona(
        "helpdesk", (HELPDESK_ADMIN,), READ_SCOPES - REPORT_SCOPES - METHOD_SCOPES, False
    ),
}
# Application permissions granted to the confidential app (client_credentials).
APP_ROLES = (
    "User.Read.All",
    "Directory.Read.All",
    "AuditLog.Read.All",
    "GroupMember.ReadWrite.All",
    "User.Invite.All",
    "Organization.Read.All",
    "Application.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Policy.Read.All",
    "CrossTenantInformation.ReadBasic.All",
)


@dataclass(frozen=True)
class Principal:
    """Who is calling Graph: a persona with delegated scopes, or the app with roles."""

    persona: str | None  # None for an application token
    oid: str | None
    scopes: frozenset[str]  # scp (delegated) or roles (application), effective

    @property
    def is_app(self) -> bool:
        return self.persona is None

    def has_any(self, *scopes: str) -> bool:
        return any(s in self.scopes for s in scopes)

    @property
    def may_write(self) -> bool:
        """Does any write permission take effect for this caller?"""
        return bool(self.scopes & WRITE_SCOPES)

    @property
    def reads_reports(self) -> bool:
        return self.is_app or PERSONA_RIGHTS[self.persona or ""].reads_reports


def effective_scopes(persona: str, granted: frozenset[str]) -> frozenset[str]:
    """Delegated permissions are capped by what the person's roles allow."""
    return granted & PERSONA_RIGHTS[persona].allowed
