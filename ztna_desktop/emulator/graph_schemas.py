"""Entity sets of the directory beyond users: groups, service principals, roles, assignments."""

from __future__ import annotations

import uuid
from typing import Any

from ztna_desktop.emulator.odata_schema import DATE_OPS, ENUM_OPS, STRING_OPS, EntitySet, Prop, ops
from ztna_desktop.emulator.seed import iso
from ztna_desktop.emulator.seed_apps import AssignmentRecord, ServicePrincipalRecord
from ztna_desktop.emulator.seed_groups import GroupRecord
from ztna_desktop.emulator.world import RoleRecord


def _p(name: str, get: Any, default: bool = True, **kw: Any) -> Prop:
    return Prop(name, get, default=default, **kw)


def _none(_: Any) -> None:
    return None


def _empty(_: Any) -> list[Any]:
    return []


def _sid(group: GroupRecord) -> str:
    """An Entra-shaped security identifier derived from the object id."""
    raw = uuid.UUID(group.id).bytes_le
    parts = [int.from_bytes(raw[i : i + 4], "little") for i in range(0, 16, 4)]
    return "S-1-12-1-" + "-".join(str(p) for p in parts)


def _collection(name: str, get: Any, default: bool = True) -> Prop:
    return _p(
        name,
        get,
        default,
        edm="",
        filter_ops=ops("any"),
        sub={"": ("String", ops("eq", "startsWith"))},
    )


GROUPS = EntitySet(
    name="groups",
    type_name="microsoft.graph.group",
    resource="Group",
    props=[
        _p("id", lambda g: g.id, filter_ops=ENUM_OPS),
        _p("deletedDateTime", _none, edm="DateTimeOffset"),
        _p("classification", _none, filter_ops=STRING_OPS),
        _p("createdDateTime", lambda g: iso(g.created), edm="DateTimeOffset", filter_ops=DATE_OPS),
        _p("description", lambda g: g.description, filter_ops=STRING_OPS, search=True),
        _p(
            "displayName",
            lambda g: g.display_name,
            filter_ops=STRING_OPS,
            search=True,
            orderby=True,
        ),
        _p("expirationDateTime", _none, edm="DateTimeOffset"),
        _collection("groupTypes", lambda g: list(g.group_types)),
        _p("isAssignableToRole", lambda g: g.is_assignable_to_role, edm="Boolean"),
        _p("mail", lambda g: g.mail, filter_ops=STRING_OPS, search=True),
        _p("mailEnabled", lambda g: g.mail_enabled, edm="Boolean", filter_ops=ENUM_OPS),
        _p("mailNickname", lambda g: g.mail_nickname, filter_ops=STRING_OPS, search=True),
        _p("membershipRule", lambda g: g.membership_rule, filter_ops=STRING_OPS),
        _p(
            "membershipRuleProcessingState",
            lambda g: "On" if g.membership_rule else None,
            filter_ops=ENUM_OPS,
        ),
        _p("onPremisesDomainName", _none),
        _p("onPremisesLastSyncDateTime", _none, edm="DateTimeOffset"),
        _p("onPremisesNetBiosName", _none),
        _p("onPremisesSamAccountName", _none),
        _p("onPremisesSecurityIdentifier", _none),
        _p("onPremisesSyncEnabled", _none, edm="Boolean", filter_ops=ENUM_OPS),
        _p("preferredDataLocation", _none),
        _p("preferredLanguage", _none),
        _collection("proxyAddresses", lambda g: [f"SMTP:{g.mail}"] if g.mail else []),
        _p("renewedDateTime", lambda g: iso(g.created), edm="DateTimeOffset"),
        _p("resourceBehaviorOptions", _empty, edm=""),
        _p("resourceProvisioningOptions", _empty, edm=""),
        _p("securityEnabled", lambda g: g.security_enabled, edm="Boolean", filter_ops=ENUM_OPS),
        _p("securityIdentifier", _sid),
        _p("theme", _none),
        _p("uniqueName", _none),
        _p("visibility", lambda g: g.visibility),
        _p("onPremisesProvisioningErrors", _empty, edm=""),
        _p("serviceProvisioningErrors", _empty, edm=""),
    ],
)


def _info(sp: ServicePrincipalRecord) -> dict[str, Any]:
    return {
        "logoUrl": None,
        "marketingUrl": None,
        "privacyStatementUrl": None,
        "supportUrl": None,
        "termsOfServiceUrl": None,
    }


