"""GraphClient against a FakeSession: retry math, Retry-After, envelopes, cancel."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime

import pytest
import requests
import urllib3.exceptions

from tests.fakes import FakeSession, FakeTokenProvider, response
from ztna_desktop.core.errors import (
    AccessDenied,
    AuthError,
    BadResponse,
    Cancelled,
    NetworkError,
    NotFound,
    ServiceError,
    Throttled,
)
from ztna_desktop.graph import policy, transport
from ztna_desktop.graph.policy import backoff_delay, parse_retry_after
from ztna_desktop.graph.transport import GraphClient

BASE = "https://graph.example/v1.0"


def envelope(code, message="msg", request_id="rid-1"):
    return {"error": {"code": code, "message": message, "innerError": {"request-id": request_id}}}


def dropped():
    reason = urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError())
    return requests.ConnectionError(reason)


def refused():
    conn = urllib3.exceptions.NewConnectionError(None, "Connection refused")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", conn))


def client(session, *, sleeps=None, cancel=None, max_retries=5, tokens=None):
    return GraphClient(
        BASE,
        tokens or FakeTokenProvider(),
        ["https://graph.example/User.Read"],
        session=session,
        cancel=cancel,
        max_retries=max_retries,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        rng=random.Random(7),
    )


# -- Retry-After and backoff ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2", 2.0), ("2.128", 2.128), (" 0.2 ", 0.2), ("0", 0.0), ("-5", 0.0), ("99999", 300.0)],
)
def test_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, "", "soon", "nan"])
def test_retry_after_unusable_is_none(value):
    assert parse_retry_after(value) is None


def test_retry_after_http_date():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:07 GMT", now=now) == pytest.approx(7.0)
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0


def test_backoff_is_full_jitter_and_capped():
    rng = random.Random(1)
    for attempt in range(12):
        ceiling = min(policy.BACKOFF_CAP, policy.BACKOFF_BASE * 2**attempt)
        delays = [backoff_delay(attempt, rng) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range, not fixed
        assert min(delays) < ceiling * 0.2


# -- retries ---------------------------------------------------------------------


def test_429_honours_fractional_retry_after_then_succeeds():
    throttled = response(429, envelope("TooManyRequests"), {"Retry-After": "0.25"})
    session = FakeSession(throttled, throttled, response(200, {"ok": 1}))
    sleeps: list[float] = []
    gc = client(session, sleeps=sleeps)
    assert gc.get("/me") == {"ok": 1}
    assert sleeps == [0.25, 0.25]
    assert gc.request_count == 3


def test_503_without_retry_after_uses_growing_jittered_backoff():
    session = FakeSession(*[response(503, envelope("serviceNotAvailable"))] * 4, response(200))
    sleeps: list[float] = []
    client(session, sleeps=sleeps).get("/me")
    assert len(sleeps) == 4
    for attempt, delay in enumerate(sleeps):
        assert 0 <= delay <= policy.BACKOFF_BASE * 2**attempt


def test_retries_are_bounded_then_throttled_with_request_id():
    answers = [response(429, envelope("TooManyRequests", request_id=f"r{i}")) for i in range(4)]
    session = FakeSession(*answers)
    sleeps: list[float] = []
    with pytest.raises(Throttled) as info:
        client(session, sleeps=sleeps, max_retries=3).get("/users")
    assert len(session.sent) == 4
    assert len(sleeps) == 3
    assert info.value.status == 429
    assert info.value.code == "TooManyRequests"
    assert info.value.request_id == "r3"
    assert "r3" in str(info.value)


def test_dropped_connection_on_get_is_retried():
    session = FakeSession(dropped(), requests.ReadTimeout("slow"), response(200, {"v": 1}))
    sleeps: list[float] = []
    assert client(session, sleeps=sleeps).get("/me") == {"v": 1}
    assert len(sleeps) == 2


def test_dropped_connection_on_post_is_not_retried():
    session = FakeSession(dropped(), response(201, {}))
    with pytest.raises(NetworkError):
        client(session).request("POST", "/invitations", json_body={})
    assert len(session.sent) == 1


def test_refused_connection_fails_fast_as_network_error():
    session = FakeSession(refused())
    with pytest.raises(NetworkError, match=r"graph\.example"):
        client(session).get("/me")
    assert len(session.sent) == 1


def test_tls_failure_is_network_error_without_retry():
    session = FakeSession(requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"))
    with pytest.raises(NetworkError, match="could not be verified"):
        client(session).get("/me")
    assert len(session.sent) == 1


# -- errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (403, "Authorization_RequestDenied", AccessDenied),
        (401, "Authentication_MissingOrMalformed", AccessDenied),
        (404, "Request_ResourceNotFound", NotFound),
        (400, "Request_BadRequest", ServiceError),
        (500, "generalException", ServiceError),
    ],
)
def test_envelope_becomes_typed_error(status, code, kind):
    body = envelope(code, "Insufficient privileges to complete the operation.", "rid-9")
    session = FakeSession(response(status, body))
    with pytest.raises(kind) as info:
        client(session).get("/users")
    err = info.value
    assert type(err) is kind
    assert (err.status, err.code, err.request_id) == (status, code, "rid-9")
    assert "Insufficient privileges" in str(err)


def test_request_id_header_wins_and_non_json_error_body_still_typed():
    session = FakeSession(response(403, raw=b"<html>denied</html>", headers={"request-id": "h1"}))
    with pytest.raises(AccessDenied) as info:
        client(session).get("/users")
    assert info.value.request_id == "h1"
    assert info.value.code == ""
    assert "403" in str(info.value)


def test_garbage_200_is_bad_response():
    session = FakeSession(response(200, raw=b"\x00\xffnot json{", headers={"request-id": "g"}))
    with pytest.raises(BadResponse) as info:
        client(session).get("/users")
    assert info.value.request_id == "g"
    assert info.value.code == "InvalidJson"


def test_json_that_is_not_an_object_is_bad_response():
    with pytest.raises(BadResponse):
        client(FakeSession(response(200, raw=b"[1, 2]"))).get("/users")


def test_401_invalid_token_refreshes_once():
    tokens = FakeTokenProvider()
    expired = response(401, envelope("InvalidAuthenticationToken"))
    session = FakeSession(expired, response(200, {"ok": True}))
    assert client(session, tokens=tokens).get("/me") == {"ok": True}
    assert tokens.refreshes == 1
    auths = [s["headers"]["Authorization"] for s in session.sent]
    assert auths == ["Bearer token-1", "Bearer token-2"]


def test_401_twice_is_access_denied():
    expired = response(401, envelope("InvalidAuthenticationToken"))
    session = FakeSession(expired, expired)
    with pytest.raises(AccessDenied):
        client(session).get("/me")
    assert len(session.sent) == 2


def test_token_errors_pass_through_without_a_request():
    session = FakeSession()
    tokens = FakeTokenProvider(error=AuthError("no"))
    with pytest.raises(AuthError):
        client(session, tokens=tokens).get("/me")
    assert session.sent == []


# -- paging ------------------------------------------------------------------------


def test_iter_pages_follows_next_link_verbatim_and_resends_headers():
    link = f"{BASE}/users?$skiptoken=abc%3D&$top=2"
    session = FakeSession(
        response(200, {"value": [1, 2], "@odata.nextLink": link}),
        response(200, {"value": [], "@odata.nextLink": link + "x"}),  # empty page with a link
        response(200, {"value": [3]}),
    )
    pages = list(
        client(session).iter_pages(
            "/users", params={"$top": "2"}, headers={"ConsistencyLevel": "eventual"}
        )
    )
    assert [p["value"] for p in pages] == [[1, 2], [], [3]]
    assert session.sent[0]["url"] == f"{BASE}/users"
    assert session.sent[0]["params"] == {"$top": "2"}
    assert session.sent[1]["url"] == link
    assert session.sent[1]["params"] is None
    assert all(s["headers"]["ConsistencyLevel"] == "eventual" for s in session.sent)


def test_next_link_to_another_host_is_refused():
    session = FakeSession(
        response(200, {"value": [], "@odata.nextLink": "https://evil.example/v1.0/users"})
    )
    with pytest.raises(BadResponse, match="another host"):
        list(client(session).iter_pages("/users"))
    assert len(session.sent) == 1


def test_page_without_value_is_bad_response():
    with pytest.raises(BadResponse):
        list(client(FakeSession(response(200, {"items": []}))).iter_pages("/users"))


# -- cancel ------------------------------------------------------------------------


def test_cancel_before_request_sends_nothing():
    cancel = threading.Event()
    cancel.set()
    session = FakeSession()
    with pytest.raises(Cancelled):
        client(session, cancel=cancel).get("/me")
    assert session.sent == []


def test_cancel_during_backoff_stops_retrying():
    cancel = threading.Event()
    session = FakeSession(*[response(429, envelope("TooManyRequests"))] * 3)

    def sleep(seconds):
        cancel.set()  # the person presses Cancel while we wait

    gc = GraphClient(BASE, FakeTokenProvider(), [], session=session, cancel=cancel, sleep=sleep)
    with pytest.raises(Cancelled):
        gc.get("/users")
    assert len(session.sent) == 1


def test_cancel_wakes_a_real_backoff_sleep():
    cancel = threading.Event()
    session = FakeSession(response(429, envelope("TooManyRequests"), {"Retry-After": "60"}))
    gc = GraphClient(BASE, FakeTokenProvider(), [], session=session, cancel=cancel)
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            gc.get("/users")  # would sleep 60 s without the cancel
    finally:
        timer.join()


def test_cancel_between_pages():
    cancel = threading.Event()
    link = f"{BASE}/users?$skiptoken=1"
    session = FakeSession(response(200, {"value": [1], "@odata.nextLink": link}))
    pages = client(session, cancel=cancel).iter_pages("/users")
    assert next(pages)["value"] == [1]
    cancel.set()
    with pytest.raises(Cancelled):
        next(pages)
    assert len(session.sent) == 1


# -- headers and lifecycle ----------------------------------------------------------


def test_each_request_has_bearer_and_client_request_id():
    session = FakeSession(response(200), response(200))
    gc = client(session)
    gc.get("/me")
    gc.get("https://graph.example/v1.0/organization")
    ids = {s["headers"]["client-request-id"] for s in session.sent}
    assert len(ids) == 2
    assert session.sent[1]["url"] == "https://graph.example/v1.0/organization"
    assert all(s["headers"]["Authorization"] == "Bearer token-1" for s in session.sent)


def test_close_only_closes_an_owned_session(monkeypatch):
    given = FakeSession()
    client(given).close()
    assert not given.closed
    made: list[tuple[str, FakeSession]] = []

    def make_session(extra_ca=""):
        made.append((extra_ca, FakeSession()))
        return made[-1][1]

    monkeypatch.setattr(transport.net, "make_session", make_session)
    with GraphClient(BASE, FakeTokenProvider(), [], extra_ca="/ca.pem"):
        pass
    assert made[0][0] == "/ca.pem"
    assert made[0][1].closed
