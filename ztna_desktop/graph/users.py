"""Users, the signed-in person and the tenant, read from Graph into core models."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from ztna_desktop.core.errors import BadResponse
from ztna_desktop.core.models import GuestUser, Identity, Me, Organization
from ztna_desktop.core.protocols import Progress, no_progress
from ztna_desktop.graph.transport import GraphClient

log = logging.getLogger(__name__)

#: What the guests view shows. signInActivity is left out: it needs Entra ID P1
#: and AuditLog.Read.All, which the sign-in scopes do not hold.
USER_SELECT: tuple[str, ...] = (
    "id",
    "displayName",
    "mail",
    "userPrincipalName",
    "userType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "createdDateTime",
    "accountEnabled",
    "creationType",
    "identities",
    "companyName",
    "otherMails",
)
PAGE_SIZE = 999  # Graph's maximum for directory collections
ME_SELECT = "id,displayName,userPrincipalName,mail"
ORGANIZATION_SELECT = "id,displayName,verifiedDomains"


def list_users(
    client: GraphClient, *, guests_only: bool = True, progress: Progress = no_progress
) -> list[GuestUser]:
    """All users (guests only by default), in ceil(N/999) requests.

    ``progress(done, total, text)`` is called after each page; total comes from
    ``@odata.count`` on the first page (None if Graph did not send it).
    """
    params = {"$select": ",".join(USER_SELECT), "$top": str(PAGE_SIZE), "$count": "true"}
    if guests_only:
        params["$filter"] = "userType eq 'Guest'"
    # $count=true needs the advanced-query header; it must go on every page.
    headers = {"ConsistencyLevel": "eventual"}
    users: list[GuestUser] = []
    total: int | None = None
    progress(0, None, "Reading users…")
    for page in client.iter_pages("/users", params=params, headers=headers):
        count = page.get("@odata.count")
        if total is None and isinstance(count, int) and not isinstance(count, bool):
            total = count
        for item in page["value"]:
            users.append(parse_user(item))
        shown_total = max(total, len(users)) if total is not None else None
        progress(len(users), shown_total, f"Read {len(users)} users")
    log.info("Read %d users (guests_only=%s)", len(users), guests_only)
    return users


def get_me(client: GraphClient) -> Me:
    """The signed-in person."""
    obj = client.get("/me", params={"$select": ME_SELECT})
    return Me(
        id=_id(obj),
        display_name=_str(obj, "displayName") or "",
        user_principal_name=_str(obj, "userPrincipalName") or "",
    )


def get_organization(client: GraphClient) -> Organization:
    """The signed-in tenant (``/organization`` is a collection of exactly one)."""
    body = client.get("/organization", params={"$select": ORGANIZATION_SELECT})
    items = body.get("value")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        raise _bad("/organization did not return the tenant")
    org = items[0]
    domains = org.get("verifiedDomains") or []
    if not isinstance(domains, list):
        raise _bad("verifiedDomains is not a list")
    initial = next(
        (
            str(d.get("name"))
            for d in domains
            if isinstance(d, dict) and d.get("isInitial") and d.get("name")
        ),
        "",
    )
    return Organization(
        id=_id(org), display_name=_str(org, "displayName") or "", initial_domain=initial
    )


def parse_user(obj: Any) -> GuestUser:
    """A Graph user object as a GuestUser: lenient on optional fields, strict on id.

    Raises:
        BadResponse: not an object, no id, or a field of the wrong type.
    """
    if not isinstance(obj, dict):
        raise _bad("a user is not a JSON object")
    enabled = obj.get("accountEnabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise _bad("accountEnabled is not a boolean")
    return GuestUser(
        id=_id(obj),
        display_name=_str(obj, "displayName") or "",
        mail=_str(obj, "mail"),
        user_principal_name=_str(obj, "userPrincipalName") or "",
        user_type=_str(obj, "userType") or "Member",
        account_enabled=True if enabled is None else enabled,
        external_user_state=_str(obj, "externalUserState"),
        external_user_state_changed=parse_datetime(obj.get("externalUserStateChangeDateTime")),
        created=parse_datetime(obj.get("createdDateTime")),
        creation_type=_str(obj, "creationType"),
        company_name=_str(obj, "companyName"),
        identities=_identities(obj.get("identities")),
        other_mails=tuple(_str_list(obj.get("otherMails"), "otherMails")),
    )


def parse_datetime(value: Any) -> datetime | None:
    """An ISO-8601 DateTimeOffset as an aware datetime (UTC when no offset is given)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _bad(f"a date is not a string: {value!r}")
    text = value.strip()
    # Graph may send 7 fractional digits; Python takes at most 6.
    head, dot, frac = text.partition(".")
    if dot:
        digits = len(frac) - len(frac.lstrip("0123456789"))
        text = f"{head}.{frac[: min(digits, 6)]}{frac[digits:]}"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(f"not an ISO-8601 date: {value!r}") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _bad(text: str) -> BadResponse:
    return BadResponse(
        f"Microsoft Graph sent unexpected data: {text}.", status=200, code="InvalidShape"
    )


def _id(obj: dict[str, Any]) -> str:
    value = obj.get("id")
    if not isinstance(value, str) or not value:
        raise _bad("an object has no id")
    return value


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(f"{key} is not a string")
    return value


def _str_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(f"{key} is not a list of strings")
    return list(value)


def _identities(value: Any) -> tuple[Identity, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _bad("identities is not a list")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise _bad("an identity is not an object")
        out.append(
            Identity(
                sign_in_type=_str(item, "signInType") or "",
                issuer=_str(item, "issuer") or "",
                issuer_assigned_id=_str(item, "issuerAssignedId"),
            )
        )
    return tuple(out)
