"""read_directory against a fake Graph: one stream, errors per part, progress, lower bound."""

from __future__ import annotations

from tests.unit.graph.batch_fakes import BASE, BatchSession, client_for, collection, error, ok
from ztna_desktop.core.errors import AccessDenied
from ztna_desktop.graph.directory_reader import lower_bound_requests, read_directory

GUEST = {
    "id": "u1",
    "displayName": "Ann",
    "mail": "ann@fabrikam.com",
    "userPrincipalName": "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com",
    "userType": "Guest",
    "accountEnabled": True,
    "identities": [{"signInType": "federated", "issuer": "ExternalAzureAD"}],
}


def tenant(sub):
    url = sub["url"]
    if url.startswith("/users?"):
        assert sub["headers"] == {"ConsistencyLevel": "eventual"}
        if "skiptoken" in url:
            return ok(
                collection([{**GUEST, "id": "u2", "mail": "bob@gmail.com", "identities": []}])
            )
        return ok({**collection([GUEST], BASE + "/users?$skiptoken=2"), "@odata.count": 2})
    if url.startswith("/groups?"):
        return ok(
            collection([{"id": "g1", "displayName": "One"}, {"id": "g2", "displayName": "2"}])
        )
    if url.startswith("/groups/g1/members"):
        return ok(collection([{"@odata.type": "#microsoft.graph.user", "id": "u1"}]))
    if url.startswith("/groups/g2/members"):
        return error(403, "Authorization_RequestDenied")
    if url.startswith("/groups/"):
        return ok(collection([{"id": "u9"}]))
    if url.startswith("/me/ownedObjects"):
        return ok(collection([{"id": "g2"}]))
    if url.startswith("/servicePrincipals"):
        return error(403, "Authorization_RequestDenied")
    if url == "/policies/crossTenantAccessPolicy/default":
        return ok({"inboundTrust": {"isMfaAccepted": False}})
    if url.startswith("/policies/crossTenantAccessPolicy/partners"):
        return ok(
            collection(
                [
                    {"tenantId": "t-fab", "inboundTrust": {"isMfaAccepted": True}},
                    {"tenantId": "t-x", "inboundTrust": None},
                ]
            )
        )
    if url == "/policies/authorizationPolicy":
        return ok({"allowInvitesFrom": "everyone", "guestUserRoleId": "x"})
    if url.startswith("/tenantRelationships/findTenantInformationByDomainName"):
        assert url.endswith("(domainName='fabrikam.com')"), url
        return ok({"tenantId": "t-fab", "displayName": "Fabrikam"})
    raise AssertionError(url)


def test_one_part_refused_leaves_the_others_read():
    session = BatchSession(tenant)
    seen = []
    read = read_directory(client_for(session), progress=lambda *a: seen.append(a))
    d = read.directory
    assert set(d.users) == {"u1", "u2"}
    assert set(d.groups) == {"g1", "g2"}
    assert set(read.errors) == {"members", "apps", "assignments"}
    assert isinstance(read.errors["apps"], AccessDenied)
    assert d.members == {}  # a part with an error is left empty, not half-read
    assert d.owners == {"g1": ("u9",), "g2": ("u9",)}
    assert d.apps == {}
    assert read.owned == frozenset({"g2"})
    assert d.home_tenants == {"u1": "t-fab"}  # only the ExternalAzureAD guest
    assert d.mfa_trust_default is not None
    assert not d.mfa_trust_default.is_mfa_accepted
    assert list(d.mfa_trust_partners) == ["t-fab"]  # t-x inherits the default
    assert d.mfa_trust_partners["t-fab"].name == "Fabrikam"
    assert d.authorization is not None
    assert d.authorization.allow_invites_from == "everyone"
    # users page 2 rode along with the per-group reads; the lookup came after the last page
    assert [len(b) for b in session.batches] == [7, 5, 1]
    assert read.requests == 3
    dones = [a[0] for a in seen]
    assert dones == sorted(dones)
    assert seen[-1][0] == seen[-1][1] == read.sub_requests == 13


def test_lower_bound_formula():
    # 110k users, 2,000 groups, 200 apps, 8 domains: S = 111+2+1+1+4000+200+2+1+8 = 4326
    assert lower_bound_requests(110_000, 2_000, 200, 8) == 217
    # a small tenant: one page of everything, chains of two
    assert lower_bound_requests(275, 12, 6, 8) == 3
    # a users list longer than everything else: its chain decides
    assert lower_bound_requests(300_000, 1, 1, 3) == 302
    assert lower_bound_requests(0, 0, 0, 0) == 1


def test_undocumented_data_fails_only_its_part():
    def garbled(sub):
        if sub["url"].startswith("/groups/g2/owners"):
            return ok(collection([{"displayName": "no id"}]))
        return tenant(sub)

    read = read_directory(client_for(BatchSession(garbled)))
    assert set(read.errors) == {"members", "owners", "apps", "assignments"}
    assert read.errors["owners"].code == "InvalidShape"
    assert set(read.directory.users) == {"u1", "u2"}
    assert set(read.directory.groups) == {"g1", "g2"}
