"""Pacing against a fake Graph: a page chain riding in a rate-limited chain's batches."""

from __future__ import annotations

import threading

import pytest

from tests.unit.graph.batch_fakes import BASE, BatchSession, FakeClock, client_for, collection, ok
from tests.unit.graph.batch_fakes import error as fail
from ztna_desktop.core.errors import Cancelled
from ztna_desktop.graph.batch import BatchItem, BatchRunner, Chain, RateLimiter
from ztna_desktop.graph.pacing import may_go_alone


def chains(lengths: dict[str, int], refuse: str = ""):
    """A handler serving chain ``name`` as ``lengths[name]`` pages (``/name?p=k``)."""

    def handler(sub):
        name, _, k = sub["url"].lstrip("/").partition("?p=")
        if name == refuse:
            return fail(403, "Authorization_RequestDenied")
        n = int(k or 0)
        link = f"{BASE}/{name}?p={n + 1}" if n + 1 < lengths[name] else None
        return ok(collection([{"id": f"{name}{n}"}], link))

    return handler


def names(batch) -> list[str]:
    return [sub["url"].lstrip("/").split("?")[0] for sub in batch]


def run_pair(
    lead_pages, follow_pages, *, expected=None, refuse="", limit=1, cancel=None, clock=None
):
    clock = clock or FakeClock()
    limiter = RateLimiter(limit, 10.0, clock=clock)
    session = BatchSession(chains({"lead": lead_pages, "follow": follow_pages}, refuse))
    runner = BatchRunner(client_for(session, clock, cancel=cancel), clock=clock)
    lead_exp, follow_exp = expected or (lead_pages, follow_pages)
    lead, follow = Chain(lead_exp), Chain(follow_exp)
    got: list[str] = []

    def on_page(page):
        got.extend(v["id"] for v in page["value"])

    def on_error(exc):
        got.append(exc.code)

    runner.follow_pages(BatchItem("lead", "/lead", limiter=limiter, chain=lead), on_page, on_error)
    runner.follow_pages(
        BatchItem("follow", "/follow", chain=follow, rides_with=lead), on_page, on_error
    )
    started = clock.now
    runner.run()
    return session, clock.now - started, got, (lead, follow)


def test_spare_pages_go_while_the_leader_waits_and_the_rest_ride_with_it():
    session, elapsed, got, (lead, follow) = run_pair(3, 5)
    assert [names(b) for b in session.batches] == [
        ["lead", "follow"],
        ["follow"],  # the follower has 4 pages left, the leader 2: two to spare
        ["follow"],
        ["lead", "follow"],  # 2 and 2: the follower waited for the leader's window
        ["lead", "follow"],
    ]
    assert len(session.batches) == max(3, 5)
    assert elapsed == 20.0  # the leader's pace (1 per 10 s): the follower cost it nothing
    assert (lead.read, follow.read) == (3, 5)
    assert sorted(got) == sorted([f"lead{n}" for n in range(3)] + [f"follow{n}" for n in range(5)])


def test_a_follower_shorter_than_its_leader_rides_with_every_page():
    session, elapsed, _, _ = run_pair(4, 2)
    assert [names(b) for b in session.batches] == [
        ["lead", "follow"],
        ["lead", "follow"],
        ["lead"],
        ["lead"],
    ]
    assert elapsed == 30.0


def test_without_its_leader_the_follower_goes_at_full_speed():
    session, elapsed, got, _ = run_pair(3, 5, refuse="lead")
    assert got[0] == "Authorization_RequestDenied"
    assert [names(b) for b in session.batches] == [["lead", "follow"]] + [["follow"]] * 4
    assert elapsed == 0.0


def test_wrong_estimates_cost_requests_or_time_never_a_stall():
    # a longer follower than estimated: its surplus rides, the rest goes after the leader
    session, elapsed, _, (_, follow) = run_pair(3, 5, expected=(3, 2))
    assert len(session.batches) == 5
    assert elapsed == 20.0
    assert follow.read == 5
    # a leader longer than estimated: the follower runs ahead once the estimate is spent
    session, elapsed, _, _ = run_pair(4, 4, expected=(1, 4))
    # its queued page counts: the follower keeps one page back for it, sends two alone
    assert [names(b) for b in session.batches] == [
        ["lead", "follow"],
        ["follow"],
        ["follow"],
        ["lead", "follow"],
        ["lead"],
        ["lead"],
    ]
    assert elapsed == 30.0


def test_may_go_alone_only_with_a_page_to_spare():
    leader = Chain(3, read=1)
    assert may_go_alone(Chain(5, read=2), leader)
    assert not may_go_alone(Chain(4, read=2), leader)
    assert not may_go_alone(None, leader)
    assert may_go_alone(Chain(3, read=3), Chain(1, read=1)) is False  # both past: 1 and 1
    assert Chain.of(0, 500).expected == 1
    assert Chain.of(1001, 500).left == 3


class CancellingClock(FakeClock):
    """The user cancels during the first wait for the reports window."""

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self.cancel = cancel

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self.cancel.set()


def test_cancel_while_the_follower_waits_for_its_leader():
    cancel = threading.Event()
    clock = CancellingClock(cancel)
    with pytest.raises(Cancelled):
        run_pair(3, 5, cancel=cancel, clock=clock)
    assert clock.sleeps == [10.0]  # no batch after the wait it was cancelled in
