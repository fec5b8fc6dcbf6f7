"""The seeded groups, apps, roles, MFA registrations and partner tenants."""

from __future__ import annotations

import pytest

from ztna_desktop.emulator import EmulatorOptions
from ztna_desktop.emulator.seed import build_tenant
from ztna_desktop.emulator.seed_apps import ZTNA_GATEWAY_APP_ID
from ztna_desktop.emulator.world import World, build_world

ANCHOR = 1_767_225_600  # 2026-01-01


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(build_tenant(4, 3000, 100, ANCHOR), 60, 12)


def depth(world: World, group_id: str, seen: frozenset[str] = frozenset()) -> int:
    assert group_id not in seen, "a nesting cycle"
    children = [m for m in world.groups_by_id[group_id].members if m in world.groups_by_id]
    return 1 + max((depth(world, c, seen | {group_id}) for c in children), default=0)


def test_defaults_scale_with_guests():
    assert EmulatorOptions(guests=250).group_count == 12
    assert EmulatorOptions(guests=250).app_count == 6
    assert EmulatorOptions(guests=100_000).group_count == 2000
    assert EmulatorOptions(guests=100_000).app_count == 200
    assert EmulatorOptions(guests=10, groups=3, apps=1).group_count == 12  # minimums


def test_same_seed_same_world():
    one = build_world(build_tenant(9, 400, 20, ANCHOR), 20, 8)
    two = build_world(build_tenant(9, 400, 20, ANCHOR), 20, 8)
    assert [g.id for g in one.groups] == [g.id for g in two.groups]
    assert [(g.members, g.owners) for g in one.groups] == [
        (g.members, g.owners) for g in two.groups
    ]
    assert [a.id for a in one.assignments] == [a.id for a in two.assignments]


def test_groups_kinds_nesting_and_owners(world):
    assert len(world.groups) == 60
    kinds = {(g.security_enabled, g.mail_enabled, g.group_types) for g in world.groups}
    assert (True, False, ()) in kinds  # security
    assert (False, True, ("Unified",)) in kinds  # Microsoft 365
    assert any("DynamicMembership" in g.group_types for g in world.groups)
    assert max(depth(world, g.id) for g in world.groups) >= 3
    for group in world.groups:
        assert group.members == sorted(set(group.members))
        if group.is_unified:
            assert not any(m in world.groups_by_id for m in group.members)
    owner = build_tenant(4, 3000, 100, ANCHOR).personas["owner"].id
    assert len([g for g in world.groups if owner in g.owners]) >= 3


def test_the_nested_only_guest(world):
    by_name = {g.display_name: g for g in world.groups}
    guest = world.nested_only_guest
    assert guest in by_name["ZTNA Partner Engineers"].members
    assert guest not in by_name["ZTNA Users"].members
    assert by_name["ZTNA Partner Engineers"].id in by_name["ZTNA Users"].members
    gateway = world.gateway
    assert gateway.app_id == ZTNA_GATEWAY_APP_ID
    assert gateway.assignment_required
    principals = {a.principal_id for a in world.assigned_to[gateway.id]}
    assert guest not in principals
    assert by_name["ZTNA Users"].id in principals
    assert set(world.direct_gateway_guests) <= principals


def test_apps_have_roles_tags_and_both_assignment_modes(world):
    assert len(world.sps) == 12
    assert {s.assignment_required for s in world.sps} == {True, False}
    assert any(s.app_roles for s in world.sps)
    kinds = {a.principal_type for a in world.assignments}
    assert kinds == {"User", "Group"}
    assert len({a.id for a in world.assignments}) == len(world.assignments)


def test_registrations_cover_every_method(world):
    guests = [r for r in world.report_rows if r.user.user_type == "Guest"]
    methods = {m for r in guests for m in r.reg.methods}
    wanted = {"fido2SecurityKey", "hardwareOneTimePasscode", "windowsHelloForBusiness",
              "officePhone", "alternateMobilePhone", "softwareOneTimePasscode"}  # fmt: skip
    assert wanted <= methods
    assert any(not r.reg.methods for r in guests)
    pending = [r for r in guests if r.user.state == "PendingAcceptance"]
    assert pending
    assert all(not r.reg.methods for r in pending)


def test_partner_tenants_and_trust(world):
    trust = {p.domain: (p.configured, p.mfa_accepted) for p in world.partners}
    assert trust["fabrikam.com"] == (True, True)
    assert trust["northwind.com"] == (True, False)
    assert trust["tailspintoys.com"] == (True, None)
    assert trust["litware.com"] == (False, None)


def test_full_scale_world():
    # How fast is measured by tests/bench/bench_emulator_seed.py, not asserted here.
    tenant = build_tenant(2, 100_000, 2_000, ANCHOR)
    world = build_world(tenant, 2000, 200)
    assert len(world.groups) == 2000
    assert len(world.sps) == 200
    assert len([g for g in world.groups if len(g.members) > 999]) >= 3
