"""Writes: a read-only persona is refused any write; PATCH /users/{id} for those allowed."""

from __future__ import annotations

import pytest

from tests.unit.emulator.conftest import GraphCaller, trusting_session

pytestmark = pytest.mark.emulator


@pytest.fixture
def private_graph(emulator_factory):
    emu = emulator_factory(guests=20, seed=11)
    with trusting_session(emu.info["ca_file"]) as session:
        yield GraphCaller(emu, session)


def patch(graph, path, body, persona="admin", scopes="User.ReadWrite.All"):
    token = graph.token(persona, scopes)
    return graph.session.patch(
        f"{graph.base}{path}", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def first_guest(graph):
    params = {"$filter": "userType eq 'Guest'", "$select": "id,accountEnabled", "$top": "1"}
    return graph.get("/users", params).json()["value"][0]


def test_helpdesk_may_not_write_anything(private_graph):
    guest = first_guest(private_graph)
    refused = patch(private_graph, f"/users/{guest['id']}", {"accountEnabled": False}, "helpdesk")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "Authorization_RequestDenied"
    elsewhere = patch(private_graph, "/groups/x", {"displayName": "y"}, "helpdesk")
    assert elsewhere.status_code == 403


def test_admin_disables_a_guest(private_graph):
    guest = first_guest(private_graph)
    wanted = not guest["accountEnabled"]
    done = patch(private_graph, f"/users/{guest['id']}", {"accountEnabled": wanted})
    assert done.status_code == 204
    after = private_graph.get(f"/users/{guest['id']}", {"$select": "accountEnabled"}).json()
    assert after["accountEnabled"] is wanted


def test_patch_needs_the_scope_and_a_known_property(private_graph):
    guest = first_guest(private_graph)
    path = f"/users/{guest['id']}"
    no_scope = patch(private_graph, path, {"accountEnabled": False}, scopes="User.Read.All")
    assert no_scope.status_code == 403
    unknown = patch(private_graph, path, {"shoeSize": 9})
    assert unknown.status_code == 400
    missing = patch(private_graph, "/users/00000000-0000-0000-0000-000000000000", {"jobTitle": "x"})
    assert missing.status_code == 404