SERVICE_PRINCIPALS = EntitySet(
    name="servicePrincipals",
    type_name="microsoft.graph.servicePrincipal",
    resource="ServicePrincipal",
    props=[
        _p("id", lambda s: s.id, filter_ops=ENUM_OPS),
        _p("deletedDateTime", _none, edm="DateTimeOffset"),
        _p("accountEnabled", lambda s: True, edm="Boolean", filter_ops=ENUM_OPS),
        _collection("alternativeNames", _empty),
        _p("appDisplayName", lambda s: s.display_name, filter_ops=STRING_OPS),
        _p("appDescription", _none),
        _p("appId", lambda s: s.app_id, filter_ops=ENUM_OPS),
        _p("applicationTemplateId", _none, filter_ops=ENUM_OPS),
        _p("appOwnerOrganizationId", lambda s: s.owner_org, edm="Guid", filter_ops=ENUM_OPS),
        _p(
            "appRoleAssignmentRequired",
            lambda s: s.assignment_required,
            edm="Boolean",
            filter_ops=ENUM_OPS,
        ),
        _p("description", _none, filter_ops=STRING_OPS),
        _p("disabledByMicrosoftStatus", _none),
        _p(
            "displayName",
            lambda s: s.display_name,
            filter_ops=STRING_OPS,
            search=True,
            orderby=True,
        ),
        _p("homepage", lambda s: s.homepage),
        _p("info", _info, edm=""),
        _p("loginUrl", _none),
        _p("logoutUrl", _none),
        _p("notes", _none),
        _p("notificationEmailAddresses", _empty, edm=""),
        _p("preferredSingleSignOnMode", _none, filter_ops=ENUM_OPS),
        _p("preferredTokenSigningKeyThumbprint", _none),
        _collection("replyUrls", lambda s: [s.homepage] if s.homepage else []),
        _collection("servicePrincipalNames", lambda s: [s.app_id]),
        _p("servicePrincipalType", lambda s: "Application", filter_ops=ENUM_OPS),
        _p(
            "signInAudience",
            lambda s: "AzureADMultipleOrgs" if s.tags == () else "AzureADMyOrg",
            filter_ops=ENUM_OPS,
        ),
        _collection("tags", lambda s: list(s.tags)),
        _p("tokenEncryptionKeyId", _none, edm="Guid"),
        _p("samlSingleSignOnSettings", _none, edm=""),
        _p(
            "verifiedPublisher",
            lambda s: {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
            edm="",
        ),
        _p("addIns", _empty, edm=""),
        _p("appRoles", lambda s: [r.json() for r in s.app_roles], edm=""),
        _p("keyCredentials", _empty, edm=""),
        _p("oauth2PermissionScopes", _empty, edm=""),
        _p("passwordCredentials", _empty, edm=""),
        _p("resourceSpecificApplicationPermissions", _empty, edm=""),
    ],
)

DIRECTORY_ROLES = EntitySet(
    name="directoryRoles",
    type_name="microsoft.graph.directoryRole",
    resource="DirectoryRole",
    props=[
        _p("id", lambda r: r.id, filter_ops=ENUM_OPS),
        _p("deletedDateTime", _none, edm="DateTimeOffset"),
        _p("description", lambda r: f"Members of this role are {r.display_name}s."),
        _p("displayName", lambda r: r.display_name, filter_ops=ENUM_OPS),
        _p("roleTemplateId", lambda r: r.template_id, filter_ops=ENUM_OPS),
    ],
)


def _guid_prop(name: str, get: Any) -> Prop:
    return _p(name, get, edm="Guid", filter_ops=ops("eq"))


APP_ROLE_ASSIGNMENTS = EntitySet(
    name="appRoleAssignments",
    type_name="microsoft.graph.appRoleAssignment",
    resource="AppRoleAssignment",
    props=[
        _p("id", lambda a: a.id, filter_ops=ops("eq")),
        _p("deletedDateTime", _none, edm="DateTimeOffset"),
        _guid_prop("appRoleId", lambda a: a.app_role_id),
        _p("createdDateTime", lambda a: iso(a.created), edm="DateTimeOffset"),
        _p("principalDisplayName", lambda a: a.principal_name),
        _guid_prop("principalId", lambda a: a.principal_id),
        _p("principalType", lambda a: a.principal_type, filter_ops=ops("eq")),
        _p("resourceDisplayName", lambda a: a.resource_name),
        _guid_prop("resourceId", lambda a: a.resource_id),
    ],
)

__all__ = [
    "APP_ROLE_ASSIGNMENTS",
    "DIRECTORY_ROLES",
    "GROUPS",
    "SERVICE_PRINCIPALS",
    "AssignmentRecord",
    "RoleRecord",
]
