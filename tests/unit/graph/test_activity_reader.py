"""read_activity against a fake Graph: report + sign-ins in one stream, and a tenant without P1."""

from __future__ import annotations

from tests.unit.graph.batch_fakes import BASE, BatchSession, FakeClock, client_for, collection, ok
from tests.unit.graph.batch_fakes import error as fail
from ztna_desktop.core.directory import Directory
from ztna_desktop.core.models import GuestUser
from ztna_desktop.graph.batch import RateLimiter
from ztna_desktop.graph.directory_reader import lower_bound_activity_requests, read_activity
from ztna_desktop.graph.mfa import NO_PREMIUM
from ztna_desktop.graph.request_bounds import min_report_seconds

REPORT = "/reports/authenticationMethods/userRegistrationDetails"


def directory() -> Directory:
    users = {
        uid: GuestUser(uid, uid, None, f"{uid}#EXT#@x", kind, True)
        for uid, kind in (("g1", "Guest"), ("g2", "Guest"), ("m1", "Member"))
    }
    return Directory(users=users)


def premium(sub):
    url = sub["url"]
    if url.startswith(REPORT):
        return ok(
            collection([{"id": "g1", "isMfaRegistered": True, "methodsRegistered": ["fido2"]}])
        )
    if "skiptoken" not in url:
        assert url.startswith("/users?$select=id,signInActivity&$filter=userType%20eq%20'Guest'")
        assert "$top=500" in url
        act = {"lastSignInDateTime": "2025-05-04T15:35:02Z"}
        return ok(collection([{"id": "g1", "signInActivity": act}], BASE + "/users?$skiptoken=2"))
    return ok(collection([{"id": "g2"}]))


def test_report_and_sign_ins_share_batches():
    clock = FakeClock()
    session = BatchSession(premium)
    read = read_activity(
        client_for(session, clock), directory(), limiter=RateLimiter(5, 10, clock=clock)
    )
    assert read.errors == {}
    assert read.mfa_source == "report"
    assert read.mfa is not None
    assert read.mfa["g1"].is_mfa_registered
    assert read.sign_ins is not None
    assert read.sign_ins["g1"].last_sign_in is not None
    assert read.sign_ins["g2"].latest is None  # never signed in
    assert [len(b) for b in session.batches] == [2, 1]
    assert read.requests == 2
    assert lower_bound_activity_requests(501) == 2  # two sign-in pages: a chain of two


def no_premium(sub):
    url = sub["url"]
    if url.startswith((REPORT, "/users?")):
        return fail(403, NO_PREMIUM)
    uid = url.split("/")[2]
    assert uid in ("g1", "g2"), "members' methods are not read"
    return ok(collection([{"@odata.type": "#microsoft.graph.fido2AuthenticationMethod"}]))


def test_without_p1_sign_ins_are_unknown_and_methods_come_per_user():
    session = BatchSession(no_premium)
    read = read_activity(client_for(session), directory(), limiter=RateLimiter(5, 10))
    assert read.sign_ins is None
    assert read.errors["sign_ins"].code == NO_PREMIUM
    assert read.mfa_source == "methods"
    assert read.errors["mfa"].code == NO_PREMIUM  # why the per-user methods were used
    assert read.mfa is not None
    assert set(read.mfa) == {"g1", "g2"}
    assert all(not r.from_report for r in read.mfa.values())


def modelled_tenant(guests: int, disabled: int) -> tuple[Directory, object]:
    """A directory of ``guests`` (the first ``disabled`` disabled) and a Graph serving them."""
    ids = [f"g{n}" for n in range(guests)]
    users = {
        uid: GuestUser(uid, uid, None, f"{uid}#EXT#@x", "Guest", n >= disabled)
        for n, uid in enumerate(ids)
    }

    def handler(sub):
        url = sub["url"]
        start = int(url.rsplit("$skiptoken=", 1)[1]) if "$skiptoken=" in url else 0
        if url.startswith(REPORT):
            rows, size, path = ids[disabled:], 999, REPORT  # enabled users only
            values = [{"id": uid, "isMfaRegistered": False} for uid in rows[start : start + size]]
        else:
            rows, size, path = ids, 500, "/users"
            values = [{"id": uid} for uid in rows[start : start + size]]
        more = start + size < len(rows)
        return ok(collection(values, f"{BASE}{path}?$skiptoken={start + size}" if more else None))

    return Directory(users=users), handler


def test_sign_in_pages_ride_with_report_pages_at_the_lower_bound():
    # 12,000 guests, 1,000 disabled: 24 sign-in pages, 12 report pages (5 per 10 s)
    directory, handler = modelled_tenant(12_000, 1_000)
    clock = FakeClock()
    session = BatchSession(handler)
    read = read_activity(
        client_for(session, clock), directory, limiter=RateLimiter(5, 10, clock=clock)
    )
    assert read.errors == {}
    assert read.mfa is not None
    assert len(read.mfa) == 11_000
    assert read.sign_ins is not None
    assert len(read.sign_ins) == 12_000
    assert (read.sign_in_pages, read.report_pages) == (24, 12)
    bound = lower_bound_activity_requests(12_000, 11_000)
    assert bound == read.lower_bound() == 24
    assert read.requests == len(session.batches) == bound
    kinds = [sorted(s["url"].split("?")[0] for s in batch) for batch in session.batches]
    # every report page has a sign-in page beside it
    assert sum(REPORT in k for k in kinds) == 12
    assert all(k == [REPORT, "/users"] for k in kinds if REPORT in k)
    # and the report kept its own pace: 5 per 10 s, so page 12 leaves at 20 s
    assert clock.now - 1000.0 == min_report_seconds(12) == 20.0


def test_without_the_report_sign_ins_go_at_full_speed():
    directory, serve = modelled_tenant(3_000, 0)

    def handler(sub):
        if sub["url"].startswith(REPORT):
            return fail(403, "Authorization_RequestDenied")
        return serve(sub)

    clock = FakeClock()
    session = BatchSession(handler)
    read = read_activity(
        client_for(session, clock), directory, limiter=RateLimiter(5, 10, clock=clock)
    )
    assert read.mfa is None
    assert read.errors["mfa"].code == "Authorization_RequestDenied"
    assert read.sign_ins is not None
    assert len(read.sign_ins) == 3_000
    assert read.requests == 6  # the sign-in chain's pages, nothing held back
    assert clock.sleeps == []
