"""Tenant settings over HTTPS: authorizationPolicy, cross-tenant access, tenant lookup by domain."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.emulator
POLICY = "Policy.Read.All"
LOOKUP = "CrossTenantInformation.ReadBasic.All"
CTA = "/policies/crossTenantAccessPolicy"


def error_of(response):
    return response.status_code, response.json()["error"]["code"]


def find(domain):
    return f"/tenantRelationships/findTenantInformationByDomainName(domainName='{domain}')"


def test_authorization_policy_is_a_singleton(graph):
    body = graph.get("/policies/authorizationPolicy", scopes=POLICY).json()
    assert "value" not in body
    assert body["id"] == "authorizationPolicy"
    assert body["allowInvitesFrom"] == "adminsAndGuestInviters"
    assert body["guestUserRoleId"] == "10dae51f-b6af-4016-8d66-8c2a99b929b3"
    assert body["@odata.context"].endswith("$metadata#policies/authorizationPolicy/$entity")
    picked = graph.get("/policies/authorizationPolicy", {"$select": "allowInvitesFrom"},
                       scopes=POLICY).json()  # fmt: skip
    assert set(picked) == {"@odata.context", "allowInvitesFrom"}


def test_default_does_not_trust_mfa(graph):
    body = graph.get(f"{CTA}/default", scopes=POLICY).json()
    assert body["inboundTrust"]["isMfaAccepted"] is False
    assert body["isServiceDefault"] is True


def test_partners_with_and_without_mfa_trust(graph, emulator_info):
    partners = graph.get(f"{CTA}/partners", scopes=POLICY).json()["value"]
    seed = {p["tenant_id"]: p for p in emulator_info["seed"]["partner_tenants"]}
    trust = {seed[p["tenantId"]]["domain"]: p["inboundTrust"] for p in partners}
    assert trust["fabrikam.com"]["isMfaAccepted"] is True
    assert trust["northwind.com"]["isMfaAccepted"] is False
    assert trust["tailspintoys.com"] is None  # inherits the default
    assert "litware.com" not in trust  # no partner configuration at all
    one = partners[0]["tenantId"]
    assert graph.get(f"{CTA}/partners/{one}", scopes=POLICY).json()["tenantId"] == one


def test_policies_need_policy_read(graph):
    assert error_of(graph.get(f"{CTA}/default", scopes="User.Read.All")) == (
        403, "Authorization_RequestDenied",
    )  # fmt: skip
    assert error_of(graph.get(f"{CTA}/partners", persona="owner", scopes=POLICY)) == (
        403, "Authorization_RequestDenied",
    )  # fmt: skip
    assert graph.get(f"{CTA}/partners", persona="helpdesk", scopes=POLICY).status_code == 200


def test_find_tenant_by_domain(graph, emulator_info):
    body = graph.get(find("fabrikam.com"), scopes=LOOKUP).json()
    fabrikam = next(
        p for p in emulator_info["seed"]["partner_tenants"] if p["domain"] == "fabrikam.com"
    )
    assert body["tenantId"] == fabrikam["tenant_id"]
    assert body["defaultDomainName"] == "fabrikam.com"
    assert body["@odata.context"].endswith("$metadata#microsoft.graph.tenantInformation")
    own = graph.get(find("contoso.onmicrosoft.com"), scopes=LOOKUP).json()
    assert own["tenantId"] == emulator_info["tenant_id"]
    assert graph.get(find("NorthWind.com"), scopes=LOOKUP).status_code == 200


def test_find_tenant_unknown_domain_is_404(graph):
    assert error_of(graph.get(find("gmail.com"), scopes=LOOKUP)) == (
        404, "Request_ResourceNotFound",
    )  # fmt: skip


def test_find_tenant_needs_its_scope(graph):
    assert error_of(graph.get(find("fabrikam.com"), scopes="User.Read.All")) == (
        403, "Authorization_RequestDenied",
    )  # fmt: skip


def test_find_tenant_through_a_batch(graph):
    response = graph.batch(
        [
            {"id": "1", "method": "GET", "url": find("fabrikam.com")},
            {"id": "2", "method": "GET", "url": find("example.org")},
        ],
        scopes=LOOKUP,
    )
    answers = {a["id"]: a for a in response.json()["responses"]}
    assert answers["1"]["status"] == 200
    assert answers["1"]["body"]["defaultDomainName"] == "fabrikam.com"
    assert answers["2"]["status"] == 404
