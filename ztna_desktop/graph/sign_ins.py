"""Guests' last sign-ins (``signInActivity``: Entra ID P1 and a reports-reading role)."""

from __future__ import annotations

from typing import Any

from ztna_desktop.core.directory import SignIn
from ztna_desktop.core.errors import BadResponse
from ztna_desktop.graph.batch import BatchItem, Chain
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import parse_datetime

#: Graph's page cap when signInActivity is selected (microsoft-graph.md §1).
SIGN_IN_PAGE = 500


def sign_ins_request(chain: Chain | None = None, rides_with: Chain | None = None) -> BatchItem:
    """Guests' sign-in activity, 500 a page; paced to ride with ``rides_with`` (``pacing``)."""
    return BatchItem(
        "sign-ins",
        f"/users?$select=id,signInActivity&$filter=userType eq 'Guest'&$top={SIGN_IN_PAGE}",
        chain=chain,
        rides_with=rides_with,
    )


def parse_sign_in(obj: Any) -> tuple[str, SignIn]:
    """(user id, SignIn); a user who never signed in gets an empty SignIn."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise BadResponse(
            "Microsoft Graph sent unexpected data: a user has no id.",
            status=200,
            code="InvalidShape",
        )
    act = obj.get("signInActivity")
    if not isinstance(act, dict):
        return obj["id"], SignIn(None)
    return obj["id"], SignIn(
        last_sign_in=parse_datetime(act.get("lastSignInDateTime")),
        last_successful_sign_in=parse_datetime(act.get("lastSuccessfulSignInDateTime")),
        last_non_interactive_sign_in=parse_datetime(act.get("lastNonInteractiveSignInDateTime")),
    )


def read_sign_ins(client: GraphClient) -> dict[str, SignIn]:
    """Every guest's sign-in activity, 500 a page.

    Raises:
        AccessDenied: no P1 (``Authentication_RequestFromNonPremiumTenantOrB2CTenant``)
            or no role that may read sign-in reports (``Authorization_RequestDenied``).
    """
    return dict(
        parse_sign_in(obj)
        for page in client.iter_pages(sign_ins_request().url)
        for obj in page["value"]
    )
