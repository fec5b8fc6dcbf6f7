"""$batch against a fake Graph: splitting at 20, id matching, per-item retries, dependsOn, pages."""

from __future__ import annotations

import threading

import pytest

from tests.fakes import response
from tests.unit.graph.batch_fakes import (
    BASE,
    BatchSession,
    FakeClock,
    client_for,
    collection,
    error,
    ok,
)
from ztna_desktop.core.errors import AccessDenied, Cancelled, NotFound, ServiceError, Throttled
from ztna_desktop.graph.batch import (
    BatchItem,
    BatchRunner,
    RateLimiter,
    batch_pages,
    relative_url,
    run_batch,
)


def echo(sub):
    return ok({"url": sub["url"]})


def test_splits_into_batches_of_twenty_and_matches_ids():
    session = BatchSession(echo, reverse=True)
    items = [BatchItem(f"g{n}", f"/groups/{n}") for n in range(45)]
    results = run_batch(client_for(session), items)
    assert [len(b) for b in session.batches] == [20, 20, 5]
    assert len(session.sent) == 3
    assert set(results) == {f"g{n}" for n in range(45)}
    # reversed answers still land on the right ids
    assert all(results[f"g{n}"].json() == {"url": f"/groups/{n}"} for n in range(45))


def test_wire_format_relative_urls_and_headers():
    session = BatchSession(echo)
    items = [
        BatchItem("a", "/users?$count=true", headers={"ConsistencyLevel": "eventual"}),
        BatchItem("b", BASE + "/groups?$skiptoken=x"),
        BatchItem("c", "/v1.0/groups/1", method="patch", body={"displayName": "x"}),
    ]
    run_batch(client_for(session), items)
    a, b, c = session.batches[0]
    assert a == {
        "id": a["id"],
        "method": "GET",
        "url": "/users?$count=true",
        "headers": {"ConsistencyLevel": "eventual"},
    }
    assert b["url"] == "/groups?$skiptoken=x"
    assert "headers" not in b
    assert c["method"] == "PATCH"
    assert c["url"] == "/groups/1"
    assert c["headers"] == {"Content-Type": "application/json"}
    assert c["body"] == {"displayName": "x"}


def test_relative_url_refuses_another_host():
    client = client_for(BatchSession(echo))
    assert relative_url(client, "groups/1") == "/groups/1"
    with pytest.raises(ServiceError, match="another host"):
        relative_url(client, "https://evil.example/v1.0/groups")


def test_throttled_item_goes_again_after_the_longest_retry_after():
    seen: dict[str, int] = {}

    def handler(sub):
        n = seen[sub["url"]] = seen.get(sub["url"], 0) + 1
        if sub["url"] == "/groups/1" and n == 1:
            return error(429, "TooManyRequests", **{"Retry-After": "1.5"})
        if sub["url"] == "/groups/2" and n == 1:
            return error(503, "serviceNotAvailable", **{"Retry-After": "0.25"})
        return echo(sub)

    clock = FakeClock()
    session = BatchSession(handler)
    items = [BatchItem(str(n), f"/groups/{n}") for n in range(5)]
    results = run_batch(client_for(session, clock), items, clock=clock)
    assert [len(b) for b in session.batches] == [5, 2]
    assert {s["url"] for s in session.batches[1]} == {"/groups/1", "/groups/2"}
    assert clock.sleeps == [1.5]
    assert all(r.ok for r in results.values())


def test_throttling_gives_up_after_max_attempts():
    clock = FakeClock()
    session = BatchSession(lambda sub: error(429, "TooManyRequests", **{"Retry-After": "1"}))
    results = run_batch(
        client_for(session, clock), [BatchItem("x", "/me")], max_attempts=3, clock=clock
    )
    assert len(session.batches) == 3
    assert isinstance(results["x"].error, Throttled)
    assert results["x"].status == 429
    with pytest.raises(Throttled):
        results["x"].json()


