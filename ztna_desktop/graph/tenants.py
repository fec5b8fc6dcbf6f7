"""Guests' home tenants, found by e-mail domain (``findTenantInformationByDomainName``).

Only guests who sign in with another organisation's Entra account (federated
issuer ``ExternalAzureAD``) have a home tenant whose MFA this tenant may trust;
each distinct domain is asked once, through ``$batch``. A domain without an
Entra tenant answers 404 and simply has none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ztna_desktop.core.errors import BadResponse, NotFound
from ztna_desktop.core.models import GuestUser
from ztna_desktop.graph.batch import BatchItem, run_batch
from ztna_desktop.graph.transport import GraphClient

log = logging.getLogger(__name__)

ENTRA_ISSUER = "externalazuread"


@dataclass(frozen=True, slots=True)
class TenantInfo:
    """What Graph tells anyone about a tenant."""

    tenant_id: str
    display_name: str = ""
    default_domain: str = ""


def entra_guest_domains(users: Iterable[GuestUser]) -> dict[str, list[str]]:
    """E-mail domain -> ids of the guests from it whose federated issuer is ExternalAzureAD."""
    out: dict[str, list[str]] = {}
    for user in users:
        if not user.is_guest or not any(i.issuer.lower() == ENTRA_ISSUER for i in user.identities):
            continue
        _, at, domain = user.email.rpartition("@")
        if at and domain:
            out.setdefault(domain.lower(), []).append(user.id)
    return out


def tenant_request(domain: str) -> BatchItem:
    quoted = domain.replace("'", "''")
    return BatchItem(
        f"t:{domain}",
        f"/tenantRelationships/findTenantInformationByDomainName(domainName='{quoted}')",
    )


def parse_tenant(obj: Any) -> TenantInfo:
    if not isinstance(obj, dict) or not isinstance(obj.get("tenantId"), str):
        raise BadResponse(
            "Microsoft Graph sent unexpected data: tenant information without tenantId.",
            status=200,
            code="InvalidShape",
        )
    return TenantInfo(
        tenant_id=obj["tenantId"],
        display_name=str(obj.get("displayName") or ""),
        default_domain=str(obj.get("defaultDomainName") or ""),
    )


def home_tenants(domains: dict[str, list[str]], found: dict[str, TenantInfo]) -> dict[str, str]:
    """Guest id -> home tenant id, from domain -> guests and domain -> tenant."""
    return {
        guest: found[domain].tenant_id
        for domain, guests in domains.items()
        if domain in found
        for guest in guests
    }


def read_home_tenants(
    client: GraphClient, users: Iterable[GuestUser]
) -> tuple[dict[str, str], dict[str, TenantInfo]]:
    """(guest id -> home tenant id, domain -> tenant) in ceil(D/20) requests.

    Raises the first error other than a 404 (AccessDenied without
    CrossTenantInformation.ReadBasic.All).
    """
    domains = entra_guest_domains(users)
    results = run_batch(client, [tenant_request(d) for d in domains])
    found: dict[str, TenantInfo] = {}
    for domain in domains:
        result = results[f"t:{domain}"]
        if isinstance(result.error, NotFound):
            continue
        found[domain] = parse_tenant(result.json())
    log.info("Home tenants: %d of %d domains are Entra tenants", len(found), len(domains))
    return home_tenants(domains, found), found
