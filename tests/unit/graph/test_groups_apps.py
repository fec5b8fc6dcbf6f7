"""Groups and enterprise-app readers against a fake Graph: requests, parsing, batching."""

from __future__ import annotations

import pytest

from tests.fakes import FakeSession, response
from tests.unit.graph.batch_fakes import BASE, BatchSession, client_for, collection, error, ok
from ztna_desktop.core.directory import DEFAULT_ACCESS_ROLE, Member
from ztna_desktop.core.errors import AccessDenied, BadResponse
from ztna_desktop.graph import apps, groups
from ztna_desktop.graph.apps import GatewayRule


def test_list_groups_asks_for_999_and_only_shown_columns():
    session = FakeSession(
        response(
            200,
            collection(
                [
                    {
                        "id": "g1",
                        "displayName": "Sales",
                        "description": None,
                        "groupTypes": ["Unified"],
                        "securityEnabled": False,
                        "mailEnabled": True,
                    }
                ],
                BASE + "/groups?$skiptoken=2",
            ),
        ),
        response(200, collection([{"id": "g2", "displayName": "Ops", "groupTypes": []}])),
    )
    found = groups.list_groups(client_for(session))
    assert [g.id for g in found] == ["g1", "g2"]
    assert found[0].kind == "Microsoft 365"
    first = session.sent[0]["url"]
    assert "$top=999" in first
    assert "$select=id,displayName,description,groupTypes,securityEnabled,mailEnabled" in first
    assert session.sent[1]["url"] == BASE + "/groups?$skiptoken=2"


def test_owned_group_ids_uses_the_cast_with_advanced_query_headers():
    session = FakeSession(response(200, collection([{"id": "g1"}, {"id": "g9"}])))
    assert groups.owned_group_ids(client_for(session)) == frozenset({"g1", "g9"})
    sent = session.sent[0]
    assert sent["url"].startswith(BASE + "/me/ownedObjects/microsoft.graph.group?")
    assert sent["headers"]["ConsistencyLevel"] == "eventual"


def test_parse_member_kinds():
    assert groups.parse_member({"@odata.type": "#microsoft.graph.user", "id": "u"}) == Member(
        "u", "user"
    )
    assert groups.parse_member({"@odata.type": "#microsoft.graph.group", "id": "g"}).kind == "group"
    assert groups.parse_member({"id": "x"}).kind == "unknown"
    with pytest.raises(BadResponse):
        groups.parse_member({"@odata.type": "#microsoft.graph.user"})


def test_members_and_owners_in_batches_of_twenty():
    def handler(sub):
        url = sub["url"]
        gid = url.split("/")[2]
        if gid == "gone":
            return error(404, "Request_ResourceNotFound")
        if "/members?" in url:
            assert url == f"/groups/{gid}/members?$select=id&$top=999"
            return ok(
                collection(
                    [
                        {"@odata.type": "#microsoft.graph.user", "id": f"{gid}-u"},
                        {"@odata.type": "#microsoft.graph.group", "id": f"{gid}-g"},
                    ]
                )
            )
        assert url == f"/groups/{gid}/owners?$select=id&$top=999"
        return ok(collection([{"@odata.type": "#microsoft.graph.user", "id": "owner"}]))

    session = BatchSession(handler)
    ids = [f"g{n}" for n in range(15)] + ["gone"]
    members, owners = groups.read_members_and_owners(client_for(session), ids)
    assert [len(b) for b in session.batches] == [20, 12]
    assert "gone" not in members
    assert "gone" not in owners
    assert members["g3"] == (Member("g3-u", "user"), Member("g3-g", "group"))
    assert owners["g3"] == ("owner",)


def test_members_denied_raises():
    session = BatchSession(lambda sub: error(403, "Authorization_RequestDenied"))
    with pytest.raises(AccessDenied):
        groups.read_members_and_owners(client_for(session), ["g1"])


SP = {
    "id": "sp1",
    "appId": "APP-1",
    "displayName": "Sophos ZTNA Gateway",
    "appRoleAssignmentRequired": True,
    "appRoles": [
        {"id": "r1", "displayName": "User", "isEnabled": True},
        {"id": "r2", "displayName": "Old", "isEnabled": False},
    ],
    "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
}


def test_parse_app_and_gateway_rule():
    app = apps.parse_app(SP)
    assert app.assignment_required
    assert app.app_roles == (("r1", "User"),)
    assert app.is_ztna_gateway  # by name, nothing configured
    assert not apps.parse_app(SP, GatewayRule(app_ids=frozenset({"other"}))).is_ztna_gateway
    assert apps.parse_app(SP, GatewayRule(app_ids=frozenset({"app-1"}))).is_ztna_gateway
    tagged = {**SP, "displayName": "Door", "tags": ["ztna-gateway"]}
    assert apps.parse_app(tagged, GatewayRule(tag="ztna-gateway")).is_ztna_gateway
    assert not apps.parse_app(tagged).is_ztna_gateway


def test_list_enterprise_apps_selects_what_is_shown():
    session = FakeSession(response(200, collection([SP])))
    found = apps.list_enterprise_apps(client_for(session))
    assert [a.id for a in found] == ["sp1"]
    url = session.sent[0]["url"]
    assert "$select=id,appId,displayName,appRoleAssignmentRequired,appRoles,tags" in url
    assert "$top=999" in url


def test_read_assignments_by_batch():
    def handler(sub):
        sp = sub["url"].split("/")[2]
        assert sub["url"].startswith(f"/servicePrincipals/{sp}/appRoleAssignedTo?$select=")
        return ok(
            collection(
                [
                    {
                        "id": f"{sp}-a",
                        "principalId": "u1",
                        "principalType": "User",
                        "principalDisplayName": "Ann",
                        "appRoleId": None,
                        "createdDateTime": "2024-01-02T03:04:05Z",
                    }
                ]
            )
        )

    session = BatchSession(handler)
    got = apps.read_assignments(client_for(session), [f"s{n}" for n in range(21)])
    assert [len(b) for b in session.batches] == [20, 1]
    a = got["s4"][0]
    assert (a.app_id, a.principal_id, a.principal_type, a.app_role_id) == (
        "s4",
        "u1",
        "User",
        DEFAULT_ACCESS_ROLE,
    )
    assert a.created is not None
    assert a.created.year == 2024
