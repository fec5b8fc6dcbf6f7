"""Tenant settings: /policies/authorizationPolicy, cross-tenant access (default, partners) and
/tenantRelationships/findTenantInformationByDomainName(domainName='x')."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import GraphError, bad_request, denied, not_found
from ztna_desktop.emulator.odata_schema import EntitySet, Prop, ops
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed import TENANT_DOMAIN, TENANT_NAME
from ztna_desktop.emulator.seed_mfa import PartnerTenant
from ztna_desktop.emulator.state import State

READ_POLICY = ("Policy.Read.All", "Policy.ReadWrite.CrossTenantAccess", "Directory.Read.All")
LIMITED_GUEST_ROLE = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
_FIND = re.compile(r"^findTenantInformationByDomainName\(domainName='((?:[^']|'')*)'\)$")


def _p(name: str, value: Any) -> Prop:
    return Prop(name, value if callable(value) else (lambda _r: value), default=True, edm="")


def _targets(access: str, kind: str) -> dict[str, Any]:
    everyone = "AllUsers" if kind == "user" else "AllApplications"
    return {"accessType": access, "targets": [{"target": everyone, "targetType": kind}]}


def _b2b(access: str) -> dict[str, Any]:
    return {
        "usersAndGroups": _targets(access, "user"),
        "applications": _targets(access, "application"),
    }


def _trust(mfa: bool) -> dict[str, bool]:
    return {
        "isMfaAccepted": mfa,
        "isCompliantDeviceAccepted": False,
        "isHybridAzureADJoinedDeviceAccepted": False,
    }


AUTHORIZATION_POLICY = EntitySet(
    name="policies/authorizationPolicy",
    type_name="microsoft.graph.authorizationPolicy",
    resource="AuthorizationPolicy",
    props=[
        _p("id", "authorizationPolicy"),
        _p("deletedDateTime", None),
        _p("displayName", "Authorization Policy"),
        _p("description", "Used to manage authorization related settings across the company."),
        _p("allowInvitesFrom", "adminsAndGuestInviters"),
        _p("allowedToSignUpEmailBasedSubscriptions", True),
        _p("allowedToUseSSPR", True),
        _p("allowEmailVerifiedUsersToJoinOrganization", False),
        _p("allowUserConsentForRiskyApps", False),
        _p("blockMsolPowerShell", False),
        _p("guestUserRoleId", LIMITED_GUEST_ROLE),
        _p(
            "defaultUserRolePermissions",
            lambda _r: {
                "allowedToCreateApps": True,
                "allowedToCreateSecurityGroups": True,
                "allowedToCreateTenants": True,
                "allowedToReadBitlockerKeysForOwnedDevice": True,
                "allowedToReadOtherUsers": True,
                "permissionGrantPoliciesAssigned": [
                    "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"
                ],
            },
        ),
    ],
)
CROSS_TENANT_DEFAULT = EntitySet(
    name="policies/crossTenantAccessPolicy/default",
    type_name="microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
    resource="CrossTenantAccessPolicyConfigurationDefault",
    props=[
        _p("isServiceDefault", True),
        _p("inboundTrust", lambda _r: _trust(False)),
        _p("b2bCollaborationInbound", lambda _r: _b2b("allowed")),
        _p("b2bCollaborationOutbound", lambda _r: _b2b("allowed")),
        _p("b2bDirectConnectInbound", lambda _r: _b2b("blocked")),
        _p("b2bDirectConnectOutbound", lambda _r: _b2b("blocked")),
        _p("automaticUserConsentSettings", {"inboundAllowed": False, "outboundAllowed": False}),
        _p(
            "invitationRedemptionIdentityProviderConfiguration",
            lambda _r: {
                "primaryIdentityProviderPrecedenceOrder": [
                    "azureActiveDirectory",
                    "externalFederation",
                    "socialIdentityProviders",
                ],
                "fallbackIdentityProvider": "defaultConfiguredIdp",
            },
        ),
    ],
)


def _partner_trust(p: PartnerTenant) -> dict[str, bool] | None:
    return None if p.mfa_accepted is None else _trust(p.mfa_accepted)


CROSS_TENANT_PARTNERS = EntitySet(
    name="policies/crossTenantAccessPolicy/partners",
    type_name="microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
    resource="CrossTenantAccessPolicyConfigurationPartner",
    props=[
        Prop("tenantId", lambda p: p.tenant_id, default=True, filter_ops=ops("eq")),
        _p("isServiceProvider", False),
        _p("isInMultiTenantOrganization", False),
        _p("inboundTrust", _partner_trust),
        _p("b2bCollaborationInbound", None),  # null: inherits the default
        _p("b2bCollaborationOutbound", None),
        _p("b2bDirectConnectInbound", None),
        _p("b2bDirectConnectOutbound", None),
        _p("automaticUserConsentSettings", {"inboundAllowed": None, "outboundAllowed": None}),
    ],
)


def _check(principal: Principal) -> None:
    if not principal.has_any(*READ_POLICY):
        raise denied()


def _single(state: State, request: Request, eset: EntitySet, record: Any) -> dict[str, Any]:
    args = list(request.args.items(multi=True))
    if any(k.lower() != "$select" for k, _ in args):
        raise bad_request("The query specified in the URI is not valid.", "BadRequest")
    query = odata.parse_query(eset, args, request.headers, state.cursors)
    body = {"@odata.context": odata.context_url(state.graph_base, eset, query, entity=True)}
    body.update(odata.render(query, record))
    return body


def authorization_policy(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _check(principal)
    return _single(state, request, AUTHORIZATION_POLICY, state.tenant)


def cross_tenant_default(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _check(principal)
    return _single(state, request, CROSS_TENANT_DEFAULT, state.tenant)


def _configured(state: State) -> list[PartnerTenant]:
    return sorted((p for p in state.world.partners if p.configured), key=lambda p: p.tenant_id)


def cross_tenant_partners(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _check(principal)
    query = odata.parse_query(
        CROSS_TENANT_PARTNERS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    return odata.page(
        CROSS_TENANT_PARTNERS,
        query,
        _configured(state),
        state.graph_base,
        state.cursors,
        key=lambda p: p.tenant_id,
    )


def cross_tenant_partner(
    state: State, request: Request, principal: Principal, key: str
) -> dict[str, Any]:
    _check(principal)
    for partner in _configured(state):
        if partner.tenant_id == key.lower():
            return _single(state, request, CROSS_TENANT_PARTNERS, partner)
    raise not_found(key)


def tenant_relationship(
    state: State, request: Request, principal: Principal, call: str
) -> dict[str, Any]:
    """GET /tenantRelationships/findTenantInformationByDomainName(domainName='x')."""
    match = _FIND.match(call)
    if match is None:
        raise bad_request(f"Resource not found for the segment '{call}'.", "BadRequest")
    if not principal.has_any("CrossTenantInformation.ReadBasic.All"):
        raise denied()
    domain = match.group(1).replace("''", "'").strip().lower()
    if not domain:
        raise GraphError(400, "Request_BadRequest", "Invalid domain name.")
    found: dict[str, Any] | None = None
    if domain == TENANT_DOMAIN:
        found = {
            "tenantId": state.tenant.tenant_id,
            "displayName": TENANT_NAME,
            "defaultDomainName": TENANT_DOMAIN,
            "federationBrandName": None,
        }
    for partner in state.world.partners:
        if partner.domain == domain:
            found = {
                "tenantId": partner.tenant_id,
                "displayName": partner.name,
                "defaultDomainName": partner.domain,
                "federationBrandName": None,
            }
    if found is None:
        raise not_found(domain)
    return {"@odata.context": f"{state.graph_base}/$metadata#microsoft.graph.tenantInformation",
            **found}  # fmt: skip
