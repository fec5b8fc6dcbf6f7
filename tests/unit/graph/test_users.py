"""Parsing Graph users into GuestUser, and the shape of the list request."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes import FakeSession, FakeTokenProvider, response
from ztna_desktop.core.errors import BadResponse
from ztna_desktop.core.models import Identity
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import (
    USER_SELECT,
    get_me,
    get_organization,
    list_users,
    parse_datetime,
    parse_user,
)

BASE = "https://graph.example/v1.0"

FULL = {
    "id": "39807bd1-0000-0000-0000-000000000001",
    "displayName": "Adele Vance",
    "mail": "AdeleV@adatum.com",
    "userPrincipalName": "AdeleV_adatum.com#EXT#@contoso.onmicrosoft.com",
    "userType": "Guest",
    "externalUserState": "Accepted",
    "externalUserStateChangeDateTime": "2024-03-01T09:00:00Z",
    "createdDateTime": "2024-02-28T12:00:00.1234567Z",
    "accountEnabled": False,
    "creationType": "Invitation",
    "companyName": "Adatum",
    "otherMails": ["adele@home.example"],
    "identities": [
        {
            "signInType": "userPrincipalName",
            "issuer": "contoso.onmicrosoft.com",
            "issuerAssignedId": "AdeleV_adatum.com#EXT#@contoso.onmicrosoft.com",
        },
        {"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": None},
    ],
}


def test_parse_full_user():
    user = parse_user(FULL)
    assert user.id == FULL["id"]
    assert user.display_name == "Adele Vance"
    assert user.is_guest
    assert user.account_enabled is False
    assert user.external_user_state_changed == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert user.created == datetime(2024, 2, 28, 12, 0, 0, 123456, tzinfo=UTC)
    assert user.identities[1] == Identity("federated", "ExternalAzureAD", None)
    assert user.other_mails == ("adele@home.example",)
    assert user.source == "Microsoft Entra (other organisation)"


def test_parse_tolerates_nulls_and_missing_optional_fields():
    user = parse_user(
        {"id": "x", "displayName": None, "mail": None, "identities": None, "createdDateTime": None}
    )
    assert user.id == "x"
    assert user.display_name == ""
    assert user.mail is None
    assert user.user_principal_name == ""
    assert user.user_type == "Member"
    assert user.account_enabled is True
    assert user.identities == ()
    assert user.created is None


@pytest.mark.parametrize(
    "obj",
    [
        {},
        {"id": None},
        {"id": ""},
        {"id": 5},
        [],
        "user",
        {"id": "x", "displayName": 3},
        {"id": "x", "accountEnabled": "yes"},
        {"id": "x", "identities": "federated"},
        {"id": "x", "identities": ["x"]},
        {"id": "x", "otherMails": "a@b"},
        {"id": "x", "createdDateTime": "last tuesday"},
        {"id": "x", "createdDateTime": 1700000000},
    ],
)
def test_parse_rejects_garbage_as_bad_response(obj):
    with pytest.raises(BadResponse):
        parse_user(obj)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-04T15:35:02Z", datetime(2025, 5, 4, 15, 35, 2, tzinfo=UTC)),
        (
            "2025-05-04T15:35:02.5+02:00",
            datetime(2025, 5, 4, 15, 35, 2, 500000, tzinfo=UTC) - timedelta(hours=2),
        ),
        ("2025-05-04T15:35:02", datetime(2025, 5, 4, 15, 35, 2, tzinfo=UTC)),
        ("2025-05-04T15:35:02.1234567Z", datetime(2025, 5, 4, 15, 35, 2, 123456, tzinfo=UTC)),
    ],
)
def test_dates_are_aware(text, expected):
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


def page(n, start=0, link=None, count=None):
    body = {"value": [{"id": f"u{start + i}", "userType": "Guest"} for i in range(n)]}
    if link:
        body["@odata.nextLink"] = link
    if count is not None:
        body["@odata.count"] = count
    return response(200, body)


def test_list_users_asks_for_max_pages_select_and_reports_progress():
    link = f"{BASE}/users?$skiptoken=t1"
    session = FakeSession(page(999, 0, link, count=1200), page(201, 999))
    gc = GraphClient(BASE, FakeTokenProvider(), [], session=session)
    seen = []
    users = list_users(gc, progress=lambda d, t, s: seen.append((d, t)))
    assert [u.id for u in users][:2] == ["u0", "u1"]
    assert len(users) == 1200
    first = session.sent[0]
    assert first["params"]["$top"] == "999"
    assert first["params"]["$select"].split(",") == list(USER_SELECT)
    assert first["params"]["$filter"] == "userType eq 'Guest'"
    assert all(s["headers"]["ConsistencyLevel"] == "eventual" for s in session.sent)
    assert len(session.sent) == math.ceil(1200 / 999)
    assert seen == [(0, None), (999, 1200), (1200, 1200)]


def test_list_all_users_has_no_filter_and_works_without_count():
    session = FakeSession(page(3))
    seen = []
    list_users(
        GraphClient(BASE, FakeTokenProvider(), [], session=session),
        guests_only=False,
        progress=lambda d, t, s: seen.append((d, t)),
    )
    assert "$filter" not in session.sent[0]["params"]
    assert seen[-1] == (3, None)


def test_a_bad_user_in_a_page_fails_the_list():
    session = FakeSession(response(200, {"value": [{"id": "ok"}, {"displayName": "no id"}]}))
    with pytest.raises(BadResponse):
        list_users(GraphClient(BASE, FakeTokenProvider(), [], session=session))


def test_me_and_organization():
    session = FakeSession(
        response(200, {"id": "me1", "displayName": "Admin", "userPrincipalName": "a@c.test"}),
        response(
            200,
            {
                "value": [
                    {
                        "id": "t1",
                        "displayName": "Contoso",
                        "verifiedDomains": [
                            {"name": "contoso.example", "isInitial": False},
                            {"name": "contoso.onmicrosoft.com", "isInitial": True},
                        ],
                    }
                ]
            },
        ),
    )
    gc = GraphClient(BASE, FakeTokenProvider(), [], session=session)
    me = get_me(gc)
    assert (me.id, me.display_name, me.user_principal_name) == ("me1", "Admin", "a@c.test")
    org = get_organization(gc)
    assert (org.id, org.display_name, org.initial_domain) == (
        "t1",
        "Contoso",
        "contoso.onmicrosoft.com",
    )
    assert session.sent[0]["url"].endswith("/me")
    assert "$select" in session.sent[1]["params"]


def test_organization_empty_is_bad_response():
    session = FakeSession(response(200, {"value": []}))
    with pytest.raises(BadResponse):
        get_organization(GraphClient(BASE, FakeTokenProvider(), [], session=session))
