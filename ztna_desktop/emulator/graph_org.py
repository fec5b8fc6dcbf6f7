"""Graph /organization: the demo tenant as a one-item collection."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import denied
from ztna_desktop.emulator.odata_schema import EntitySet, Prop, ops
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed import TENANT_DOMAIN, TENANT_NAME, Tenant, iso

# What User.Read alone may read; the rest comes back null (reference §10).
USER_READ_PROPS = frozenset({"id", "displayName", "verifiedDomains"})
READ_ORG = (
    "Organization.Read.All",
    "Directory.Read.All",
    "User.Read.All",
    "Directory.ReadWrite.All",
)


def _domains(t: Tenant) -> list[dict[str, Any]]:
    return [
        {
            "capabilities": "Email, OfficeCommunicationsOnline",
            "isDefault": True,
            "isInitial": True,
            "name": TENANT_DOMAIN,
            "type": "Managed",
        }
    ]


def _p(name: str, get: Any) -> Prop:
    return Prop(name, get, default=True, edm="", filter_ops=ops())


ORGANIZATION = EntitySet(
    name="organization",
    type_name="microsoft.graph.organization",
    resource="Organization",
    props=[
        _p("id", lambda t: t.tenant_id),
        _p("deletedDateTime", lambda t: None),
        _p("businessPhones", lambda t: ["+1 425 555 0100"]),
        _p("city", lambda t: "Redmond"),
        _p("country", lambda t: None),
        _p("countryLetterCode", lambda t: "US"),
        _p("createdDateTime", lambda t: iso(t.created)),
        _p("defaultUsageLocation", lambda t: None),
        _p("displayName", lambda t: TENANT_NAME),
        _p("marketingNotificationEmails", lambda t: []),
        _p("onPremisesLastSyncDateTime", lambda t: None),
        _p("onPremisesSyncEnabled", lambda t: None),
        _p("postalCode", lambda t: "98052"),
        _p("preferredLanguage", lambda t: "en"),
        _p("securityComplianceNotificationMails", lambda t: []),
        _p("securityComplianceNotificationPhones", lambda t: []),
        _p("state", lambda t: "WA"),
        _p("street", lambda t: "1 Microsoft Way"),
        _p("technicalNotificationMails", lambda t: [f"admin@{TENANT_DOMAIN}"]),
        _p("tenantType", lambda t: "AAD"),
        _p("mobileDeviceManagementAuthority", lambda t: "unknown"),
        _p("partnerTenantType", lambda t: None),
        _p("assignedPlans", lambda t: []),
        _p("provisionedPlans", lambda t: []),
        _p("privacyProfile", lambda t: None),
        _p("verifiedDomains", _domains),
    ],
)


def list_organization(state: Any, request: Request, principal: Principal) -> dict[str, Any]:
    if not principal.has_any("User.Read", *READ_ORG):
        raise denied()
    args = [(k, v) for k, v in request.args.items(multi=True) if k.lower() == "$select"]
    query = odata.parse_query(ORGANIZATION, args, request.headers, state.cursors)
    body = odata.page(
        ORGANIZATION,
        query,
        [state.tenant],
        state.graph_base,
        state.cursors,
        key=lambda t: t.tenant_id,
    )
    if not principal.has_any(*READ_ORG):
        body["value"] = [
            {k: (v if k in USER_READ_PROPS else None) for k, v in item.items()}
            for item in body["value"]
        ]
    return body
