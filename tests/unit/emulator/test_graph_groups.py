"""Graph groups over HTTPS: list, filters, members, transitiveMembers, owners, casts, $count."""

from __future__ import annotations

import pytest

from tests.unit.emulator.conftest import ADMIN_SCOPES, GraphCaller, trusting_session

pytestmark = pytest.mark.emulator
GROUP_SCOPES = "User.Read.All GroupMember.Read.All"


def error_of(response):
    body = response.json()["error"]
    return response.status_code, body["code"]


def get(graph, path, params=None, **kw):
    kw.setdefault("scopes", GROUP_SCOPES)
    return graph.get(path, params, **kw)


def all_pages(graph, path, params=None, **kw):
    response = get(graph, path, params, **kw)
    assert response.status_code == 200, response.text
    pages = [response.json()]
    while "@odata.nextLink" in pages[-1]:
        response = get(graph, pages[-1]["@odata.nextLink"], **kw)
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return [item for page in pages for item in page["value"]], pages


def by_name(graph, name):
    body = get(graph, "/groups", {"$filter": f"displayName eq '{name}'"}).json()
    assert len(body["value"]) == 1, body
    return body["value"][0]


def test_groups_list_default_page_and_shape(graph, emulator):
    body = get(graph, "/groups").json()
    assert body["@odata.context"] == f"{graph.base}/$metadata#groups"
    assert len(body["value"]) == emulator.info["seed"]["groups"] == 12
    first = body["value"][0]
    assert {"id", "displayName", "groupTypes", "securityEnabled", "mailEnabled"} <= set(first)


def test_groups_filters(graph):
    security = get(graph, "/groups", {"$filter": "securityEnabled eq true"}).json()["value"]
    assert security
    assert all(g["securityEnabled"] for g in security)
    unified = get(graph, "/groups", {"$filter": "groupTypes/any(c:c eq 'Unified')"}).json()
    assert unified["value"]
    assert all("Unified" in g["groupTypes"] for g in unified["value"])
    dynamic = get(graph, "/groups", {"$filter": "groupTypes/any(c:c eq 'DynamicMembership')"})
    assert {g["displayName"] for g in dynamic.json()["value"]} == {
        "Fabrikam Guests (dynamic)", "Northwind Partners (dynamic)",
    }  # fmt: skip
    mail = get(graph, "/groups", {"$filter": "mailEnabled eq true and securityEnabled eq true"})
    assert [g["displayName"] for g in mail.json()["value"]] == ["Security Alerts"]
    ztna = get(graph, "/groups", {"$filter": "startswith(displayName,'ztna')"}).json()["value"]
    assert len(ztna) == 3


def test_groups_top_limits(graph):
    assert len(get(graph, "/groups", {"$top": "5"}).json()["value"]) == 5
    assert error_of(get(graph, "/groups", {"$top": "1000"})) == (400, "Request_BadRequest")


def test_groups_count_needs_the_header(graph):
    assert error_of(get(graph, "/groups/$count")) == (400, "Request_BadRequest")
    response = get(graph, "/groups/$count", eventual=True)
    assert response.text == "12"
    assert response.headers["Content-Type"].startswith("text/plain")


def test_single_group_and_404(graph):
    ztna = by_name(graph, "ZTNA Users")
    body = get(graph, f"/groups/{ztna['id']}", {"$select": "id,displayName"}).json()
    assert body["displayName"] == "ZTNA Users"
    assert body["@odata.context"].endswith("$metadata#groups(id,displayName)/$entity")
    assert error_of(get(graph, "/groups/00000000-0000-0000-0000-000000000001")) == (
        404, "Request_ResourceNotFound",
    )  # fmt: skip


def test_members_mix_types_with_odata_type(graph, emulator):
    ztna = by_name(graph, "ZTNA Users")
    members, _ = all_pages(graph, f"/groups/{ztna['id']}/members")
    types = {m["@odata.type"] for m in members}
    assert types == {"#microsoft.graph.user", "#microsoft.graph.group"}
    nested = [m for m in members if m["@odata.type"] == "#microsoft.graph.group"]
    assert [g["id"] for g in nested] == [emulator.info["seed"]["ztna_nested_group_id"]]
    assert "groupTypes" in nested[0]
    assert "userPrincipalName" not in nested[0]
    user = next(m for m in members if m["@odata.type"] == "#microsoft.graph.user")
    assert "userPrincipalName" in user
    picked = get(graph, f"/groups/{ztna['id']}/members", {"$select": "id,userType"}).json()
    for item in picked["value"]:
        expected = {"@odata.type", "id", "userType"} if "user" in item["@odata.type"] else {
            "@odata.type", "id",
        }  # fmt: skip
        assert set(item) == expected


