"""The directory and activity readers against the emulator: real HTTPS, real MSAL, real $batch."""

from __future__ import annotations

from contextlib import contextmanager

import msal
import pytest

from tests.fakes import emulator_config, sign_in
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import READ_SCOPES, qualified
from ztna_desktop.graph.batch import batch_pages
from ztna_desktop.graph.directory_reader import read_directory
from ztna_desktop.graph.groups import members_request, owners_request
from ztna_desktop.graph.transport import GraphClient

pytestmark = pytest.mark.emulator


@contextmanager
def graph_as(emu, persona="admin"):
    config = emulator_config(emu.info)
    auth = sign_in(emu, AuthClient(config, msal.SerializableTokenCache()), persona, READ_SCOPES)
    graph = GraphClient(
        config.resolved_graph_url(), auth, qualified(config, READ_SCOPES), extra_ca=config.ca_file
    )
    try:
        yield graph
    finally:
        graph.close()
        auth.close()


def http_requests(emu) -> int:
    """HTTP requests Graph answered ($batch sub-requests not counted)."""
    return sum(1 for r in emu.requests if "/v1.0/" in r.path and r.batch_id is None)


def kind_of(emu, object_id: str) -> str:
    return "group" if object_id in emu.state.world.groups_by_id else "user"


def test_admin_reads_what_the_tenant_serves(emulator):
    world, tenant = emulator.state.world, emulator.state.tenant
    with graph_as(emulator) as graph:
        emulator.reset_requests()
        read = read_directory(graph)
    d = read.directory
    assert set(d.users) == {u.id for u in tenant.users}
    assert set(d.groups) == {g.id for g in world.groups}
    for g in world.groups:
        assert {(m.id, m.kind) for m in d.members[g.id]} == {
            (m, kind_of(emulator, m)) for m in g.members
        }
        assert set(d.owners[g.id]) == set(g.owners)
        assert d.groups[g.id].display_name == g.display_name
        assert d.groups[g.id].group_types == g.group_types
    assert set(d.apps) == {s.id for s in world.sps}
    assert [a.id for a in d.apps.values() if a.is_ztna_gateway] == [world.gateway.id]
    for sp in world.sps:
        assert {(a.id, a.principal_id, a.app_role_id) for a in d.assignments[sp.id]} == {
            (a.id, a.principal_id, a.app_role_id) for a in world.assigned_to.get(sp.id, [])
        }
    admin = tenant.personas["admin"].id
    assert read.owned == frozenset(g.id for g in world.groups if admin in g.owners)
    for part in ("users", "groups", "members", "owners", "apps", "assignments"):
        assert part not in read.errors
    # the whole read is three $batch requests, the lower bound for this tenant
    assert read.requests == http_requests(emulator) == read.lower_bound() == 3


def test_batched_reads_survive_throttled_sub_requests(emulator):
    world = emulator.state.world
    ids = [g.id for g in world.groups]
    with graph_as(emulator) as graph:
        emulator.faults.retry_after = 0.01
        emulator.faults.throttle_rate = 0.2
        items = [r for gid in ids for r in (members_request(gid), owners_request(gid))]
        values = batch_pages(graph, items, max_attempts=12)
    assert any(r.status == 429 for r in emulator.requests)
    for g in world.groups:
        assert {v["id"] for v in values[f"m:{g.id}"]} == set(g.members)
        assert {v["id"] for v in values[f"o:{g.id}"]} == set(g.owners)


def test_owner_reads_groups_and_apps_and_what_they_own(emulator):
    world, tenant = emulator.state.world, emulator.state.tenant
    with graph_as(emulator, "owner") as graph:
        read = read_directory(graph)
    owner = tenant.personas["owner"].id
    assert read.owned == frozenset(g.id for g in world.groups if owner in g.owners)
    assert read.owned
    assert set(read.directory.groups) == {g.id for g in world.groups}
    assert set(read.directory.apps) == {s.id for s in world.sps}
    for part in ("users", "groups", "members", "owners", "apps", "assignments"):
        assert part not in read.errors
