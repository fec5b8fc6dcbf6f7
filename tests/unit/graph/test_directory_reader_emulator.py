"""The directory and activity readers against the emulator: real HTTPS, real MSAL, real $batch."""

from __future__ import annotations

from contextlib import contextmanager

import msal
import pytest

from tests.fakes import emulator_config, sign_in
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import READ_SCOPES, qualified
from ztna_desktop.core.errors import AccessDenied
from ztna_desktop.core.mfa import MfaMethod, methods_from_report
from ztna_desktop.graph.batch import RateLimiter, batch_pages
from ztna_desktop.graph.directory_reader import read_activity, read_directory
from ztna_desktop.graph.groups import members_request, owners_request
from ztna_desktop.graph.mfa import NO_PREMIUM
from ztna_desktop.graph.request_bounds import lower_bound_activity_requests
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
    assert read.errors == {}
    assert_policies_and_home_tenants(emulator, read)
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


def assert_policies_and_home_tenants(emu, read):
    d, world = read.directory, emu.state.world
    assert d.mfa_trust_default is not None
    assert not d.mfa_trust_default.is_mfa_accepted  # the seed's default trusts no one
    own = {p.tenant_id: p.mfa_accepted for p in world.partners if p.configured}
    assert {t: m.is_mfa_accepted for t, m in d.mfa_trust_partners.items()} == {
        t: accepted for t, accepted in own.items() if accepted is not None
    }
    by_domain = {p.domain: p for p in world.partners}
    names = {p.tenant_id: p.name for p in world.partners}
    assert all(m.name == names[t] for t, m in d.mfa_trust_partners.items())
    for domain, info in read.tenants.items():
        assert info.tenant_id == by_domain[domain].tenant_id
    for guest_id, tenant_id in d.home_tenants.items():
        user = emu.state.tenant.by_id[guest_id]
        assert user.source == "entra"
        assert tenant_id == by_domain[user.mail.rsplit("@", 1)[1]].tenant_id
    assert d.home_tenants
    assert d.authorization is not None
    assert d.authorization.allow_invites_from


def guests_of(emu) -> list:
    return [u for u in emu.state.tenant.users if u.user_type == "Guest"]


def test_admin_activity_reads_the_report_and_sign_ins(emulator):
    world = emulator.state.world
    with graph_as(emulator) as graph:
        directory = read_directory(graph).directory
        read = read_activity(graph, directory, limiter=RateLimiter(5, 10.0))
    assert read.errors == {}
    assert read.mfa_source == "report"
    assert read.mfa is not None
    enabled = {u.id for u in guests_of(emulator) if u.enabled}
    assert set(read.mfa) == enabled  # the report lists enabled users only
    for uid, reg in read.mfa.items():
        assert reg.methods == methods_from_report(world.registration_by_id[uid].methods)
    assert read.sign_ins is not None
    assert set(read.sign_ins) == {u.id for u in guests_of(emulator)}


def test_helpdesk_gets_no_mfa_with_the_reason_and_everything_else(emulator):
    with graph_as(emulator, "helpdesk") as graph:
        read = read_directory(graph)
        activity = read_activity(graph, read.directory, limiter=RateLimiter(5, 10.0))
    assert read.errors == {}
    assert read.directory.groups
    assert read.directory.apps
    assert_policies_and_home_tenants(emulator, read)
    assert activity.mfa is None
    assert activity.sign_ins is None
    for part in ("mfa", "sign_ins"):
        exc = activity.errors[part]
        assert isinstance(exc, AccessDenied)
        assert exc.code == "Authorization_RequestDenied"


def test_tenant_without_p1_falls_back_to_each_guests_methods(emulator_factory):
    emu = emulator_factory(guests=60, seed=4, no_premium=True)
    world = emu.state.world
    with graph_as(emu) as graph:
        directory = read_directory(graph).directory
        emu.reset_requests()
        read = read_activity(graph, directory, limiter=RateLimiter(5, 10.0))
    assert read.sign_ins is None
    assert read.errors["sign_ins"].code == NO_PREMIUM
    assert read.mfa_source == "methods"
    assert read.errors["mfa"].code == NO_PREMIUM
    assert read.mfa is not None
    guests = guests_of(emu)
    assert set(read.mfa) == {u.id for u in guests}
    for uid, reg in read.mfa.items():
        reported = methods_from_report(world.registration_by_id[uid].methods)
        # v1.0 lists no hardware OATH tokens, and an Authenticator app covers its own codes
        assert reg.methods <= reported
        assert reg.is_mfa_registered == bool(reported - {MfaMethod.OATH_HARDWARE})
    # report and sign-ins refused in the first batch, then 20 guests per batch
    assert http_requests(emu) == 1 + -(-len(guests) // 20)


def test_activity_takes_as_many_requests_as_its_lower_bound(emulator_factory):
    # 5,000 guests: 10 sign-in pages, 5 report pages at 2 per 0.25 s; the client keeps the
    # same limit and counts each request from its answer, so the tenant never says 429
    emu = emulator_factory(
        guests=5000, seed=3, groups=12, apps=6, reports_limit=2, reports_window=0.25
    )
    with graph_as(emu) as graph:
        directory = read_directory(graph).directory
        emu.reset_requests()
        read = read_activity(graph, directory, limiter=RateLimiter(2, 0.25))
    assert read.errors == {}
    assert read.mfa_source == "report"
    assert read.mfa is not None
    assert read.sign_ins is not None
    guests = guests_of(emu)
    enabled = sum(1 for u in guests if u.enabled)
    assert len(read.sign_ins) == len(guests) == 5000
    assert len(read.mfa) == enabled
    assert (read.sign_in_pages, read.report_pages) == (10, -(-enabled // 999))
    assert not any(r.status == 429 for r in emu.requests)
    bound = lower_bound_activity_requests(len(guests), enabled)
    assert read.requests == http_requests(emu) == read.lower_bound() == bound == 10