def test_nested_only_guest_is_transitive_not_direct(graph, emulator):
    seed = emulator.info["seed"]
    ztna = seed["ztna_users_group_id"]
    direct, _ = all_pages(graph, f"/groups/{ztna}/members", {"$select": "id"})
    transitive, _ = all_pages(graph, f"/groups/{ztna}/transitiveMembers", {"$select": "id"})
    direct_ids = {m["id"] for m in direct}
    transitive_ids = {m["id"] for m in transitive}
    assert seed["nested_only_guest_id"] not in direct_ids
    assert seed["nested_only_guest_id"] in transitive_ids
    assert direct_ids < transitive_ids
    # Three levels: the EMEA group sits inside the nested group.
    emea = by_name(graph, "ZTNA Partner Engineers - EMEA")
    assert emea["id"] in transitive_ids
    assert emea["id"] not in direct_ids


def test_member_casts_need_advanced_headers(graph):
    ztna = by_name(graph, "ZTNA Users")["id"]
    plain = get(graph, f"/groups/{ztna}/members/microsoft.graph.user")
    assert error_of(plain) == (400, "Request_UnsupportedQuery")
    users = get(
        graph, f"/groups/{ztna}/members/microsoft.graph.user",
        {"$count": "true", "$select": "id,userType"}, eventual=True,
    ).json()  # fmt: skip
    assert users["@odata.context"] == f"{graph.base}/$metadata#users(id,userType)"
    assert users["@odata.count"] == len(users["value"])
    assert users["value"]
    assert all(set(u) == {"id", "userType"} for u in users["value"])
    groups = get(
        graph, f"/groups/{ztna}/transitiveMembers/microsoft.graph.group", {"$count": "true"},
        eventual=True,
    ).json()  # fmt: skip
    assert {g["displayName"] for g in groups["value"]} == {
        "ZTNA Partner Engineers", "ZTNA Partner Engineers - EMEA",
    }  # fmt: skip
    guests = get(
        graph, f"/groups/{ztna}/members/microsoft.graph.user",
        {"$count": "true", "$filter": "userType eq 'Guest'", "$select": "userType"},
        eventual=True,
    ).json()  # fmt: skip
    assert guests["value"]
    assert all(u["userType"] == "Guest" for u in guests["value"])


def test_cast_errors(graph):
    ztna = by_name(graph, "ZTNA Users")["id"]
    role = get(
        graph, f"/groups/{ztna}/members/microsoft.graph.directoryRole", {"$count": "true"},
        eventual=True,
    )  # fmt: skip
    assert error_of(role) == (400, "Request_UnsupportedQuery")
    shoe = get(graph, f"/groups/{ztna}/members/microsoft.graph.shoe")
    assert error_of(shoe) == (400, "BadRequest")
    assert error_of(get(graph, f"/groups/{ztna}/friends")) == (400, "BadRequest")


def test_member_count_segments(graph):
    ztna = by_name(graph, "ZTNA Users")["id"]
    assert error_of(get(graph, f"/groups/{ztna}/members/$count")) == (400, "Request_BadRequest")
    members, _ = all_pages(graph, f"/groups/{ztna}/members", {"$select": "id"})
    total = get(graph, f"/groups/{ztna}/members/$count", eventual=True)
    assert int(total.text) == len(members)
    users = get(graph, f"/groups/{ztna}/members/microsoft.graph.user/$count", eventual=True)
    assert int(users.text) == len(members) - 1


