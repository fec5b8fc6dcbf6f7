"""Graph /users, /me, /organization over HTTPS: $select, $filter gates, paging, $count, $search."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ztna_desktop.emulator.odata_search import NEEDS_HEADER as SEARCH_NEEDS_HEADER

pytestmark = pytest.mark.emulator

DEFAULT_USER_PROPS = {
    "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone",
    "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
}  # fmt: skip
GUEST_SELECT = "id,displayName,mail,userPrincipalName,userType,externalUserState,identities"


def error_of(response):
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def all_pages(graph, path, params, **kw):
    response = graph.get(path, params, **kw)
    assert response.status_code == 200, response.text
    pages = [response.json()]
    while "@odata.nextLink" in pages[-1]:
        response = graph.get(pages[-1]["@odata.nextLink"], **kw)
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return pages


def test_users_default_property_set(graph):
    body = graph.get("/users", {"$top": "5"}).json()
    assert body["@odata.context"] == f"{graph.base}/$metadata#users"
    assert len(body["value"]) == 5
    for user in body["value"]:
        assert set(user) == DEFAULT_USER_PROPS


def test_select_returns_only_the_selected_properties(graph):
    body = graph.get("/users", {"$select": "displayName,userType", "$top": "3"}).json()
    assert body["@odata.context"].endswith("$metadata#users(displayName,userType)")
    assert all(set(u) == {"displayName", "userType"} for u in body["value"])


def test_select_is_case_insensitive_and_canonical(graph):
    body = graph.get("/users", {"$select": "DISPLAYNAME", "$top": "1"}).json()
    assert set(body["value"][0]) == {"displayName"}


def test_select_of_an_unknown_property_is_a_400(graph):
    status, code, message = error_of(graph.get("/users", {"$select": "id,shoeSize"}))
    assert (status, code) == (400, "BadRequest")
    assert "'shoeSize'" in message
    assert "microsoft.graph.user" in message


def test_paging_walks_every_guest_once_and_keeps_the_query(graph, emulator):
    params = {"$filter": "userType eq 'Guest'", "$select": "id,userType", "$top": "100"}
    pages = all_pages(graph, "/users", params)
    ids = [u["id"] for page in pages for u in page["value"]]
    assert len(ids) == len(set(ids)) == emulator.options.guests
    assert len(pages) == 3
    assert all(u["userType"] == "Guest" for page in pages for u in page["value"])
    link = urlsplit(pages[0]["@odata.nextLink"])
    query = parse_qs(link.query)
    assert query["$filter"] == ["userType eq 'Guest'"]
    assert query["$select"] == ["id,userType"]
    assert query["$skiptoken"][0]  # opaque, but present
    assert "@odata.nextLink" not in pages[-1]


def test_default_page_is_100(graph):
    body = graph.get("/users", {"$select": "id"}).json()
    assert len(body["value"]) == 100
    assert "@odata.nextLink" in body


@pytest.mark.parametrize("top", ["1000", "0", "-1", "many"])
def test_top_out_of_range_is_a_400(graph, top):
    status, code, message = error_of(graph.get("/users", {"$top": top}))
    assert (status, code) == (400, "Request_BadRequest")
    assert message.startswith(f"Invalid page size specified: '{top}'")


def test_top_999_is_allowed(graph, emulator):
    body = graph.get("/users", {"$top": "999", "$select": "id"}).json()
    assert len(body["value"]) == emulator.options.guests + emulator.options.member_count
    assert "@odata.nextLink" not in body


def test_tampered_skiptoken_is_refused(graph):
    first = graph.get("/users", {"$top": "2"}).json()
    link = first["@odata.nextLink"]
    broken = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    status, code, _ = error_of(graph.get(broken))
    assert (status, code) == (400, "Directory_ExpiredPageToken")


def test_count_true_with_header_counts_on_the_first_page_only(graph, emulator):
    params = {"$filter": "userType eq 'Guest'", "$count": "true", "$top": "100"}
    first = graph.get("/users", params, eventual=True).json()
    assert first["@odata.count"] == emulator.options.guests
    second = graph.get(first["@odata.nextLink"], eventual=True).json()
    assert "@odata.count" not in second
    assert second["value"]


def test_count_true_without_header_is_silently_ignored(graph):
    response = graph.get("/users", {"$count": "true", "$top": "1"})
    assert response.status_code == 200
    assert "@odata.count" not in response.json()


def test_count_segment_needs_the_header(graph):
    status, code, message = error_of(graph.get("/users/$count"))
    assert (status, code, message) == (
        400,
        "Request_BadRequest",
        "$count is not currently supported.",
    )


def test_count_segment_with_header_allows_advanced_operators(graph):
    response = graph.get("/users/$count", {"$filter": "endswith(mail,'@gmail.com')"}, eventual=True)
    assert response.status_code == 200, response.text
    assert int(response.text) > 0


def test_count_segment_is_plain_text(graph, emulator):
    response = graph.get("/users/$count", {"$filter": "userType eq 'Member'"}, eventual=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == str(emulator.options.member_count)


@pytest.mark.parametrize(
    ("flt", "operator"),
    [
        ("userType ne 'Guest'", "ne"),
        ("not(userType eq 'Guest')", "not"),
        ("endswith(mail,'@gmail.com')", "endsWith"),
    ],
)
def test_advanced_operators_need_header_and_count(graph, flt, operator):
    for kwargs in ({}, {"eventual": True}, {"params_count": True}):
        params = {"$filter": flt}
        if kwargs.pop("params_count", False):
            params["$count"] = "true"
        status, code, message = error_of(graph.get("/users", params, **kwargs))
        assert (status, code) == (400, "Request_UnsupportedQuery")
        assert message.startswith(f"Operator '{operator}' is not supported because the required")
    ok = graph.get("/users", {"$filter": flt, "$count": "true"}, eventual=True)
    assert ok.status_code == 200, ok.text
    assert ok.json()["@odata.count"] > 0


def test_endswith_filters_correctly(graph):
    params = {"$filter": "endswith(mail,'@gmail.com')", "$count": "true", "$select": "mail"}
    pages = all_pages(graph, "/users", params, eventual=True)
    mails = [u["mail"] for p in pages for u in p["value"]]
    assert mails
    assert all(m.endswith("@gmail.com") for m in mails)
    assert pages[0]["@odata.count"] == len(mails)


def test_unsupported_clause_names_property_and_resource(graph):
    status, code, message = error_of(
        graph.get("/users", {"$filter": "createdDateTime gt 2024-01-01T00:00:00Z"})
    )
    assert (status, code) == (400, "Request_UnsupportedQuery")
    assert message == (
        "Unsupported or invalid query filter clause specified for property 'createdDateTime' "
        "of resource 'User'."
    )


def test_incompatible_literal_type_is_a_400(graph):
    status, code, message = error_of(graph.get("/users", {"$filter": "accountEnabled eq 'yes'"}))
    assert (status, code) == (400, "BadRequest")
    assert "Edm.Boolean" in message


def test_identities_lambda_and_combined_filters(graph):
    params = {
        "$filter": "userType eq 'Guest' and identities/any(i:i/issuer eq 'ExternalAzureAD')",
        "$select": "id,identities,externalUserState,companyName,creationType",
        "$top": "999",
    }
    users = graph.get("/users", params).json()["value"]
    assert users
    for user in users:
        assert any(i["issuer"] == "ExternalAzureAD" for i in user["identities"])
        assert user["externalUserState"] == "Accepted"
        assert user["companyName"]
        assert user["creationType"] == "Invitation"


def test_in_and_startswith_and_or(graph):
    params = {
        "$filter": "externalUserState in ('PendingAcceptance') or startswith(displayName,'Ann')",
        "$select": "displayName,externalUserState,identities",
        "$top": "999",
    }
    users = graph.get("/users", params).json()["value"]
    assert users
    for user in users:
        pending = user["externalUserState"] == "PendingAcceptance"
        assert pending or user["displayName"].lower().startswith("ann")
        if pending:  # pending guests have not redeemed: no federated identity yet
            assert [i["signInType"] for i in user["identities"]] == ["userPrincipalName"]


def test_search_needs_the_header(graph):
    status, code, message = error_of(graph.get("/users", {"$search": '"displayName:ann"'}))
    assert (status, code, message) == (400, "Request_UnsupportedQuery", SEARCH_NEEDS_HEADER)


def test_search_matches_word_prefixes(graph):
    params = {"$search": '"displayName:an"', "$select": "displayName", "$top": "999"}
    users = graph.get("/users", params, eventual=True).json()["value"]
    assert users
    for user in users:
        assert any(w.lower().startswith("an") for w in user["displayName"].split())


def test_search_or_combines_clauses(graph):
    one = graph.get("/users", {"$search": '"displayName:alex"', "$top": "999"}, eventual=True)
    two = graph.get("/users", {"$search": '"surname:helpdesk"', "$top": "999"}, eventual=True)
    both = graph.get(
        "/users", {"$search": '"displayName:alex" OR "surname:helpdesk"', "$top": "999"},
        eventual=True,
    )  # fmt: skip
    ids = lambda r: {u["id"] for u in r.json()["value"]}  # noqa: E731
    assert ids(both) == ids(one) | ids(two)
    assert ids(two)


def test_search_unknown_property_is_refused(graph):
    status, code, _ = error_of(graph.get("/users", {"$search": '"shoe:9"'}, eventual=True))
    assert (status, code) == (400, "Request_UnsupportedQuery")


def test_unknown_query_option_is_refused(graph):
    status, code, _ = error_of(graph.get("/users", {"$skip": "10"}))
    assert (status, code) == (400, "Request_BadRequest")


def test_orderby_display_name(graph):
    names = [
        u["displayName"]
        for u in graph.get("/users", {"$orderby": "displayName", "$top": "50"}).json()["value"]
    ]
    assert names == sorted(names, key=str.casefold)
    status, code, _ = error_of(
        graph.get("/users", {"$orderby": "displayName", "$filter": "userType eq 'Guest'"})
    )
    assert (status, code) == (400, "Request_UnsupportedQuery")
