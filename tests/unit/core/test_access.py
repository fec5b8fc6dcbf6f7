"""Tests for the access explainer: nesting, app assignment rules, verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ztna_desktop.core import access
from ztna_desktop.core.directory import (
    AppAssignment,
    Directory,
    EnterpriseApp,
    Group,
    Member,
    MfaRegistration,
    MfaTrust,
)
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.core.models import GuestUser

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def _user(uid, **kw):
    base = {
        "id": uid,
        "display_name": uid.title(),
        "mail": f"{uid}@partner.example",
        "user_principal_name": f"{uid}_partner.example#EXT#@contoso.onmicrosoft.com",
        "user_type": "Guest",
        "account_enabled": True,
        "external_user_state": "Accepted",
    }
    base.update(kw)
    return GuestUser(**base)


@pytest.fixture
def directory():
    """ZTNA gateway assigned to group 'ztna-users'; 'contractors' is nested inside it.

    ann: direct member of ztna-users        -> can sign in
    bob: member of contractors only          -> nested: cannot
    cat: directly assigned to the gateway    -> can sign in
    dan: pending invitation                  -> cannot
    eve: disabled                            -> cannot
    """
    d = Directory()
    for u in (
        _user("ann"),
        _user("bob"),
        _user("cat"),
        _user(
            "dan",
            external_user_state="PendingAcceptance",
            created=datetime(2026, 11, 1, tzinfo=UTC),
        ),
        _user("eve", account_enabled=False),
    ):
        d.users[u.id] = u
    d.groups = {
        "g-ztna": Group("g-ztna", "ztna-users"),
        "g-con": Group("g-con", "contractors"),
        "g-top": Group("g-top", "everyone-external"),
    }
    d.members = {
        "g-ztna": (Member("ann", "user"), Member("g-con", "group"), Member("dan", "user")),
        "g-con": (Member("bob", "user"), Member("eve", "user")),
        "g-top": (Member("g-ztna", "group"),),
    }
    d.apps = {
        "sp-gw": EnterpriseApp(
            "sp-gw", "app-gw", "Sophos ZTNA Gateway", True, is_ztna_gateway=True
        ),
        "sp-wiki": EnterpriseApp("sp-wiki", "app-wiki", "Wiki", True),
    }
    d.assignments = {
        "sp-gw": (
            AppAssignment("a1", "sp-gw", "g-ztna", "Group", "ztna-users"),
            AppAssignment("a2", "sp-gw", "cat", "User", "Cat"),
        ),
        "sp-wiki": (AppAssignment("a3", "sp-wiki", "g-top", "Group", "everyone-external"),),
    }
    d.mfa = {"ann": MfaRegistration("ann", frozenset({MfaMethod.FIDO2}), True)}
    d.mfa_trust_default = MfaTrust(None, False)
    d.mfa_trust_partners = {"t-partner": MfaTrust("t-partner", True, "Partner")}
    d.home_tenants = {"bob": "t-partner", "ann": "t-other"}
    return d


def test_groups_of_reports_direct_and_nested_with_path(directory):
    groups = access.groups_of("bob", access.parent_groups(directory))
    assert groups["g-con"].direct
    assert groups["g-ztna"].via == ("g-con",)
    assert groups["g-top"].via == ("g-con", "g-ztna")


def test_cycles_do_not_loop(directory):
    directory.members["g-con"] += (Member("g-top", "group"),)
    groups = access.groups_of("bob", access.parent_groups(directory))
    assert set(groups) == {"g-con", "g-ztna", "g-top"}
    assert set(access.transitive_members(directory, "g-top")) == {"ann", "bob", "dan", "eve"}


def test_transitive_members_say_through_which_group(directory):
    members = access.transitive_members(directory, "g-ztna")
    assert members == {"ann": (), "dan": (), "bob": ("g-con",), "eve": ("g-con",)}


def test_app_access_marks_nested_group_assignment_ineffective(directory):
    groups = access.groups_of("bob", access.parent_groups(directory))
    apps = access.app_access_for(directory, "bob", groups)
    assert [(a.app.display_name, a.effective) for a in apps] == [
        ("Sophos ZTNA Gateway", False),
        ("Wiki", False),
    ]
    ann = access.app_access_for(
        directory, "ann", access.groups_of("ann", access.parent_groups(directory))
    )
    assert [(a.app.display_name, a.effective, a.through_group) for a in ann] == [
        ("Sophos ZTNA Gateway", True, "g-ztna"),
        ("Wiki", False, "g-top"),
    ]


def test_guests_with_access_counts_direct_members_and_users_only(directory):
    assert set(access.guests_with_access(directory, "sp-gw")) == {"ann", "dan", "cat"}
    assert access.guests_with_access(directory, "sp-wiki") == {}


@pytest.mark.parametrize(
    ("user", "ok", "phrase"),
    [
        ("ann", True, "through group ztna-users"),
        ("cat", True, "by a direct assignment"),
        ("bob", False, "only through nested group contractors"),
        ("dan", False, "invitation not redeemed (invited 27 days ago)"),
        ("eve", False, "account is disabled"),
        ("zed", False, "no such user"),
    ],
)
def test_verdicts(directory, user, ok, phrase):
    verdict = access.explain(directory, user, now=NOW)
    assert verdict.can_sign_in is ok
    assert phrase in verdict.summary


def test_unassigned_guest_and_mfa_lines(directory):
    directory.users["fay"] = _user("fay")
    verdict = access.explain(directory, "fay", now=NOW)
    assert not verdict.can_sign_in
    assert "not assigned to Sophos ZTNA Gateway" in verdict.summary
    ann = access.explain(directory, "ann", now=NOW)
    assert ann.reasons == ("MFA registered: FIDO2 security key.",)
    cat = access.explain(directory, "cat", now=NOW)
    assert "No MFA method registered in this tenant." in cat.reasons


def test_home_tenant_mfa_trust_is_mentioned(directory):
    directory.assignments["sp-gw"] += (AppAssignment("a4", "sp-gw", "bob", "User", "Bob"),)
    verdict = access.explain(directory, "bob", now=NOW)
    assert verdict.can_sign_in
    assert "MFA done in the guest's home tenant is trusted." in verdict.reasons


def test_gateway_without_assignment_requirement_and_missing_gateway(directory):
    gw = directory.apps["sp-gw"]
    directory.apps["sp-gw"] = EnterpriseApp(gw.id, gw.app_id, gw.display_name, False, True)
    assert "does not require assignment" in access.explain(directory, "bob", now=NOW).summary
    del directory.apps["sp-gw"]
    verdict = access.explain(directory, "ann", now=NOW)
    assert not verdict.can_sign_in
    assert "gateway app is not in this tenant" in verdict.summary


def test_unreadable_mfa_is_said_not_guessed(directory):
    directory.mfa = None
    assert (
        "MFA registration could not be read." in access.explain(directory, "ann", now=NOW).reasons
    )