def test_depends_on_keeps_the_chain_in_one_batch_and_retries_424_with_its_dependency():
    calls: list[str] = []

    def handler(sub):
        calls.append(sub["url"])
        if sub["url"] == "/a" and calls.count("/a") == 1:
            return error(429, "TooManyRequests", **{"Retry-After": "2"})
        if sub["url"] == "/b" and calls.count("/a") == 1:
            return error(424, "FailedDependency")
        return echo(sub)

    clock = FakeClock()
    session = BatchSession(handler)
    filler = [BatchItem(f"f{n}", f"/f/{n}") for n in range(19)]
    items = [*filler, BatchItem("a", "/a"), BatchItem("b", "/b", depends_on=("A",))]
    results = run_batch(client_for(session, clock), items, clock=clock)
    first = session.batches[0]
    # the pair does not fit behind 19 fillers: it waits for the next batch, whole
    assert [len(b) for b in session.batches] == [19, 2, 2]
    a, b = session.batches[1]
    assert b["dependsOn"] == [a["id"]]
    retry_a, retry_b = session.batches[2]
    assert retry_b["dependsOn"] == [retry_a["id"]]
    assert all(r.ok for r in results.values())
    assert len(first) == 19


def test_dependent_of_a_failed_request_gets_424_for_good():
    def handler(sub):
        if sub["url"] == "/a":
            return error(403, "Authorization_RequestDenied")
        if sub.get("dependsOn"):
            return error(424, "FailedDependency")
        return echo(sub)

    session = BatchSession(handler)
    items = [BatchItem("a", "/a"), BatchItem("b", "/b", depends_on=("a",))]
    results = run_batch(client_for(session), items)
    assert len(session.batches) == 1
    assert isinstance(results["a"].error, AccessDenied)
    assert results["b"].status == 424


def test_sub_response_errors_are_typed_like_graph_client_errors():
    def handler(sub):
        if sub["url"] == "/denied":
            return error(403, "Authorization_RequestDenied", request_id="r-403")
        return error(404, "Request_ResourceNotFound", request_id="r-404")

    results = run_batch(
        client_for(BatchSession(handler)), [BatchItem("d", "/denied"), BatchItem("n", "/gone")]
    )
    denied, gone = results["d"].error, results["n"].error
    assert isinstance(denied, AccessDenied)
    assert (denied.status, denied.code, denied.request_id) == (
        403,
        "Authorization_RequestDenied",
        "r-403",
    )
    assert isinstance(gone, NotFound)
    assert gone.code == "Request_ResourceNotFound"


def test_invalid_requests_are_refused_before_sending():
    client = client_for(BatchSession(echo))
    with pytest.raises(ValueError, match="unique"):
        run_batch(client, [BatchItem("a", "/x"), BatchItem("A", "/y")])
    with pytest.raises(ValueError, match="unknown"):
        run_batch(client, [BatchItem("a", "/x", depends_on=("zz",))])
    chain = [BatchItem("0", "/0")] + [
        BatchItem(str(n), f"/{n}", depends_on=(str(n - 1),)) for n in range(1, 21)
    ]
    with pytest.raises(ValueError, match="at most 20"):
        run_batch(client, chain)


def test_batch_pages_follows_next_links_in_later_batches():
    def handler(sub):
        url = sub["url"]
        if url.startswith("/groups/") and "skiptoken" not in url:
            gid = url.split("/")[2]
            if gid == "big":
                return ok(collection([{"id": "m1"}], BASE + "/groups/big/members?$skiptoken=2"))
            return ok(collection([{"id": f"{gid}-m"}]))
        if url == "/groups/big/members?$skiptoken=2":
            return ok(collection([{"id": "m2"}], BASE + "/groups/big/members?$skiptoken=3"))
        assert url == "/groups/big/members?$skiptoken=3", url
        return ok(collection([{"id": "m3"}]))

    session = BatchSession(handler)
    items = [BatchItem("big", "/groups/big/members")] + [
        BatchItem(f"g{n}", f"/groups/g{n}/members") for n in range(25)
    ]
    values = batch_pages(client_for(session), items)
    assert [v["id"] for v in values["big"]] == ["m1", "m2", "m3"]
    assert values["g7"] == [{"id": "g7-m"}]
    # page 2 of "big" jumps the queue: it rides in batch 2 with the last six first pages
    assert [len(b) for b in session.batches] == [20, 7, 1]
    assert session.batches[1][0]["url"] == "/groups/big/members?$skiptoken=2"


