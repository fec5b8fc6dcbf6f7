"""MFA over HTTPS: userRegistrationDetails (filters, paging, reports limit, licence, roles) and
per-user authentication methods."""

from __future__ import annotations

import time

import pytest

from tests.unit.emulator.conftest import GraphCaller, trusting_session

pytestmark = pytest.mark.emulator
REPORT = "/reports/authenticationMethods/userRegistrationDetails"
AUDIT = "User.Read.All AuditLog.Read.All"
METHODS = "User.Read.All UserAuthenticationMethod.Read.All"
EVERY_METHOD = {
    "microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless", "softwareOneTimePasscode",
    "hardwareOneTimePasscode", "windowsHelloForBusiness", "fido2SecurityKey", "mobilePhone",
    "alternateMobilePhone", "officePhone", "email",
}  # fmt: skip


def error_of(response):
    return response.status_code, response.json()["error"]["code"]


@pytest.fixture
def private(emulator_factory):
    """A tenant of its own, with a short reports window so limit tests stay quick."""
    emu = emulator_factory(guests=300, members=20, seed=3, reports_window=1.0)
    with trusting_session(emu.info["ca_file"]) as session:
        yield GraphCaller(emu, session)


def walk(graph, params, **kw):
    response = graph.get(REPORT, params, scopes=AUDIT, **kw)
    assert response.status_code == 200, response.text
    pages = [response.json()]
    while "@odata.nextLink" in pages[-1]:
        response = graph.get(pages[-1]["@odata.nextLink"], scopes=AUDIT, **kw)
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return [row for page in pages for row in page["value"]], pages


def test_guest_rows_cover_every_method_and_none(graph, emulator):
    rows, pages = walk(graph, {"$filter": "userType eq 'guest'", "$top": "999"})
    assert len(pages) == 1
    enabled_guests = [
        u for u in emulator.state.tenant.users if u.user_type == "Guest" and u.enabled
    ]
    assert len(rows) == len(enabled_guests)  # disabled users are not in the report
    assert {r["userType"] for r in rows} == {"guest"}
    seen = {m for r in rows for m in r["methodsRegistered"]}
    assert seen == EVERY_METHOD
    none = [r for r in rows if not r["methodsRegistered"]]
    assert none
    assert all(not r["isMfaRegistered"] for r in none)
    assert all(r["userPreferredMethodForSecondaryAuthentication"] == "none" for r in none)
    office_only = [r for r in rows if r["methodsRegistered"] == ["officePhone"]]
    assert office_only
    assert all(r["isMfaRegistered"] and not r["isMfaCapable"] for r in office_only)


def test_report_filters(graph):
    fido, _ = walk(graph, {"$filter": "methodsRegistered/any(m:m eq 'fido2SecurityKey')"})
    assert fido
    assert all("fido2SecurityKey" in r["methodsRegistered"] for r in fido)
    members, _ = walk(graph, {"$filter": "userType eq 'member'", "$top": "999"})
    assert {r["userType"] for r in members} == {"member"}
    admins = [r for r in members if r["isAdmin"]]
    assert {r["userPrincipalName"].split("@")[0] for r in admins} == {"admin", "helpdesk"}
    registered, _ = walk(graph, {"$filter": "isMfaRegistered eq false", "$top": "999"})
    assert all(not r["isMfaRegistered"] for r in registered)
    bad = graph.get(REPORT, {"$filter": "isAdmin ne true"}, scopes=AUDIT)
    assert error_of(bad) == (400, "Request_UnsupportedQuery")


def test_report_pages_with_next_link(graph):
    rows, pages = walk(graph, {"$top": "100"})
    assert len(pages) >= 3
    assert len({r["id"] for r in rows}) == len(rows)
    assert pages[0]["@odata.nextLink"].startswith(f"{graph.base}{REPORT}?")


def test_single_registration(graph, emulator):
    guest = emulator.info["seed"]["direct_gateway_guest_ids"][0]
    body = graph.get(f"{REPORT}/{guest}", scopes=AUDIT).json()
    assert body["id"] == guest
    assert body["userType"] == "guest"
    missing = graph.get(f"{REPORT}/00000000-0000-0000-0000-000000000000", scopes=AUDIT)
    assert error_of(missing) == (404, "Request_ResourceNotFound")


