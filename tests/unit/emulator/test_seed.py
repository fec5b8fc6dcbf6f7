"""The seeded tenant: deterministic, varied, big enough fast enough."""

from __future__ import annotations

from collections import Counter

from ztna_desktop.emulator.seed import DAY, build_tenant

ANCHOR = 1_767_225_600  # 2026-01-01


def test_same_seed_same_tenant():
    one, two = build_tenant(5, 200, 20, ANCHOR), build_tenant(5, 200, 20, ANCHOR)
    assert one.tenant_id == two.tenant_id
    assert one.users == two.users
    other = build_tenant(6, 200, 20, ANCHOR)
    assert other.tenant_id != one.tenant_id
    assert {u.id for u in other.users}.isdisjoint({u.id for u in one.users})


def test_tenant_has_every_kind_of_guest():
    tenant = build_tenant(1, 2000, 100, ANCHOR)
    guests = [u for u in tenant.users if u.user_type == "Guest"]
    assert len(guests) == 2000
    assert len(tenant.users) == 2100
    sources = Counter(u.source for u in guests)
    assert set(sources) == {"entra", "gmail", "msa", "yahoo", "otp"}
    states = Counter(u.state for u in guests)
    assert states["PendingAcceptance"] > 100
    assert states["Accepted"] > 1000
    assert any(not u.enabled for u in guests)
    stale = [u for u in guests if u.last_sign_in and u.last_sign_in < ANCHOR - 90 * DAY]
    never = [u for u in guests if u.state == "Accepted" and u.last_sign_in is None]
    assert stale
    assert never
    assert all(u.last_sign_in is None for u in guests if u.state == "PendingAcceptance")
    assert all("#EXT#@contoso.onmicrosoft.com" in u.upn for u in guests)
    assert len({u.mail for u in guests}) == len(guests)
    assert all(
        (u.last_sign_in or 0) <= ANCHOR and (u.last_non_interactive or 0) <= ANCHOR
        for u in tenant.users
    )
    assert [u.id for u in tenant.users] == sorted(u.id for u in tenant.users)


def test_personas_are_members():
    tenant = build_tenant(1, 10, 5, ANCHOR)
    assert set(tenant.personas) == {"admin", "owner", "helpdesk"}
    assert all(p.user_type == "Member" and p.enabled for p in tenant.personas.values())
    assert tenant.personas["admin"].upn == "admin@contoso.onmicrosoft.com"


def test_100k_guests_build_at_full_scale():
    # How fast is measured by tests/bench/bench_emulator_seed.py, not asserted here.
    tenant = build_tenant(2, 100_000, 10_000, ANCHOR)
    assert len(tenant.users) == 110_000
    assert len({u.id for u in tenant.users}) == 110_000
