"""Cross-tenant MFA trust (default and per partner) and the external collaboration settings."""

from __future__ import annotations

import logging
from typing import Any

from ztna_desktop.core.directory import AuthorizationPolicy, MfaTrust
from ztna_desktop.core.errors import BadResponse
from ztna_desktop.graph.batch import BatchItem, run_batch
from ztna_desktop.graph.transport import GraphClient

log = logging.getLogger(__name__)

CROSS_TENANT = "/policies/crossTenantAccessPolicy"


def default_trust_request() -> BatchItem:
    """The default inbound trust (a singleton)."""
    return BatchItem("trust-default", f"{CROSS_TENANT}/default")


def partners_request() -> BatchItem:
    """The partner configurations (a collection, paged like any other)."""
    return BatchItem("trust-partners", f"{CROSS_TENANT}/partners?$select=tenantId,inboundTrust")


def authorization_request() -> BatchItem:
    """The authorization policy (a singleton: invitations and guest access)."""
    return BatchItem("authorization", "/policies/authorizationPolicy")


def parse_default_trust(obj: Any) -> MfaTrust:
    """The default configuration's inbound MFA trust (absent ``inboundTrust``: not trusted)."""
    if not isinstance(obj, dict):
        raise _bad("the default cross-tenant policy is not an object")
    return MfaTrust(None, _mfa_accepted(obj.get("inboundTrust")) or False, "Default")


def parse_partner(obj: Any) -> MfaTrust | None:
    """A partner's own MFA trust; None when it inherits the default (``inboundTrust`` null)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("tenantId"), str):
        raise _bad("a cross-tenant partner has no tenantId")
    accepted = _mfa_accepted(obj.get("inboundTrust"))
    return None if accepted is None else MfaTrust(obj["tenantId"], accepted)


def parse_partners(values: list[Any]) -> dict[str, MfaTrust]:
    """Partners with their own inbound trust, by tenant id."""
    out = {}
    for obj in values:
        trust = parse_partner(obj)
        if trust is not None and trust.tenant_id:
            out[trust.tenant_id] = trust
    return out


def parse_authorization(obj: Any) -> AuthorizationPolicy:
    """The parts of ``authorizationPolicy`` the app shows."""
    if not isinstance(obj, dict):
        raise _bad("the authorization policy is not an object")
    role = obj.get("guestUserRoleId")
    return AuthorizationPolicy(
        allow_invites_from=str(obj.get("allowInvitesFrom") or ""),
        guest_user_role_id=role if isinstance(role, str) else None,
    )


def read_mfa_trust(client: GraphClient) -> tuple[MfaTrust, dict[str, MfaTrust]]:
    """(default trust, partners with their own trust) in one ``$batch`` plus partner pages."""
    results = run_batch(client, [default_trust_request(), partners_request()])
    default = parse_default_trust(results["trust-default"].json())
    page = results["trust-partners"].json()
    values = list(page.get("value") or [])
    link = page.get("@odata.nextLink")
    if link:
        for more in client.iter_pages(str(link)):
            values.extend(more["value"])
    return default, parse_partners(values)


def read_authorization_policy(client: GraphClient) -> AuthorizationPolicy:
    """Who may invite guests and what guests may see."""
    return parse_authorization(client.get(authorization_request().url))


def _mfa_accepted(inbound: Any) -> bool | None:
    if inbound is None:
        return None
    if not isinstance(inbound, dict):
        raise _bad("inboundTrust is not an object")
    value = inbound.get("isMfaAccepted")
    return bool(value) if value is not None else None


def _bad(text: str) -> BadResponse:
    return BadResponse(
        f"Microsoft Graph sent unexpected data: {text}.", status=200, code="InvalidShape"
    )
