"""MFA reads against a fake Graph: report, reports limit, per-user fallback, role 403."""

from __future__ import annotations

from tests.unit.graph.batch_fakes import (
    BASE,
    BatchSession,
    FakeClock,
    client_for,
    collection,
    error,
)
from tests.unit.graph.batch_fakes import ok as answer
from ztna_desktop.core.errors import AccessDenied
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.graph import mfa
from ztna_desktop.graph.batch import BatchRunner, RateLimiter

REPORT = "/reports/authenticationMethods/userRegistrationDetails"


def report_rows(start: int, n: int) -> list[dict]:
    return [
        {
            "id": f"u{i}",
            "isMfaRegistered": i % 2 == 0,
            "methodsRegistered": ["mobilePhone"] if i % 2 == 0 else ["email"],
            "userPreferredMethodForSecondaryAuthentication": "sms" if i % 2 == 0 else "none",
        }
        for i in range(start, start + n)
    ]


def test_report_pages_are_paced_by_the_reports_limit():
    pages = 8

    def handler(sub):
        url = sub["url"]
        assert url.startswith(REPORT)
        n = int(url.rsplit("page=", 1)[1]) if "page=" in url else 0
        assert "$filter=userType%20eq%20'guest'" in url or n > 0
        nxt = f"{BASE}{REPORT}?page={n + 1}" if n + 1 < pages else None
        return answer(collection(report_rows(n * 2, 2), nxt))

    clock = FakeClock()
    limiter = RateLimiter(5, 10.0, clock=clock)
    session = BatchSession(handler)
    client = client_for(session, clock)
    out: list = []
    runner = BatchRunner(client, clock=clock)
    mfa.submit_report(runner, out.append, _fail, limiter)
    runner.run()
    regs = out[0]
    assert len(regs) == 16
    assert regs["u0"].methods == frozenset({MfaMethod.SMS, MfaMethod.VOICE})
    assert regs["u0"].is_mfa_registered
    assert regs["u0"].preferred == "sms"
    assert regs["u1"].methods == frozenset()
    assert len(session.batches) == pages
    # five requests in the first 10 s window, the sixth waits for the window to pass
    assert clock.sleeps == [10.0]


def test_report_429_holds_the_limiter():
    calls = []

    def handler(sub):
        calls.append(sub["url"])
        if len(calls) == 1:
            return error(429, "TooManyRequests", **{"Retry-After": "4"})
        return answer(collection(report_rows(0, 1)))

    clock = FakeClock()
    limiter = RateLimiter(5, 10.0, clock=clock)
    client = client_for(BatchSession(handler), clock)
    out: list = []
    runner = BatchRunner(client, clock=clock)
    mfa.submit_report(runner, out.append, _fail, limiter)
    runner.run()
    assert list(out[0]) == ["u0"]
    assert clock.sleeps == [4.0]


def test_no_premium_falls_back_to_per_user_methods():
    def handler(sub):
        if sub["url"].startswith(REPORT):
            return error(403, mfa.NO_PREMIUM)
        uid = sub["url"].split("/")[2]
        assert sub["url"] == f"/users/{uid}/authentication/methods"
        if uid == "gone":
            return error(404, "Request_ResourceNotFound")
        items = [{"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": "p"}]
        if uid == "g1":
            items.append(
                {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneType": "mobile"}
            )
        return answer(collection(items))

    session = BatchSession(handler)
    read = mfa.read_mfa(client_for(session), ["g1", "g2", "gone"])
    assert read.source == "methods"
    assert read.error is not None
    assert read.error.code == mfa.NO_PREMIUM
    assert read.registrations is not None
    assert set(read.registrations) == {"g1", "g2"}
    g1 = read.registrations["g1"]
    assert g1.methods == frozenset({MfaMethod.SMS, MfaMethod.VOICE})
    assert g1.is_mfa_registered
    assert not g1.from_report
    assert not read.registrations["g2"].is_mfa_registered


def test_role_403_gives_none_with_the_reason():
    session = BatchSession(lambda sub: error(403, "Authorization_RequestDenied"))
    read = mfa.read_mfa(client_for(session), ["g1"])
    assert read.registrations is None
    assert isinstance(read.error, AccessDenied)
    assert read.error.code == "Authorization_RequestDenied"
    assert len(session.batches) == 1


def test_per_user_403_stops_after_the_first_batch():
    def handler(sub):
        if sub["url"].startswith(REPORT):
            return error(403, mfa.NO_PREMIUM)
        return error(403, "Authorization_RequestDenied")

    session = BatchSession(handler)
    read = mfa.read_mfa(client_for(session), [f"g{n}" for n in range(100)])
    assert read.registrations is None
    assert read.error is not None
    assert read.error.code == "Authorization_RequestDenied"
    assert len(session.batches) == 2  # the report, then one batch of 20 methods


def _fail(exc):
    raise exc
