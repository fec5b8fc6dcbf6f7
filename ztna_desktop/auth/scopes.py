"""Graph delegated scopes the app asks for, least privilege first."""

from __future__ import annotations

from collections.abc import Iterable

from ztna_desktop.config import Config

#: What the read views need (microsoft-graph.md §10 profile (a) without the user-flow
#: and identity-provider scopes no view uses yet, plus the home-tenant lookup).
#: A person's directory role still caps each one: a help-desk agent consents to
#: AuditLog.Read.All but gets 403 on the reports, which the views explain.
READ_SCOPES: tuple[str, ...] = (
    "User.Read",  # /me, /organization, /me/ownedObjects
    "User.Read.All",  # guests (userType, externalUserState ...)
    "GroupMember.Read.All",  # groups, members, owners
    "Application.Read.All",  # service principals, appRoleAssignedTo
    "AuditLog.Read.All",  # signInActivity, userRegistrationDetails report
    "UserAuthenticationMethod.Read.All",  # per-user methods (tenants without P1)
    "Policy.Read.All",  # cross-tenant access (MFA trust), authorization policy
    "CrossTenantInformation.ReadBasic.All",  # findTenantInformationByDomainName
)

#: Asked at sign-in: the read set. No write scope is ever requested at sign-in;
#: features that write ask for their scope incrementally when first used.
SIGN_IN_SCOPES: tuple[str, ...] = READ_SCOPES

#: MSAL adds these itself and raises ValueError when a caller passes them.
RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access"})


def qualified(config: Config, scopes: Iterable[str] = SIGN_IN_SCOPES) -> list[str]:
    """Qualify bare Graph scopes with the configured Graph resource.

    ``User.Read`` becomes ``https://graph.microsoft.com/User.Read`` (or the sovereign
    cloud's or the emulator's origin); already qualified scopes pass through as they
    are. Reserved OpenID scopes are dropped because MSAL refuses them.
    """
    out: list[str] = []
    for scope in scopes:
        if scope in RESERVED_SCOPES:
            continue
        full = scope if "://" in scope else config.graph_scope(scope)
        if full not in out:
            out.append(full)
    return out