def test_sixth_report_request_in_the_window_is_throttled(private):
    for _ in range(5):
        assert private.get(REPORT, {"$top": "1"}, scopes=AUDIT).status_code == 200
    refused = private.get(REPORT, {"$top": "1"}, scopes=AUDIT)
    assert error_of(refused) == (429, "TooManyRequests")
    wait = float(refused.headers["Retry-After"])
    assert 0 < wait <= 1.0
    # Other endpoints are not limited, and another user has a window of its own.
    assert private.get("/users", {"$top": "1"}).status_code == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        again = private.get(REPORT, {"$top": "1"}, scopes=AUDIT)
        if again.status_code == 200:
            break
    assert again.status_code == 200


def test_report_limit_applies_inside_a_batch(private):
    answers = private.batch(
        [{"id": str(i), "method": "GET", "url": f"{REPORT}?$top=1"} for i in range(7)],
        scopes=AUDIT,
    ).json()["responses"]
    statuses = sorted(a["status"] for a in answers)
    assert statuses == [200] * 5 + [429] * 2
    throttled = [a for a in answers if a["status"] == 429]
    assert all(float(a["headers"]["Retry-After"]) > 0 for a in throttled)


def test_report_needs_p1(emulator_factory):
    emu = emulator_factory(guests=10, no_premium=True)
    with trusting_session(emu.info["ca_file"]) as session:
        graph = GraphCaller(emu, session)
        refused = graph.get(REPORT, scopes=AUDIT)
        assert error_of(refused) == (403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant")
        guest = next(u for u in emu.state.tenant.users if u.user_type == "Guest")
        methods = graph.get(f"/users/{guest.id}/authentication/methods", scopes=METHODS)
        assert methods.status_code == 200  # per-user methods need no P1


@pytest.mark.parametrize("persona", ["owner", "helpdesk"])
def test_report_and_methods_refused_for_non_reader_roles(graph, emulator, persona):
    everything = f"{AUDIT} UserAuthenticationMethod.Read.All"
    guest = emulator.info["seed"]["nested_only_guest_id"]
    refused = graph.get(REPORT, persona=persona, scopes=everything)
    assert error_of(refused) == (403, "Authorization_RequestDenied")
    methods = graph.get(
        f"/users/{guest}/authentication/methods", persona=persona, scopes=everything
    )
    assert error_of(methods) == (403, "Authorization_RequestDenied")
    activity = graph.get("/users", {"$select": "id,signInActivity"}, persona=persona,
                         scopes=everything)  # fmt: skip
    assert error_of(activity) == (403, "Authorization_RequestDenied")
    assert graph.get("/users", {"$top": "1"}, persona=persona).status_code == 200


def test_report_needs_audit_log_scope(graph):
    assert error_of(graph.get(REPORT, scopes="User.Read.All")) == (
        403, "Authorization_RequestDenied",
    )  # fmt: skip


GUEST_METHOD_TYPES = {
    "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    "#microsoft.graph.phoneAuthenticationMethod",
    "#microsoft.graph.softwareOathAuthenticationMethod",
    "#microsoft.graph.fido2AuthenticationMethod",
    "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    "#microsoft.graph.emailAuthenticationMethod",
}  # guests have no password in the resource tenant


def test_per_user_methods_shapes(graph, emulator):
    types: set[str] = set()
    phone_ids: dict[str, str] = {}
    for row in emulator.state.world.report_rows:
        if row.user.user_type != "Guest" or not row.reg.methods:
            continue
        body = graph.get(f"/users/{row.user.id}/authentication/methods", scopes=METHODS).json()
        for item in body["value"]:
            types.add(item["@odata.type"])
            if item["@odata.type"].endswith("phoneAuthenticationMethod"):
                phone_ids[item["phoneType"]] = item["id"]
        if types == GUEST_METHOD_TYPES and len(phone_ids) == 3:
            break
    assert types == GUEST_METHOD_TYPES
    assert phone_ids == {
        "mobile": "3179e48a-750b-4051-897c-87b9720928f7",
        "alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
        "office": "e37fc753-ff3b-4958-9484-eaa9425c82bc",
    }


def test_per_user_methods_take_no_query_options(graph, emulator):
    guest = emulator.info["seed"]["nested_only_guest_id"]
    path = f"/users/{guest}/authentication/methods"
    assert error_of(graph.get(path, {"$top": "1"}, scopes=METHODS)) == (400, "Request_BadRequest")
    assert error_of(graph.get(path, scopes="User.Read.All")) == (403, "Authorization_RequestDenied")


def test_my_methods(graph):
    mine = graph.get("/me/authentication/methods", persona="owner",
                     scopes="UserAuthenticationMethod.Read").json()["value"]  # fmt: skip
    kinds = [m["@odata.type"] for m in mine]
    assert "#microsoft.graph.passwordAuthenticationMethod" in kinds
    assert "#microsoft.graph.phoneAuthenticationMethod" in kinds
