"""Graph app access: service principals, the ZTNA gateway, appRoleAssignedTo, user assignments."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.emulator
APP_SCOPES = "User.Read.All Application.Read.All"
ZERO = "00000000-0000-0000-0000-000000000000"


def error_of(response):
    return response.status_code, response.json()["error"]["code"]


def get(graph, path, params=None, **kw):
    kw.setdefault("scopes", APP_SCOPES)
    return graph.get(path, params, **kw)


def gateway(graph, emulator_info):
    app_id = emulator_info["ztna_gateway_app_id"]
    body = get(graph, "/servicePrincipals", {"$filter": f"appId eq '{app_id}'"}).json()
    assert len(body["value"]) == 1
    return body["value"][0]


def test_service_principals_list_and_shape(graph, emulator_info):
    body = get(graph, "/servicePrincipals").json()
    assert body["@odata.context"] == f"{graph.base}/$metadata#servicePrincipals"
    assert len(body["value"]) == emulator_info["seed"]["apps"] == 6
    tagged = [s for s in body["value"] if "WindowsAzureActiveDirectoryIntegratedApp" in s["tags"]]
    assert len(tagged) == 5  # Microsoft Graph's own principal is no enterprise app


def test_the_ztna_gateway(graph, emulator_info):
    sp = gateway(graph, emulator_info)
    assert sp["displayName"] == "Sophos ZTNA Gateway"
    assert sp["appRoleAssignmentRequired"] is True
    assert sp["appRoles"] == []
    assert sp["id"] == emulator_info["seed"]["ztna_gateway_sp_id"]
    by_app_id = get(graph, f"/servicePrincipals(appId='{emulator_info['ztna_gateway_app_id']}')")
    assert by_app_id.json()["id"] == sp["id"]


def test_service_principal_filters(graph):
    required = get(graph, "/servicePrincipals", {"$filter": "appRoleAssignmentRequired eq true"})
    values = required.json()["value"]
    assert values
    assert all(s["appRoleAssignmentRequired"] for s in values)
    optional = get(graph, "/servicePrincipals", {"$filter": "appRoleAssignmentRequired eq false"})
    assert len(values) + len(optional.json()["value"]) == 6
    sophos = get(graph, "/servicePrincipals", {"$filter": "startswith(displayName,'sophos')"})
    assert [s["displayName"] for s in sophos.json()["value"]] == ["Sophos ZTNA Gateway"]
    tags = get(
        graph,
        "/servicePrincipals",
        {"$filter": "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')", "$select": "id"},
    )
    assert len(tags.json()["value"]) == 5


def test_service_principal_by_id_select_and_404(graph, emulator_info):
    sp_id = emulator_info["seed"]["ztna_gateway_sp_id"]
    body = get(graph, f"/servicePrincipals/{sp_id}", {"$select": "id,appId"}).json()
    assert set(body) == {"@odata.context", "id", "appId"}
    assert error_of(get(graph, f"/servicePrincipals/{ZERO}")) == (404, "Request_ResourceNotFound")


def test_gateway_assignments_groups_and_direct_guests(graph, emulator_info):
    seed = emulator_info["seed"]
    body = get(graph, f"/servicePrincipals/{seed['ztna_gateway_sp_id']}/appRoleAssignedTo").json()
    assignments = body["value"]
    groups = [a for a in assignments if a["principalType"] == "Group"]
    users = {a["principalId"] for a in assignments if a["principalType"] == "User"}
    assert [g["principalId"] for g in groups] == [seed["ztna_users_group_id"]]
    assert set(seed["direct_gateway_guest_ids"]) <= users
    assert seed["nested_only_guest_id"] not in users
    assert seed["ztna_nested_group_id"] not in {a["principalId"] for a in assignments}
    first = assignments[0]
    assert first["appRoleId"] == ZERO
    assert first["resourceId"] == seed["ztna_gateway_sp_id"]
    assert first["resourceDisplayName"] == "Sophos ZTNA Gateway"
    assert len(first["id"]) == 43  # opaque, not a GUID


def test_user_assignments_include_direct_groups_only(graph, emulator_info):
    seed = emulator_info["seed"]
    gateway_id = seed["ztna_gateway_sp_id"]
    direct_guest = seed["direct_gateway_guest_ids"][0]
    mine = get(graph, f"/users/{direct_guest}/appRoleAssignments").json()["value"]
    assert gateway_id in {a["resourceId"] for a in mine}
    nested = get(graph, f"/users/{seed['nested_only_guest_id']}/appRoleAssignments").json()
    assert gateway_id not in {a["resourceId"] for a in nested["value"]}
    admin = get(graph, "/users/admin@contoso.onmicrosoft.com/appRoleAssignments").json()
    via_group = [a for a in admin["value"] if a["resourceId"] == gateway_id]
    assert via_group
    assert via_group[0]["principalType"] == "Group"


def test_user_assignments_filter_on_resource_id_guid(graph, emulator_info):
    seed = emulator_info["seed"]
    guest = seed["direct_gateway_guest_ids"][0]
    gateway_id = seed["ztna_gateway_sp_id"]
    body = get(
        graph, f"/users/{guest}/appRoleAssignments", {"$filter": f"resourceId eq {gateway_id}"}
    )
    assert [a["resourceId"] for a in body.json()["value"]] == [gateway_id]
    quoted = get(
        graph, f"/users/{guest}/appRoleAssignments", {"$filter": f"resourceId eq '{gateway_id}'"}
    )
    assert error_of(quoted) == (400, "BadRequest")  # Edm.Guid compared with a string


def test_apps_need_application_read(graph, emulator_info):
    sp_id = emulator_info["seed"]["ztna_gateway_sp_id"]
    assert error_of(graph.get("/servicePrincipals", scopes="User.Read.All")) == (
        403,
        "Authorization_RequestDenied",
    )
    assert error_of(graph.get(f"/servicePrincipals/{sp_id}/appRoleAssignedTo")) == (
        403,
        "Authorization_RequestDenied",
    )
    for persona in ("owner", "helpdesk"):
        assert get(graph, "/servicePrincipals", persona=persona).status_code == 200


def test_owner_owns_the_partner_portal(graph, emulator_info):
    owned = graph.get(
        "/me/ownedObjects/microsoft.graph.servicePrincipal", persona="owner", scopes="User.Read"
    ).json()["value"]
    assert [s["displayName"] for s in owned] == ["Partner Portal"]
    owners = get(graph, f"/servicePrincipals/{owned[0]['id']}/owners").json()["value"]
    assert emulator_info["personas"]["owner"] in {o["userPrincipalName"] for o in owners}


def test_service_principal_count(graph):
    assert error_of(get(graph, "/servicePrincipals/$count")) == (400, "Request_BadRequest")
    assert get(graph, "/servicePrincipals/$count", eventual=True).text == "6"