def test_batch_pages_raises_or_collects_errors():
    def handler(sub):
        if sub["url"] == "/bad":
            return error(403, "Authorization_RequestDenied")
        return ok(collection([{"id": "1"}]))

    items = [BatchItem("bad", "/bad"), BatchItem("good", "/good")]
    with pytest.raises(AccessDenied):
        batch_pages(client_for(BatchSession(handler)), items)
    errors: dict[str, ServiceError] = {}
    values = batch_pages(client_for(BatchSession(handler)), items, errors=errors)
    assert values == {"good": [{"id": "1"}]}
    assert isinstance(errors["bad"], AccessDenied)


def test_page_without_value_list_is_an_error():
    session = BatchSession(lambda sub: ok({"nope": 1}))
    with pytest.raises(ServiceError, match="value list"):
        batch_pages(client_for(session), [BatchItem("x", "/x")])


def test_whole_batch_failure_raises():
    session = BatchSession(echo)
    session.answers.append(response(403, error(403, "Authorization_RequestDenied")[2]))
    with pytest.raises(AccessDenied):
        run_batch(client_for(session), [BatchItem("x", "/x")])


def test_missing_sub_response_is_a_bad_response():
    session = BatchSession(echo)
    session.answers.append(response(200, {"responses": []}))
    results = run_batch(client_for(session), [BatchItem("x", "/x")])
    assert results["x"].status == 0
    assert isinstance(results["x"].error, ServiceError)


def test_rate_limited_items_wait_for_the_window():
    clock = FakeClock()
    limiter = RateLimiter(5, 10.0, clock=clock)
    session = BatchSession(echo)
    client = client_for(session, clock)
    runner = BatchRunner(client, clock=clock)
    got: list[str] = []
    for n in range(7):
        runner.submit(
            [BatchItem(f"r{n}", f"/reports/{n}", limiter=limiter)], lambda r: got.append(r.id)
        )
    for n in range(3):
        runner.submit([BatchItem(f"u{n}", f"/users/{n}")], lambda r: got.append(r.id))
    runner.run()
    assert sorted(got) == sorted([f"r{n}" for n in range(7)] + ["u0", "u1", "u2"])
    assert [len(b) for b in session.batches] == [8, 2]
    assert clock.sleeps == [10.0]


def test_limiter_holds_after_a_429():
    clock = FakeClock()
    limiter = RateLimiter(5, 10.0, clock=clock)
    assert limiter.delay() == 0
    limiter.hold(3.0)
    assert limiter.delay() == 3.0
    for _ in range(5):
        limiter.record()
    assert limiter.delay() == 10.0
    clock.now += 10.0
    assert limiter.delay() == 0


def test_a_limited_request_counts_from_its_answer():
    clock = FakeClock()
    limiter = RateLimiter(1, 10.0, clock=clock)

    class SlowSession(BatchSession):
        def request(self, *args, **kwargs):
            clock.now += 0.5  # the round trip: the service admits it somewhere in it
            return super().request(*args, **kwargs)

    session = SlowSession(echo)
    runner = BatchRunner(client_for(session, clock), clock=clock)
    for n in range(2):
        runner.submit([BatchItem(f"r{n}", f"/reports/{n}", limiter=limiter)], lambda r: None)
    runner.run()
    assert len(session.batches) == 2
    # 10 s from the first answer (at 0.5 s), not from its sending: the second leaves at 10.5 s
    assert clock.sleeps == [10.0]
    assert clock.now == 1000.0 + 0.5 + 10.0 + 0.5
    slot = limiter.record()
    clock.now += 30.0  # answered long after the window it was sent in
    limiter.answered(slot)
    assert limiter.delay() == 10.0


def test_cancel_stops_before_the_next_batch():
    cancel = threading.Event()
    session = BatchSession(echo)
    client = client_for(session, cancel=cancel)
    runner = BatchRunner(client)
    runner.submit([BatchItem("a", "/a")], lambda r: cancel.set())
    runner.submit([BatchItem(f"b{n}", f"/b/{n}") for n in range(20)], lambda r: None)
    with pytest.raises(Cancelled):
        runner.run()
    assert len(session.batches) == 1
