"""The ``$batch`` scheduler: packs queued Graph requests 20 to an HTTP request.

Callers queue requests with a callback; ``BatchRunner.run()`` packs up to 20
ready requests into each ``POST /$batch``, and a callback may queue more (the
next page of a collection, the members of a group just read). Follow-up pages
jump the queue, so long collections (users) ride along with the per-object reads
instead of finishing alone at the end. A page chain marked ``rides_with`` a
rate-limited chain is paced to travel in that chain's batches (``pacing``).

Sub-responses answered 429/503/504 go back to the front of the queue and are
sent in a later batch, after the longest ``Retry-After`` they carried (bounded
attempts); a 424 dependent of such a request goes again with it. Requests tied
by ``dependsOn`` always travel in the same batch. Sub-response errors become the
same typed errors ``GraphClient`` raises (``policy.error_from_parts``). The
request and result types live in ``batch_items``, the JSON format in ``batch_wire``.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ztna_desktop.core.errors import BadResponse, ServiceError
from ztna_desktop.graph.batch_items import (
    MAX_ATTEMPTS,
    MAX_BATCH,
    BatchItem,
    BatchResult,
    Callback,
    relative_url,
)
from ztna_desktop.graph.batch_wire import parse_answers, result_of, wire_request
from ztna_desktop.graph.pacing import Chain, may_go_alone
from ztna_desktop.graph.policy import RETRY_STATUSES, backoff_delay, parse_retry_after
from ztna_desktop.graph.rate_limit import RateLimiter, Slot
from ztna_desktop.graph.transport import GraphClient

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Group:
    items: list[BatchItem]
    callback: Callback
    attempts: int = 0
    slots: list[tuple[RateLimiter, Slot]] = field(default_factory=list)  # counted, unanswered

    @property
    def limited(self) -> list[RateLimiter]:
        return [i.limiter for i in self.items if i.limiter is not None]

    def held(self, waiting: set[Chain]) -> bool:
        """Whether a request rides with a chain now ``waiting`` and has no page to spare."""
        return any(
            i.rides_with in waiting and not may_go_alone(i.chain, i.rides_with)
            for i in self.items
            if i.rides_with is not None
        )


class BatchRunner:
    """Queue requests with callbacks; ``run()`` sends them 20 at a time until none is left.

    Callbacks run on the caller's thread, inside ``run()``; they may queue more.
    """

    def __init__(
        self,
        client: GraphClient,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._clock = clock
        self.max_attempts = max(1, max_attempts)
        self._queue: deque[_Group] = deque()
        self._limited: deque[_Group] = deque()
        self._not_before = 0.0
        self._rng = random.Random()
        self.batches_sent = 0
        self.items_done = 0

    @property
    def pending(self) -> int:
        """Requests queued and not yet answered for good."""
        return sum(len(g.items) for q in (self._queue, self._limited) for g in q)

    def submit(
        self, items: Sequence[BatchItem], callback: Callback, *, first: bool = False
    ) -> None:
        """Queue ``items`` as one group (sent in one batch); ``callback`` gets each result.

        Raises:
            ValueError: more than 20 items, ids not unique, or a dependency outside the group.
        """
        if not items:
            return
        if len(items) > MAX_BATCH:
            raise ValueError(f"a dependsOn group holds {len(items)} requests; at most 20")
        ids = [i.id.lower() for i in items]
        if len(set(ids)) != len(ids):
            raise ValueError("batch request ids must be unique (case-insensitively)")
        for item in items:
            if any(d.lower() not in ids for d in item.depends_on):
                raise ValueError(f"request {item.id!r} depends on a request outside its group")
        items = [replace(i, url=relative_url(self.client, i.url)) for i in items]
        group = _Group(items, callback)
        queue = self._limited if group.limited else self._queue
        if first:
            queue.appendleft(group)
        else:
            queue.append(group)

    def discard(self, predicate: Callable[[BatchItem], bool]) -> int:
        """Drop queued groups whose every request matches ``predicate``; how many requests."""
        dropped = 0
        for queue in (self._queue, self._limited):
            keep = [g for g in queue if not all(predicate(i) for i in g.items)]
            dropped += sum(len(g.items) for g in queue) - sum(len(g.items) for g in keep)
            queue.clear()
            queue.extend(keep)
        return dropped

    def follow_pages(
        self,
        item: BatchItem,
        on_page: Callable[[dict[str, Any]], None],
        on_error: Callable[[ServiceError], None],
        on_done: Callable[[], None] | None = None,
    ) -> None:
        """Queue a collection read: ``on_page(page)`` per page, next pages queued first.

        Each page read counts into ``item.chain`` (when it has one).
        """

        def handle(result: BatchResult) -> None:
            if result.error is not None:
                on_error(result.error)
                return
            page = result.body
            try:
                if not isinstance(page, dict) or not isinstance(page.get("value"), list):
                    raise BadResponse(
                        "Microsoft Graph sent a collection page without a value list.",
                        status=result.status,
                        code="InvalidShape",
                    )
                if item.chain is not None:
                    item.chain.read += 1
                on_page(page)
                link = page.get("@odata.nextLink")
                if link:
                    url = relative_url(self.client, str(link))
                    self.submit([replace(item, url=url, depends_on=())], handle, first=True)
                elif on_done is not None:
                    on_done()
            except BadResponse as exc:  # something Graph does not document: this read fails
                on_error(exc)

        self.submit([item], handle)

    def run(self, on_batch: Callable[[], None] | None = None) -> None:
        """Send batches until the queue is empty; ``on_batch()`` after each one.

        Raises whatever the ``$batch`` POST itself raises (NetworkError, Cancelled,
        AccessDenied of the whole batch ...); sub-request errors go to the callbacks.
        """
        while self._queue or self._limited:
            self.client.check_cancel()
            self.client.pause(self._not_before - self._clock())
            chunk = self._take()
            if not chunk:
                continue
            self._send(chunk)
            if on_batch is not None:
                on_batch()

    # -- internals --------------------------------------------------------------------------

    def _take(self) -> list[_Group]:
        """Up to 20 ready requests; sleeps when only rate-limited or held ones are waiting."""
        chunk: list[_Group] = []
        room = MAX_BATCH
        waits: list[float] = []
        for _ in range(len(self._limited)):
            group = self._limited[0]
            wait = max((lim.delay() for lim in group.limited), default=0.0)
            if wait > 0 or len(group.items) > room:
                waits.append(wait)
                break  # keep the limited API's order
            self._limited.popleft()
            group.slots = [(lim, lim.record()) for lim in group.limited]
            chunk.append(group)
            room -= len(group.items)
        # chains whose next page stays queued: their followers wait to ride with it
        waiting = {i.chain for g in self._limited for i in g.items if i.chain is not None}
        held: list[_Group] = []
        while self._queue and room:
            group = self._queue.popleft()
            if waiting and group.held(waiting):
                held.append(group)
                continue
            if len(group.items) > room:
                self._queue.appendleft(group)
                break
            chunk.append(group)
            room -= len(group.items)
        self._queue.extendleft(reversed(held))
        if not chunk and waits:
            self.client.pause(min(w for w in waits if w > 0))
        return chunk

    def _send(self, chunk: list[_Group]) -> None:
        wire: dict[str, tuple[_Group, BatchItem]] = {}
        requests: list[dict[str, Any]] = []
        for group in chunk:
            names = {}
            for item in group.items:
                name = str(len(wire) + 1)
                names[item.id.lower()] = name
                wire[name] = (group, item)
            for item in group.items:
                requests.append(wire_request(names[item.id.lower()], item, names))
        self.batches_sent += 1
        try:
            resp = self.client.request(
                "POST",
                "/$batch",
                headers={"Content-Type": "application/json"},
                json_body={"requests": requests},
            )
        finally:  # rate-limited requests count from their answer (see RateLimiter)
            for group in chunk:
                for lim, slot in group.slots:
                    lim.answered(slot)
                group.slots = []
        answers = parse_answers(resp.content)
        retry_after = 0.0
        for group in chunk:
            results = [
                result_of(item, answers.get(n)) for n, (g, item) in wire.items() if g is group
            ]
            retry_after = max(retry_after, self._settle(group, results))
        if retry_after > 0:
            self._not_before = self._clock() + retry_after

    def _settle(self, group: _Group, results: list[BatchResult]) -> float:
        """Hand final results to the callback, queue the retryable ones; the wait they asked."""
        attempts = group.attempts + 1
        retry: set[str] = set()
        if attempts < self.max_attempts:
            retry = {r.id.lower() for r in results if r.status in RETRY_STATUSES}
            by_id = {i.id.lower(): i for i in group.items}
            # A dependent answered 424 because its dependency failed: it goes again with it.
            grew = True
            while grew:
                grew = False
                for r in results:
                    key = r.id.lower()
                    deps = {d.lower() for d in by_id[key].depends_on}
                    if r.status == 424 and key not in retry and deps & retry:
                        retry.add(key)
                        grew = True
        wait = 0.0
        for r in results:
            if r.id.lower() not in retry:
                continue
            told = parse_retry_after(r.headers.get("Retry-After"))
            told = backoff_delay(group.attempts, self._rng) if told is None else told
            wait = max(wait, told)
        if retry:
            again = [
                replace(i, depends_on=tuple(d for d in i.depends_on if d.lower() in retry))
                for i in group.items
                if i.id.lower() in retry
            ]
            log.info("$batch: %d request(s) throttled; again in %.2f s", len(again), wait)
            for lim in {id(x): x for x in (i.limiter for i in again) if x}.values():
                lim.hold(wait)
            queue = self._limited if any(i.limiter for i in again) else self._queue
            queue.appendleft(_Group(again, group.callback, attempts))
        for r in results:
            if r.id.lower() not in retry:
                self.items_done += 1
                group.callback(r)
        return wait