def test_owners(graph, emulator_info):
    apollo = by_name(graph, "Project Apollo")
    owners = get(graph, f"/groups/{apollo['id']}/owners", {"$select": "id,userPrincipalName"})
    upns = {o["userPrincipalName"] for o in owners.json()["value"]}
    assert emulator_info["personas"]["owner"] in upns
    cast = get(graph, f"/groups/{apollo['id']}/owners/microsoft.graph.user")
    assert cast.status_code == 200  # owners casts are not advanced queries


def test_group_reads_need_a_group_scope(graph):
    assert error_of(graph.get("/groups", scopes="User.Read.All")) == (
        403, "Authorization_RequestDenied",
    )  # fmt: skip
    assert get(graph, "/groups", persona="owner").status_code == 200
    assert get(graph, "/groups", persona="helpdesk").status_code == 200


def test_member_users_without_user_scope_show_type_and_id_only(graph):
    ztna = by_name(graph, "ZTNA Users")["id"]
    body = graph.get(f"/groups/{ztna}/members", scopes="GroupMember.Read.All").json()
    user = next(m for m in body["value"] if m["@odata.type"] == "#microsoft.graph.user")
    assert user["id"]
    assert user["displayName"] is None


def test_large_group_pages_inside_members(emulator_factory):
    emu = emulator_factory(guests=25_000, members=50, groups=20, apps=6)
    with trusting_session(emu.info["ca_file"]) as session:
        graph = GraphCaller(emu, session)
        groups = get(graph, "/groups", {"$filter": "displayName eq 'Fabrikam Guests (dynamic)'"})
        fabrikam = groups.json()["value"][0]["id"]
        members, pages = all_pages(
            graph, f"/groups/{fabrikam}/members", {"$select": "id", "$top": "999"}
        )
        assert len(members) > 999
        assert len(pages) >= 2
        assert len({m["id"] for m in members}) == len(members)
        assert pages[0]["@odata.nextLink"].startswith(f"{graph.base}/groups/{fabrikam}/members?")


def test_owned_objects_and_member_of(graph, emulator_info):
    owned = graph.get("/me/ownedObjects", persona="owner", scopes="User.Read").json()["value"]
    kinds = {o["@odata.type"] for o in owned}
    assert kinds == {"#microsoft.graph.group", "#microsoft.graph.servicePrincipal"}
    groups = graph.get(
        "/me/ownedObjects/microsoft.graph.group",
        {"$select": "id,displayName,securityEnabled,groupTypes"},
        persona="owner",
        scopes="User.Read",
    ).json()
    names = {g["displayName"] for g in groups["value"]}
    assert {"Project Apollo", "ZTNA Partner Engineers", "Partner Portal Users"} <= names
    assert all("@odata.type" not in g for g in groups["value"])
    assert error_of(graph.get("/me/ownedObjects", persona=None)) == (400, "Request_BadRequest")


ROLE_TEMPLATES = {
    "admin": {"f2ef992c-3afb-46b9-b7cf-a126ee74c451", "fe930be7-5e62-47db-91af-98c3a49a38b1",
              "fdd7a751-b60b-444a-984c-02652fe8fa1c"},
    "owner": set(),
    "helpdesk": {"729827e3-9c14-49f7-bb1b-9608f156bbb8"},
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(ROLE_TEMPLATES))
def test_member_of_directory_roles(graph, persona):
    roles = graph.get(
        "/me/memberOf/microsoft.graph.directoryRole",
        {"$select": "displayName,roleTemplateId"},
        persona=persona,
        scopes="User.Read",
    )
    assert roles.status_code == 200, roles.text
    assert {r["roleTemplateId"] for r in roles.json()["value"]} == ROLE_TEMPLATES[persona]
    everything = graph.get("/me/memberOf", persona=persona, scopes="User.Read").json()["value"]
    assert "#microsoft.graph.group" in {o["@odata.type"] for o in everything}


def test_transitive_member_of_for_a_user(graph, emulator):
    guest = emulator.info["seed"]["nested_only_guest_id"]
    direct = graph.get(f"/users/{guest}/memberOf", scopes=ADMIN_SCOPES).json()["value"]
    nested = graph.get(f"/users/{guest}/transitiveMemberOf", scopes=ADMIN_SCOPES).json()
    names = {g["displayName"] for g in nested["value"]}
    assert "ZTNA Users" in names
    assert "ZTNA Users" not in {g["displayName"] for g in direct}
